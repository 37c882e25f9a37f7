// End to end: the built server in --emulator mode, spawned over stdio and
// driven by the MCP SDK's Client, through a realistic lifecycle. The emulator
// URL comes from the server's stderr line; the emulator routes drive what no
// tool does (enqueue work, inject a fault, move the clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultJson, spawnServer, type Spawned } from '../support/mcp.js';

let server: Spawned;
let emulatorUrl: string;

async function waitFor<T>(what: string, get: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function control(path: string, body: unknown): Promise<any> {
  const res = await fetch(emulatorUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function ok(name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await server.call(name, args);
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(resultJson(result))}`);
  expect(result.structuredContent).toEqual(resultJson(result));
  return result.structuredContent;
}

async function failed(name: string, args: Record<string, unknown>): Promise<any> {
  const result = await server.call(name, args);
  expect(result.isError).toBe(true);
  return resultJson(result).error;
}

beforeAll(async () => {
  server = await spawnServer({ args: ['--emulator'] });
  emulatorUrl = await waitFor(
    'the emulator URL on stderr',
    () => /emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.stderr())?.[1],
  );
});
afterAll(() => server?.close());

describe('--emulator mode', () => {
  it('says so on stderr and in the instructions', () => {
    expect(server.stderr()).toContain('nothing is real');
    expect(server.client.getInstructions()).toMatch(/^EMULATOR MODE/);
  });

  it('runs the whole lifecycle of a self-hosted environment and its work', async () => {
    const env = await ok('create_environment', {
      name: 'e2e-workers',
      config: { type: 'self_hosted' },
      metadata: { team: 'infra', tier: 'gold' },
    });
    expect(env).toMatchObject({
      id: expect.stringMatching(/^env_/),
      config: { type: 'self_hosted' },
      scope: 'organization',
    });
    const environment_id = env.id as string;
    expect((await ok('list_environments')).data.map((e: { id: string }) => e.id)).toContain(
      environment_id,
    );

    const queued = await control(`/_emulator/environments/${environment_id}/work`, {
      session_id: 'session_e2e',
      metadata: { ticket: 'T-7' },
    });
    expect(await ok('get_work_queue_stats', { environment_id })).toMatchObject({
      depth: 1,
      pending: 0,
    });
    expect((await ok('list_work_items', { environment_id })).data).toMatchObject([
      { id: queued.id, state: 'queued' },
    ]);

    const polled = await ok('poll_work_item', {
      environment_id,
      worker_id: 'e2e-worker',
      block_ms: 100,
    });
    expect(polled.work).toMatchObject({ id: queued.id, state: 'queued', secret: '[redacted]' });
    expect(await ok('get_work_queue_stats', { environment_id })).toMatchObject({
      depth: 0,
      pending: 1,
      workers_polling: 1,
    });
    expect(await ok('poll_work_item', { environment_id })).toEqual({ work: null });

    const work_id = queued.id as string;
    expect((await ok('ack_work_item', { environment_id, work_id })).state).toBe('starting');
    const beat = await ok('heartbeat_work_item', {
      environment_id,
      work_id,
      expected_last_heartbeat: 'NO_HEARTBEAT',
      desired_ttl_seconds: 120,
    });
    expect(beat).toMatchObject({ state: 'active', lease_extended: true, ttl_seconds: 120 });

    const stale = await failed('heartbeat_work_item', {
      environment_id,
      work_id,
      expected_last_heartbeat: 'NO_HEARTBEAT',
    });
    expect(stale).toMatchObject({
      status: 412,
      type: 'invalid_request_error',
      request_id: expect.stringMatching(/^req_/),
      details: {
        error_code: 'heartbeat_precondition_failed',
        current_state: { last_heartbeat: beat.last_heartbeat, state: 'active' },
      },
    });

    expect(
      (
        await ok('update_work_item', {
          environment_id,
          work_id,
          metadata: { ticket: null, owner: 'me' },
        })
      ).metadata,
    ).toEqual({ owner: 'me' });
    expect((await ok('stop_work_item', { environment_id, work_id })).state).toBe('stopping');
    expect(
      (
        await ok('heartbeat_work_item', {
          environment_id,
          work_id,
          expected_last_heartbeat: beat.last_heartbeat,
        })
      ).state,
    ).toBe('stopping');
    expect((await ok('stop_work_item', { environment_id, work_id, force: true })).state).toBe(
      'stopped',
    );
    const again = await failed('stop_work_item', { environment_id, work_id });
    expect(again).toMatchObject({
      status: 409,
      message: expect.stringContaining('already stopped'),
    });

    const updated = await ok('update_environment', {
      environment_id,
      description: 'runs on my boxes',
      metadata: { tier: null },
    });
    expect(updated).toMatchObject({ description: 'runs on my boxes', metadata: { team: 'infra' } });
    const typeChange = await failed('update_environment', {
      environment_id,
      config: { type: 'cloud' },
    });
    expect(typeChange).toMatchObject({
      status: 400,
      details: { error_code: 'invalid_config_type_change' },
      message: expect.stringMatching(/^config\.type: /),
    });

    const archived = await ok('archive_environment', { environment_id });
    expect(archived.archived_at).toEqual(expect.any(String));
    expect((await ok('list_environments')).data.map((e: { id: string }) => e.id)).not.toContain(
      environment_id,
    );
    expect(
      (await ok('list_environments', { include_archived: true })).data.map(
        (e: { id: string }) => e.id,
      ),
    ).toContain(environment_id);

    expect(await ok('delete_environment', { environment_id })).toEqual({
      id: environment_id,
      type: 'environment_deleted',
    });
    expect(await failed('get_environment', { environment_id })).toMatchObject({
      status: 404,
      type: 'not_found_error',
    });
  });

  it('a lease lapses when the emulator clock moves past it: the item is queued again', async () => {
    const { id: environment_id } = await ok('create_environment', {
      name: 'lapse',
      config: { type: 'self_hosted' },
    });
    const { id: work_id } = await control(`/_emulator/environments/${environment_id}/work`, {});
    await ok('poll_work_item', { environment_id });
    await ok('ack_work_item', { environment_id, work_id });
    const beat = await ok('heartbeat_work_item', {
      environment_id,
      work_id,
      expected_last_heartbeat: 'NO_HEARTBEAT',
      desired_ttl_seconds: 30,
    });
    await control('/_emulator/clock', { advance_ms: 30_000 });
    expect(await ok('get_work_item', { environment_id, work_id })).toMatchObject({
      state: 'queued',
      latest_heartbeat_at: null,
    });
    const lost = await failed('heartbeat_work_item', {
      environment_id,
      work_id,
      expected_last_heartbeat: beat.last_heartbeat,
    });
    expect(lost).toMatchObject({
      status: 412,
      details: { current_state: { state: 'queued', last_heartbeat: null } },
    });
  });

  it('the server retries an overloaded API and a dropped connection, transparently', async () => {
    const { id: environment_id } = await ok('create_environment', { name: 'flaky' });
    await control('/_emulator/faults', {
      operation: 'get_environment',
      status: 529,
      retry_after_ms: 10,
    });
    await control('/_emulator/faults', { operation: 'get_environment', drop: true });
    expect((await ok('get_environment', { environment_id })).id).toBe(environment_id);
    const left = await (await fetch(`${emulatorUrl}/_emulator/faults`)).json();
    expect(left).toEqual({ data: [] });
  });

  it('an API failure the server does not retry comes back as an error result with the request id', async () => {
    await control('/_emulator/faults', {
      operation: 'list_environments',
      status: 403,
      message: 'Environments are turned off',
      error_code: 'environment_create_disabled',
    });
    const error = await failed('list_environments', {});
    expect(error).toMatchObject({
      status: 403,
      type: 'permission_error',
      message: 'Environments are turned off',
      request_id: expect.stringMatching(/^req_/),
    });
  });
});
