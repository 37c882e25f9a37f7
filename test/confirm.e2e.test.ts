// Confirmations through MCP elicitation, with SDK Clients that accept,
// decline, cancel, or lack the capability; and dry runs that send nothing.
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resultJson, spawnServer, type Spawned } from './support/mcp.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { environment, mutating, router, workItem } from './support/routes.js';

const ENV = 'env_confirm01';
const KEY = 'sk-ant-test-confirm-key';
const ENV_KEY = 'env-key-test-confirm';

let rec: Recorder;
/** What the next elicitation is answered with; every question is kept. */
let answer: ElicitResult;
const questions: string[] = [];

/** A client that can be asked; it answers with `answer` and keeps each question. */
function elicitingClient(
  args: string[] = [],
  env: Record<string, string> = { ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY },
): Promise<Spawned> {
  return spawnServer({
    args: ['--base-url', rec.url, ...args],
    env: { ANTHROPIC_API_KEY: KEY, ...env },
    capabilities: { capabilities: { elicitation: {} } },
  }).then((s) => {
    s.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      questions.push(request.params.message);
      return answer;
    });
    return s;
  });
}

beforeAll(async () => {
  rec = await startRecorder();
  rec.fallback = router({
    'GET /v1/environments/:id': json(200, environment(ENV, { name: 'prod workers' })),
    'GET /v1/environments/:id/work': json(200, {
      data: [
        workItem('work_a', ENV, { state: 'active' }),
        workItem('work_b', ENV, { state: 'starting' }),
        workItem('work_c', ENV, { state: 'queued' }),
        workItem('work_d', ENV, { state: 'stopped' }),
      ],
      next_page: null,
    }),
    'GET /v1/environments/:id/work/stats': json(200, {
      type: 'work_queue_stats',
      depth: 4,
      pending: 0,
      oldest_queued_at: null,
      workers_polling: 1,
    }),
    'GET /v1/environments/:id/work/:work': json(200, workItem('work_a', ENV, { state: 'active' })),
    'DELETE /v1/environments/:id': json(200, { id: ENV, type: 'environment_deleted' }),
    'POST /v1/environments/:id/archive': json(
      200,
      environment(ENV, { archived_at: '2026-02-01T00:00:00Z' }),
    ),
    'POST /v1/environments/:id/work/:work/stop': json(
      200,
      workItem('work_a', ENV, { state: 'stopped' }),
    ),
  });
});
afterAll(() => rec.close());
beforeEach(() => {
  questions.length = 0;
  rec.requests.length = 0;
});

describe('confirmations', () => {
  let s: Spawned;
  beforeAll(async () => {
    s = await elicitingClient();
  });
  afterAll(() => s.close());

  it('accept: the question names the environment, its id and its active work; then the call runs', async () => {
    answer = { action: 'accept', content: { confirm: true } };
    const r = await s.call('delete_environment', { environment_id: ENV });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ id: ENV, type: 'environment_deleted' });
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(
      /Delete environment "prod workers" \(env_confirm01\) for good\? It has 2 active and 1 queued work items\. This cannot be undone\./,
    );
    expect(mutating(rec.requests).map((q) => `${q.method} ${q.path}`)).toEqual([
      `DELETE /v1/environments/${ENV}`,
    ]);
  });

  it('decline: a plain result saying nothing was done, and no change is sent', async () => {
    answer = { action: 'decline' };
    const r = await s.call('archive_environment', { environment_id: ENV });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ done: false, reason: 'declined' });
    expect(resultJson(r).note).toMatch(
      /^Nothing was done: the confirmation was declined\. \(Archive environment "prod workers"/,
    );
    expect(questions).toHaveLength(1);
    expect(mutating(rec.requests)).toEqual([]);
  });

  it('an accepted form with the box unticked is a no', async () => {
    answer = { action: 'accept', content: { confirm: false } };
    const r = await s.call('delete_environment', { environment_id: ENV });
    expect(r.structuredContent).toMatchObject({ done: false, reason: 'declined' });
    expect(mutating(rec.requests)).toEqual([]);
  });

  it('cancel: nothing is done', async () => {
    answer = { action: 'cancel' };
    const r = await s.call('stop_work_item', {
      environment_id: ENV,
      work_id: 'work_a',
      force: true,
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ done: false, reason: 'cancelled' });
    expect(questions[0]).toMatch(
      /Force-stop work item work_a \(state active\) in environment "prod workers" \(env_confirm01\)\?/,
    );
    expect(mutating(rec.requests)).toEqual([]);
  });

  it('a graceful stop does not ask', async () => {
    answer = { action: 'decline' };
    const r = await s.call('stop_work_item', { environment_id: ENV, work_id: 'work_a' });
    expect(r.isError).toBeFalsy();
    expect(questions).toEqual([]);
    expect(mutating(rec.requests).map((q) => q.json)).toEqual([{}]);
  });

  it('a dry run neither asks nor sends a change: it shows the request and the current state', async () => {
    answer = { action: 'accept', content: { confirm: true } };
    const r = await s.call('delete_environment', { environment_id: ENV, dry_run: true });
    expect(r.isError).toBeFalsy();
    const out = resultJson(r);
    expect(out.dry_run).toBe(true);
    expect(out.request).toMatchObject({
      method: 'DELETE',
      url: `${rec.url}/v1/environments/${ENV}`,
    });
    expect(out.request.headers['anthropic-beta']).toContain('managed-agents-2026-04-01');
    expect(out.current).toMatchObject({ id: ENV, name: 'prod workers' });
    expect(out.note).toMatch(/nothing was sent.*after a person confirmed it/);
    expect(JSON.stringify(r)).not.toContain(KEY);
    expect(questions).toEqual([]);
    expect(mutating(rec.requests)).toEqual([]);
  });
});

