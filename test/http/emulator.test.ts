// Every tool over Streamable HTTP against the emulator (`--http --emulator`):
// the lifecycle of a self-hosted environment and its work, as a team's
// shared endpoint would serve it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, startHttp, type Connected, type HttpServer } from '../support/http.js';
import { resultJson } from '../support/mcp.js';
import { SAMPLE_NAMES } from '../support/samples.js';

let srv: HttpServer;
let mcp: Connected;
let emulatorUrl: string;
const used = new Set<string>();

async function ok(name: string, args: Record<string, unknown> = {}): Promise<any> {
  used.add(name);
  const result = await mcp.call(name, args);
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(resultJson(result))}`);
  return result.structuredContent;
}

beforeAll(async () => {
  srv = await startHttp({ args: ['--emulator'] });
  emulatorUrl = /emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(srv.stderr())![1]!;
  mcp = await connectHttp(srv.url);
  await mcp.client.listTools();
});

afterAll(async () => {
  await mcp?.close();
  expect(await srv?.stop()).toBe(0);
});

describe('--http --emulator', () => {
  it('runs every tool through the lifecycle of a self-hosted environment', async () => {
    expect(mcp.client.getInstructions()).toMatch(/^EMULATOR MODE/);
    const { id: environment_id } = await ok('create_environment', {
      name: 'team-workers',
      config: { type: 'self_hosted' },
    });
    expect((await ok('list_environments')).data.map((e: { id: string }) => e.id)).toContain(
      environment_id,
    );
    expect(await ok('get_environment', { environment_id })).toMatchObject({
      id: environment_id,
      name: 'team-workers',
    });

    const enqueued = await fetch(`${emulatorUrl}/_emulator/environments/${environment_id}/work`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_id: 'session_http' }),
    });
    const { id: work_id } = (await enqueued.json()) as { id: string };
    expect((await ok('list_work_items', { environment_id })).data).toMatchObject([
      { id: work_id, state: 'queued' },
    ]);
    expect(await ok('poll_work_item', { environment_id, worker_id: 'http-worker' })).toMatchObject({
      work: { id: work_id, secret: '[redacted]' },
    });
    expect(await ok('get_work_queue_stats', { environment_id })).toMatchObject({
      depth: 0,
      pending: 1,
    });
    expect((await ok('ack_work_item', { environment_id, work_id })).state).toBe('starting');
    expect(
      await ok('heartbeat_work_item', {
        environment_id,
        work_id,
        expected_last_heartbeat: 'NO_HEARTBEAT',
      }),
    ).toMatchObject({ state: 'active' });
    expect((await ok('get_work_item', { environment_id, work_id })).state).toBe('active');
    expect(
      (await ok('update_work_item', { environment_id, work_id, metadata: { owner: 'team' } }))
        .metadata,
    ).toEqual({ owner: 'team' });
    expect((await ok('stop_work_item', { environment_id, work_id, force: true })).state).toBe(
      'stopped',
    );

    expect(
      (await ok('update_environment', { environment_id, description: 'shared' })).description,
    ).toBe('shared');
    expect((await ok('archive_environment', { environment_id })).archived_at).toEqual(
      expect.any(String),
    );
    expect(await ok('delete_environment', { environment_id })).toEqual({
      id: environment_id,
      type: 'environment_deleted',
    });

    expect([...used].sort()).toEqual([...SAMPLE_NAMES].sort());
  });
});
