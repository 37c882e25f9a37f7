// The work routes (and the emulator's enqueue route) over real HTTP.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionsTokenFromSecret } from '../../src/api/credentials.js';
import { LEASE_TTL, type EmulatorHandle } from '../../src/emulator/index.js';
import { frozenEmulator, selfHosted, type Api } from './support.js';

let emulator: EmulatorHandle;
let api: Api;
let env: string;

beforeEach(async () => {
  await emulator?.close();
  ({ emulator, api } = await frozenEmulator());
  env = await selfHosted(api);
});
afterAll(() => emulator.close());

const enqueue = (body: unknown = {}, id = env) =>
  api('POST', `/_emulator/environments/${id}/work`, { body, key: null, headers: {} });
const work = (suffix = '') => `/v1/environments/${env}/work${suffix}`;

describe('enqueue (POST /_emulator/environments/{id}/work)', () => {
  it('returns the new item, queued, with no secret', async () => {
    const res = await enqueue({ session_id: 'session_abc', metadata: { ticket: 'T-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^work_/),
      type: 'work',
      environment_id: env,
      state: 'queued',
      data: { type: 'session', id: 'session_abc' },
      metadata: { ticket: 'T-1' },
      created_at: '2026-01-01T00:00:00.000001Z',
      acknowledged_at: null,
      started_at: null,
      latest_heartbeat_at: null,
      stop_requested_at: null,
      stopped_at: null,
      secret: null,
    });
  });

  it('works with no body at all', async () => {
    const res = await api('POST', `/_emulator/environments/${env}/work`, { key: null });
    expect(res.json.data.id).toMatch(/^session_/);
  });

  it('is 404 for an unknown environment, 400 for a cloud or archived one, 400 for a bad body', async () => {
    expect((await enqueue({}, 'env_nope')).status).toBe(404);
    const cloud = await api('POST', '/v1/environments', { body: { name: 'cloud' } });
    const onCloud = await enqueue({}, cloud.json.id);
    expect(onCloud.status).toBe(400);
    expect(onCloud.json.error.message).toContain('self_hosted');
    await api('POST', `/v1/environments/${env}/archive`);
    const archived = await enqueue();
    expect(archived.status).toBe(400);
    expect(archived.json.error.details).toEqual({ error_code: 'environment_archived' });
    const bad = await enqueue({ session_id: 'has space', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/session_id: .*extra/s);
  });

  it("is the same as the handle's enqueue", async () => {
    const item = emulator.enqueue(env, { metadata: { via: 'handle' } });
    const got = await api('GET', work(`/${item.id as string}`));
    expect(got.json).toEqual(item);
  });
});

describe('work routes on a cloud environment', () => {
  it('answer 400 naming the environment type', async () => {
    const cloud = (await api('POST', '/v1/environments', { body: { name: 'cloud' } })).json.id;
    for (const path of ['/work', '/work/stats', '/work/poll']) {
      const res = await api('GET', `/v1/environments/${cloud}${path}`);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toContain('cloud environment');
    }
  });
});

describe('poll_work_item', () => {
  it('answers the JSON null when there is no work', async () => {
    const res = await api('GET', work('/poll'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('null');
  });

  it('hands out an item with a secret the official SDK can decode; no other answer has one', async () => {
    const queued = await enqueue();
    const polled = await api('GET', work('/poll'));
    expect(polled.json.id).toBe(queued.json.id);
    expect(polled.json.state).toBe('queued');
    const token = sessionsTokenFromSecret(polled.json.secret);
    expect(token).toMatch(/^sk-ant-req-emulator-/);
    const payload = JSON.parse(Buffer.from(polled.json.secret, 'base64url').toString('utf8'));
    expect(payload).toEqual({ sessions_token: token, api_base_url: emulator.url });
    for (const path of [work(), work(`/${queued.json.id}`)]) {
      const text = (await api('GET', path)).text;
      expect(text).not.toContain(token);
      expect(text).toContain('"secret":null');
    }
  });

  it('is a true long poll over HTTP: woken by an enqueue', async () => {
    const waiting = api('GET', work('/poll?block_ms=999'), {
      headers: { 'anthropic-worker-id': 'waiter' },
    });
    // Stats count the worker once its poll is parked on the server (poll registers it, then waits).
    while ((await api('GET', work('/stats'))).json.workers_polling !== 1)
      await new Promise((r) => setTimeout(r, 5));
    const queued = await enqueue();
    // A poll that timed out would have answered null.
    expect((await waiting).json?.id).toBe(queued.json.id);
  });

  it('closing the emulator ends a waiting long poll with null', async () => {
    const waiting = api('GET', work('/poll?block_ms=999'), {
      headers: { 'anthropic-worker-id': 'waiter' },
    });
    while ((await api('GET', work('/stats'))).json.workers_polling !== 1)
      await new Promise((r) => setTimeout(r, 5));
    await emulator.close();
    expect((await waiting).text).toBe('null');
  });

  it('with block_ms and nothing coming, answers null after the wait', async () => {
    const res = await api('GET', work('/poll?block_ms=30'));
    expect(res.text).toBe('null');
  });

  it('re-delivers an unacked item once the clock passes reclaim_older_than_ms', async () => {
    const queued = await enqueue();
    await api('GET', work('/poll'));
    expect((await api('GET', work('/poll?reclaim_older_than_ms=1000'))).text).toBe('null');
    emulator.clock.advance(1000);
    expect((await api('GET', work('/poll?reclaim_older_than_ms=1000'))).json.id).toBe(
      queued.json.id,
    );
  });

  it('counts Anthropic-Worker-ID in workers_polling', async () => {
    await api('GET', work('/poll'), { headers: { 'anthropic-worker-id': 'w1' } });
    await api('GET', work('/poll'), { headers: { 'Anthropic-Worker-ID': 'w2' } });
    expect((await api('GET', work('/stats'))).json.workers_polling).toBe(2);
  });

  it.each([
    ['?block_ms=1000', /^block_ms: /],
    ['?block_ms=0', /^block_ms: /],
    ['?reclaim_older_than_ms=soon', /^reclaim_older_than_ms: must be an integer/],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    const res = await api('GET', work(`/poll${query}`));
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(message);
  });

  it('refuses a bad Anthropic-Worker-ID naming the header', async () => {
    const res = await api('GET', work('/poll'), {
      headers: { 'anthropic-worker-id': 'x'.repeat(129) },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^anthropic-worker-id header: /);
  });
});

describe('the worker protocol: ack, heartbeat, stop', () => {
  async function claimed(): Promise<string> {
    const id = (await enqueue()).json.id as string;
    await api('GET', work('/poll'));
    return id;
  }

  it('walks an item through queued → starting → active → stopping → stopped', async () => {
    const id = await claimed();
    const acked = await api('POST', work(`/${id}/ack`));
    expect(acked.json).toMatchObject({
      state: 'starting',
      acknowledged_at: expect.any(String),
      secret: null,
    });

    const beat = await api(
      'POST',
      work(`/${id}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT&desired_ttl_seconds=120`),
    );
    expect(beat.json).toEqual({
      type: 'work_heartbeat',
      last_heartbeat: expect.any(String),
      lease_extended: true,
      state: 'active',
      ttl_seconds: 120,
    });

    const again = await api(
      'POST',
      work(
        `/${id}/heartbeat?expected_last_heartbeat=${encodeURIComponent(beat.json.last_heartbeat)}`,
      ),
    );
    expect(again.json).toMatchObject({
      state: 'active',
      lease_extended: true,
      ttl_seconds: LEASE_TTL.default,
    });

    const stopping = await api('POST', work(`/${id}/stop`), { body: {} });
    expect(stopping.json).toMatchObject({
      state: 'stopping',
      stop_requested_at: expect.any(String),
      stopped_at: null,
    });
    const seen = await api(
      'POST',
      work(
        `/${id}/heartbeat?expected_last_heartbeat=${encodeURIComponent(again.json.last_heartbeat)}`,
      ),
    );
    expect(seen.json.state).toBe('stopping');

    const stopped = await api('POST', work(`/${id}/stop`), { body: { force: true } });
    expect(stopped.json).toMatchObject({ state: 'stopped', stopped_at: expect.any(String) });

    const conflict = await api('POST', work(`/${id}/stop`), { body: {} });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.message).toContain('already stopped');
  });

  it('a stale heartbeat is 412 with details.current_state', async () => {
    const id = await claimed();
    await api('POST', work(`/${id}/ack`));
    const first = await api('POST', work(`/${id}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT`));
    const stale = await api('POST', work(`/${id}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT`));
    expect(stale.status).toBe(412);
    expect(stale.json).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining('Heartbeat precondition failed'),
        details: {
          error_code: 'heartbeat_precondition_failed',
          current_state: {
            last_heartbeat: first.json.last_heartbeat,
            lease_extended: false,
            state: 'active',
            ttl_seconds: LEASE_TTL.default,
          },
        },
      },
      request_id: stale.headers.get('request-id'),
    });
  });

  it('a lease that lapses (clock moved) puts the item back in the queue', async () => {
    const id = await claimed();
    await api('POST', work(`/${id}/ack`));
    await api(
      'POST',
      work(`/${id}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT&desired_ttl_seconds=30`),
    );
    emulator.clock.advance(30_000);
    expect((await api('GET', work(`/${id}`))).json.state).toBe('queued');
    expect((await api('GET', work('/stats'))).json).toMatchObject({ depth: 1, pending: 0 });
  });

  it.each([
    ['desired_ttl_seconds=abc', /^desired_ttl_seconds: must be an integer/],
    ['desired_ttl_seconds=0', /^desired_ttl_seconds: /],
    ['expected_last_heartbeat=yesterday', /^expected_last_heartbeat: /],
  ])('heartbeat refuses %s naming the parameter', async (query, message) => {
    const id = await claimed();
    const res = await api('POST', work(`/${id}/heartbeat?${query}`));
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(message);
  });

  it('stop refuses a body field it does not know, and a force that is not a boolean', async () => {
    const id = await claimed();
    let res = await api('POST', work(`/${id}/stop`), { body: { now: true } });
    expect(res.json.error.message).toMatch(/^now: unknown field \(allowed in the body: force\)/);
    res = await api('POST', work(`/${id}/stop`), { body: { force: 'yes' } });
    expect(res.json.error.message).toMatch(/^force: /);
  });

  it('ack of a stopped item is 409; of an unknown one 404', async () => {
    const id = await claimed();
    await api('POST', work(`/${id}/stop`), { body: { force: true } });
    expect((await api('POST', work(`/${id}/ack`))).status).toBe(409);
    expect((await api('POST', work('/work_nope/ack'))).status).toBe(404);
  });
});

describe('get, list, update, stats', () => {
  it('get_work_item is 404 for an item of another environment', async () => {
    const other = await selfHosted(api, 'other');
    const id = (await enqueue()).json.id;
    const res = await api('GET', `/v1/environments/${other}/work/${id}`);
    expect(res.status).toBe(404);
    expect(res.json.error.type).toBe('not_found_error');
  });

  it('list_work_items pages newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await enqueue()).json.id);
    const first = await api('GET', work('?limit=2'));
    expect(first.json.data.map((w: { id: string }) => w.id)).toEqual([ids[2], ids[1]]);
    const second = await api(
      'GET',
      work(`?limit=2&page=${encodeURIComponent(first.json.next_page)}`),
    );
    expect(second.json).toMatchObject({ data: [{ id: ids[0] }], next_page: null });
  });

  it('a work cursor does not page the environments list', async () => {
    await enqueue();
    await enqueue();
    const cursor = (await api('GET', work('?limit=1'))).json.next_page;
    expect((await api('GET', `/v1/environments?page=${encodeURIComponent(cursor)}`)).status).toBe(
      400,
    );
  });

  it('update_work_item merges metadata (null deletes) in any state', async () => {
    const id = (await enqueue({ metadata: { a: '1', b: '2' } })).json.id;
    await api('POST', work(`/${id}/stop`), { body: { force: true } });
    const res = await api('POST', work(`/${id}`), { body: { metadata: { a: null, c: '3' } } });
    expect(res.json).toMatchObject({ state: 'stopped', metadata: { b: '2', c: '3' } });
  });

  it('update_work_item needs metadata', async () => {
    const id = (await enqueue()).json.id;
    const res = await api('POST', work(`/${id}`), { body: {} });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^metadata: /);
  });

  it('stats: depth, pending, oldest_queued_at, workers_polling', async () => {
    expect((await api('GET', work('/stats'))).json).toEqual({
      type: 'work_queue_stats',
      depth: 0,
      pending: 0,
      oldest_queued_at: null,
      workers_polling: 0,
    });
    await enqueue();
    emulator.clock.advance(1000);
    await enqueue();
    await api('GET', work('/poll'));
    expect((await api('GET', work('/stats'))).json).toEqual({
      type: 'work_queue_stats',
      depth: 1,
      pending: 1,
      oldest_queued_at: '2026-01-01T00:00:00.000Z',
      workers_polling: null,
    });
  });

  it('deleting the environment removes its work', async () => {
    const id = (await enqueue()).json.id;
    await api('DELETE', `/v1/environments/${env}`);
    expect((await api('GET', work(`/${id}`))).status).toBe(404);
  });

  it('an archived environment still drains: poll, ack, stop work', async () => {
    const id = (await enqueue()).json.id;
    await api('POST', `/v1/environments/${env}/archive`);
    expect((await api('GET', work('/poll'))).json.id).toBe(id);
    expect((await api('POST', work(`/${id}/ack`))).json.state).toBe('starting');
    expect((await api('POST', work(`/${id}/stop`), { body: {} })).json.state).toBe('stopped');
  });
});