describe('without asking', () => {
  it('a client without the elicitation capability: the call runs (the annotations tell the host to ask)', async () => {
    const s = await spawnServer({ args: ['--base-url', rec.url], env: { ANTHROPIC_API_KEY: KEY } });
    try {
      const tool = (await s.client.listTools()).tools.find((t) => t.name === 'delete_environment')!;
      expect(tool.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
      const r = await s.call('delete_environment', { environment_id: ENV });
      expect(r.structuredContent).toEqual({ id: ENV, type: 'environment_deleted' });
      expect(mutating(rec.requests)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('--no-confirm: an eliciting client is not asked', async () => {
    answer = { action: 'decline' };
    const s = await elicitingClient(['--no-confirm'], {});
    try {
      const r = await s.call('archive_environment', { environment_id: ENV });
      expect(r.isError).toBeFalsy();
      expect(questions).toEqual([]);
      expect(mutating(rec.requests).map((q) => q.path)).toEqual([
        `/v1/environments/${ENV}/archive`,
      ]);
    } finally {
      await s.close();
    }
  });

  it('without the environment key the question still comes, counting from the stats instead', async () => {
    answer = { action: 'decline' };
    const s = await elicitingClient([], {});
    try {
      const r = await s.call('delete_environment', { environment_id: ENV });
      expect(r.structuredContent).toMatchObject({ done: false });
      expect(questions[0]).toMatch(
        /It has 4 queued work items \(active ones could not be counted: needs ANTHROPIC_ENVIRONMENT_KEY\)/,
      );
    } finally {
      await s.close();
    }
  });
});

describe('dry runs', () => {
  it('every tool that changes something sends no change with dry_run: true', async () => {
    const s = await spawnServer({
      args: ['--base-url', rec.url],
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY },
    });
    try {
      const calls: Array<[string, Record<string, unknown>, string]> = [
        ['create_environment', { name: 'new one', config: { type: 'self_hosted' } }, 'POST'],
        ['update_environment', { environment_id: ENV, name: 'renamed' }, 'POST'],
        ['delete_environment', { environment_id: ENV }, 'DELETE'],
        ['archive_environment', { environment_id: ENV }, 'POST'],
        [
          'update_work_item',
          { environment_id: ENV, work_id: 'work_a', metadata: { k: 'v' } },
          'POST',
        ],
        ['stop_work_item', { environment_id: ENV, work_id: 'work_a', force: true }, 'POST'],
        ['poll_work_item', { environment_id: ENV, worker_id: 'w1', wait_ms: 5000 }, 'GET'],
        ['ack_work_item', { environment_id: ENV, work_id: 'work_a' }, 'POST'],
        [
          'heartbeat_work_item',
          { environment_id: ENV, work_id: 'work_a', expected_last_heartbeat: 'NO_HEARTBEAT' },
          'POST',
        ],
      ];
      const listed = (await s.client.listTools()).tools
        .filter((t) => !t.annotations?.readOnlyHint)
        .map((t) => t.name);
      expect(calls.map((c) => c[0]).sort()).toEqual(listed.sort());
      for (const [name, args, method] of calls) {
        const r = await s.call(name, { ...args, dry_run: true });
        expect(r.isError, name).toBeFalsy();
        const out = resultJson(r);
        expect(out.dry_run, name).toBe(true);
        expect(out.request.method, name).toBe(method);
        expect(JSON.stringify(r), name).not.toContain(KEY);
        expect(JSON.stringify(r), name).not.toContain(ENV_KEY);
      }
      // Only reads of the current state reached the API; a poll was never sent.
      expect(mutating(rec.requests)).toEqual([]);
      expect(rec.requests.filter((q) => q.path.endsWith('/poll'))).toEqual([]);
      const create = resultJson(await s.call('create_environment', { name: 'x', dry_run: true }));
      expect(create).toMatchObject({
        current: null,
        request: { body: { name: 'x' }, headers: { 'content-type': 'application/json' } },
      });
      const update = resultJson(
        await s.call('update_work_item', {
          environment_id: ENV,
          work_id: 'work_a',
          metadata: { k: null },
          dry_run: true,
        }),
      );
      expect(update.current).toMatchObject({ id: 'work_a', state: 'active' });
      expect(update.request.body).toEqual({ metadata: { k: null } });
    } finally {
      await s.close();
    }
  });
});
