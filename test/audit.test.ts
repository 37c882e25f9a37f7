// The audit log: over stdio with a person who confirms, declines and
// cancels, a dry run, a failed call and a read (not logged); the lines hold
// ids and fixed words only; a write failure is reported with the line and
// does not lose the call's result.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditObserver,
  openAuditLog,
  refusedLine,
  targetIds,
  type AuditLine,
} from '../src/audit/audit.js';
import { watched } from '../src/calls/observe.js';
import { resultJson, spawnServer, type Spawned } from './support/mcp.js';
import { apiError, json, startRecorder, type Recorder } from './support/recorder.js';
import { environment, router, workItem } from './support/routes.js';

const ENV = 'env_audit01';
const KEY = 'sk-ant-test-audit-key-0123456789';
let rec: Recorder;
let s: Spawned;
let file: string;
let answer: ElicitResult = { action: 'accept', content: { confirm: true } };

const lines = () =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditLine);
async function lineCount(n: number): Promise<AuditLine[]> {
  for (let i = 0; i < 100 && lines().length < n; i++) await new Promise((r) => setTimeout(r, 30));
  return lines();
}

beforeAll(async () => {
  rec = await startRecorder();
  rec.fallback = router({
    'GET /v1/environments/:id': json(200, environment(ENV, { name: 'prod workers' })),
    'GET /v1/environments/:id/work': json(200, {
      data: [workItem('work_a', ENV, { state: 'active' })],
      next_page: null,
    }),
    'DELETE /v1/environments/:id': json(200, { id: ENV, type: 'environment_deleted' }),
    'POST /v1/environments/:id/archive': apiError(409, 'conflict_error', 'already archived'),
  });
  file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
  s = await spawnServer({
    args: ['--base-url', rec.url, '--audit-log', file],
    env: { ANTHROPIC_API_KEY: KEY },
    capabilities: { capabilities: { elicitation: {} } },
  });
  s.client.setRequestHandler(ElicitRequestSchema, async () => answer);
});
afterAll(async () => {
  await s?.close();
  await rec?.close();
});

describe('audit log over stdio', () => {
  it('writes one line per changing call with who, ids, mode, outcome and duration; none for reads', async () => {
    await s.client.callTool({ name: 'get_environment', arguments: { environment_id: ENV } });
    await s.client.callTool({
      name: 'delete_environment',
      arguments: { environment_id: ENV, dry_run: true },
    });
    answer = { action: 'decline' };
    await s.client.callTool({ name: 'delete_environment', arguments: { environment_id: ENV } });
    answer = { action: 'cancel' };
    await s.client.callTool({ name: 'delete_environment', arguments: { environment_id: ENV } });
    answer = { action: 'accept', content: { confirm: true } };
    await s.client.callTool({ name: 'delete_environment', arguments: { environment_id: ENV } });
    const failed = await s.client.callTool({
      name: 'archive_environment',
      arguments: { environment_id: ENV },
    });
    expect(resultJson(failed as never).error.status).toBe(409);
    const bad = await s.client.callTool({
      name: 'update_environment',
      arguments: { environment_id: ENV, description: 7 },
    });
    expect(bad.isError).toBe(true);

    const got = await lineCount(6);
    expect(got.map((l) => [l.tool, l.mode, l.outcome.status])).toEqual([
      ['delete_environment', 'dry_run', 'ok'],
      ['delete_environment', 'declined', 'not_done'],
      ['delete_environment', 'cancelled', 'not_done'],
      ['delete_environment', 'confirmed', 'ok'],
      ['archive_environment', 'confirmed', 'error'],
      ['update_environment', 'call', 'error'],
    ]);
    for (const l of got) {
      expect(l.who).toBe('stdio');
      expect(l.target).toEqual({ environment_id: ENV });
      expect(Date.parse(l.time)).not.toBeNaN();
      expect(l.duration_ms).toBeGreaterThanOrEqual(0);
    }
    expect(got[3]!.outcome).toEqual({ status: 'ok', http_status: 200, request_id: 'req_test_200' });
    expect(got[4]!.outcome).toMatchObject({
      status: 'error',
      http_status: 409,
      error_type: 'conflict_error',
      request_id: 'req_test_409',
    });
    expect(got[5]!.outcome).toEqual({ status: 'error', error_type: 'invalid_arguments' });
    expect(readFileSync(file, 'utf8')).not.toContain(KEY);
  });
});

describe('audit lines', () => {
  it('keep only id-shaped target values', () => {
    expect(
      targetIds({
        environment_id: 'env_1',
        work_id: 'has spaces and "quotes"',
        name: 'x',
        config: {},
      }),
    ).toEqual({ environment_id: 'env_1' });
    expect(
      refusedLine(
        'bob',
        'delete_environment',
        { environment_id: 'env_1', description: 'free' },
        'insufficient_scope',
      ),
    ).toMatchObject({
      who: 'bob',
      mode: 'refused',
      target: { environment_id: 'env_1' },
      outcome: { status: 'refused', error_type: 'insufficient_scope' },
    });
  });

  it('a write that fails is reported on stderr with the line, and the call keeps its result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-gone-'));
    const reported: string[] = [];
    const sink = openAuditLog(join(dir, 'sub', 'audit.jsonl'), (t) => reported.push(t));
    const result = {
      content: [{ type: 'text' as const, text: '{"id":"env_2"}' }],
      structuredContent: { id: 'env_2' },
    };
    const info = { tool: 'create_environment', readOnly: false, args: { name: 'n' }, who: 'stdio' };
    const got = await watched(auditObserver(sink), info, async () => result);
    expect(got).toBe(result);
    await sink.flush();
    expect(reported).toHaveLength(1);
    const report = JSON.parse(reported[0]!) as { msg: string; error: string; audit: AuditLine };
    expect(report.msg).toBe('audit log write failed');
    expect(report.error).toBe('ENOENT');
    expect(report.audit).toMatchObject({
      tool: 'create_environment',
      target: { result_id: 'env_2' },
    });
  });

  it('a throwing observer changes nothing of the call', async () => {
    const result = { content: [{ type: 'text' as const, text: '{}' }] };
    const broken = {
      begin: () => ({
        end: () => {
          throw new Error('boom');
        },
      }),
    };
    expect(
      await watched(
        broken,
        { tool: 't', readOnly: false, args: {}, who: 'stdio' },
        async () => result,
      ),
    ).toBe(result);
  });
});
