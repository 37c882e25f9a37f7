// SDK 1.16.0's own worker machinery, unmodified, against the emulator: the
// internal lease that EnvironmentWorker holds while it serves an item
// (lib/internal/environments/lease), on the item's sessions token, in real
// time. The emulator's lease is 2 s here (the lease then beats every 1 s);
// the emulator's log counts the heartbeats, so "within one heartbeat" is a
// count, not a timing.
import Anthropic from '@anthropic-ai/sdk';
import { sessionsTokenFromSecret } from '@anthropic-ai/sdk/lib/environments/worker';
// Not in the package's exports ("./lib/internal/*": null): loaded by its file,
// the same module EnvironmentWorker itself loads.
import { Lease } from '../../node_modules/@anthropic-ai/sdk/lib/internal/environments/lease.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';

const API_KEY = 'sk-emulated-api-key';
const ENVIRONMENT_KEY = 'emulated-environment-key';

let emulator: EmulatorHandle;
let client: Anthropic;
let worker: Anthropic;
const lines: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    strictAuth: { apiKeys: [API_KEY], environmentKeys: [ENVIRONMENT_KEY] },
    lease: { default: 2, min: 1 },
    log: (line) => lines.push(line),
  });
  client = new Anthropic({ apiKey: API_KEY, baseURL: emulator.url, maxRetries: 0 });
  worker = new Anthropic({
    apiKey: null,
    authToken: ENVIRONMENT_KEY,
    baseURL: emulator.url,
    maxRetries: 0,
    logLevel: 'off',
  });
});
afterAll(() => emulator.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until `ok` holds, at most `ms` (a bounded loop). */
async function until(ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !(await ok()); ) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

/** A claimed item, as the WorkPoller hands it over: polled and acked; and the lease the worker holds on it. */
async function claimed() {
  const env = await client.beta.environments.create({
    name: 'sdk-lease',
    config: { type: 'self_hosted' },
  });
  emulator.enqueue(env.id, { session_id: 'session_lease' });
  const work = (await worker.beta.environments.work.poll(env.id, {
    'Anthropic-Worker-ID': 'lease-test',
  }))!;
  await worker.beta.environments.work.ack(work.id, { environment_id: env.id });
  const token = sessionsTokenFromSecret(work.secret)!;
  const itemClient = new Anthropic({
    apiKey: null,
    authToken: token,
    baseURL: emulator.url,
    maxRetries: 0,
    logLevel: 'off',
  });
  const lease = new Lease(itemClient, work, undefined);
  const heartbeats = () => lines.filter((l) => l.includes(`/work/${work.id}/heartbeat`));
  const stops = () =>
    lines.filter((l) => l.startsWith(`POST /v1/environments/${env.id}/work/${work.id}/stop`));
  const state = async () =>
    (await client.beta.environments.work.retrieve(work.id, { environment_id: env.id })).state;
  return { env, work, lease, heartbeats, stops, state };
}

/** Serves until the lease ends serving; records how many heartbeats had gone out by then. */
function serve(lease: Lease, heartbeats: () => string[]) {
  let beatsAtEnd = -1;
  const held = lease.holdDuring(async (signal) => {
    await new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    beatsAtEnd = heartbeats().length;
  }, AbortSignal.timeout(30_000));
  return { held, beatsAtEnd: () => beatsAtEnd };
}

describe('SDK 1.16 lease against the emulator', () => {
  it('claims with a first heartbeat, then keeps the lease at ttl/2', async () => {
    const { env, work, lease, heartbeats, state } = await claimed();
    const run = serve(lease, heartbeats);
    await until(async () => (await state()) === 'active');
    expect(heartbeats()[0]).toMatch(/expected_last_heartbeat=NO_HEARTBEAT 200/);
    expect(lease.ttlMs).toBe(2000);
    await until(() => heartbeats().length >= 3);
    // Each later beat echoes the previous last_heartbeat, which the emulator takes back.
    expect(heartbeats().every((l) => / 200 /.test(l))).toBe(true);
    await client.beta.environments.work.stop(work.id, { environment_id: env.id, force: true });
    await run.held;
  });

  it('sees a graceful stop on the next heartbeat (lease_extended: false), stops serving and force-stops the item', async () => {
    const { env, work, lease, heartbeats, stops, state } = await claimed();
    const run = serve(lease, heartbeats);
    await until(async () => (await state()) === 'active');
    const stopped = await client.beta.environments.work.stop(work.id, { environment_id: env.id });
    expect(stopped.state).toBe('stopping');
    const beatsAtStop = heartbeats().length;
    await run.held;
    // The first heartbeat after the stop ended serving (a second only if one was
    // in flight as the stop landed); before, serving went on as long as the worker beat.
    expect(run.beatsAtEnd() - beatsAtStop).toBeGreaterThanOrEqual(1);
    expect(run.beatsAtEnd() - beatsAtStop).toBeLessThanOrEqual(2);
    expect(lease.lost.aborted).toBe(false);
    // On exit the lease force-stops the item it still held.
    expect(stops()).toHaveLength(2);
    expect(await state()).toBe('stopped');
  });

  it("a force stop ends serving on the next heartbeat; the lease's own stop then meets a 409 it ignores", async () => {
    const { env, work, lease, heartbeats, stops, state } = await claimed();
    const run = serve(lease, heartbeats);
    await until(async () => (await state()) === 'active');
    await client.beta.environments.work.stop(work.id, { environment_id: env.id, force: true });
    const beatsAtStop = heartbeats().length;
    await run.held; // resolves: the 409 is not an error to the worker
    expect(run.beatsAtEnd() - beatsAtStop).toBeGreaterThanOrEqual(1);
    expect(run.beatsAtEnd() - beatsAtStop).toBeLessThanOrEqual(2);
    expect(stops().map((l) => / (\d{3}) /.exec(l)?.[1])).toEqual(['200', '409']);
    expect(await state()).toBe('stopped');
  });

  it('loses the lease on a 412 (another heartbeat won) and then leaves the item alone', async () => {
    const { env, work, lease, heartbeats, stops, state } = await claimed();
    const run = serve(lease, heartbeats);
    await until(async () => (await state()) === 'active');
    // Another holder renews with the stored value: the worker's next echo is stale.
    const rival = new Anthropic({
      apiKey: null,
      authToken: ENVIRONMENT_KEY,
      baseURL: emulator.url,
      maxRetries: 0,
    });
    // Retried if the worker's own beat lands in between (bounded).
    for (let tries = 0; ; tries++) {
      const current = await client.beta.environments.work.retrieve(work.id, {
        environment_id: env.id,
      });
      const won = await rival.beta.environments.work
        .heartbeat(work.id, {
          environment_id: env.id,
          expected_last_heartbeat: current.latest_heartbeat_at,
        })
        .then(
          () => true,
          () => false,
        );
      if (won || tries >= 5) break;
    }
    await run.held;
    expect(lease.lost.aborted).toBe(true);
    expect(heartbeats().at(-1)).toMatch(/ 412 /);
    expect(stops()).toHaveLength(0);
    expect(await state()).toBe('active');
  });
});
