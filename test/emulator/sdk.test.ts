// The official @anthropic-ai/sdk, unmodified, driving the emulator: a client
// no one here wrote proves the emulator speaks the API. Strict auth, so the
// SDK's choice of credential per call is checked too.
import Anthropic, { ConflictError, NotFoundError } from '@anthropic-ai/sdk';
import {
  BetaEnvironmentArchivedError,
  BetaInvalidConfigTypeChangeError,
  BetaInvalidMetadataError,
} from '@anthropic-ai/sdk/resources/beta/environments/environments';
import { BetaHeartbeatPreconditionFailedError } from '@anthropic-ai/sdk/resources/beta/environments/work';
import { sessionsTokenFromSecret } from '@anthropic-ai/sdk/lib/environments/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';

const API_KEY = 'sk-emulated-api-key';
const ENVIRONMENT_KEY = 'emulated-environment-key';

let emulator: EmulatorHandle;
let client: Anthropic;
/** The worker's view: the SDK authenticates with the environment key. */
let worker: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator({
    clock: manualClock(),
    strictAuth: { apiKeys: [API_KEY], environmentKeys: [ENVIRONMENT_KEY] },
  });
  client = new Anthropic({ apiKey: API_KEY, baseURL: emulator.url, maxRetries: 0 });
  worker = new Anthropic({
    apiKey: null,
    authToken: ENVIRONMENT_KEY,
    baseURL: emulator.url,
    maxRetries: 0,
  });
});
afterAll(() => emulator.close());

const selfHosted = (name = 'sdk-workers') =>
  client.beta.environments.create({ name, config: { type: 'self_hosted' } });

describe('environments through the SDK', () => {
  it('create, retrieve, update (merge), archive, delete', async () => {
    const env = await client.beta.environments.create({
      name: 'sdk-env',
      metadata: { team: 'a', keep: 'yes' },
    });
    expect(env).toMatchObject({
      type: 'environment',
      name: 'sdk-env',
      config: { type: 'cloud' },
      archived_at: null,
    });
    expect(await client.beta.environments.retrieve(env.id)).toEqual(env);

    const updated = await client.beta.environments.update(env.id, {
      description: 'now described',
      metadata: { team: null },
    });
    expect(updated).toMatchObject({
      name: 'sdk-env',
      description: 'now described',
      metadata: { keep: 'yes' },
    });

    const archived = await client.beta.environments.archive(env.id);
    expect(archived.archived_at).not.toBeNull();
    await expect(client.beta.environments.update(env.id, { name: 'x' })).rejects.toBeInstanceOf(
      BetaEnvironmentArchivedError,
    );

    expect(await client.beta.environments.delete(env.id)).toEqual({
      id: env.id,
      type: 'environment_deleted',
    });
    await expect(client.beta.environments.retrieve(env.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("maps the emulator's error codes onto the SDK's error classes", async () => {
    const env = await client.beta.environments.create({ name: 'typed' });
    await expect(
      client.beta.environments.update(env.id, { config: { type: 'self_hosted' } }),
    ).rejects.toBeInstanceOf(BetaInvalidConfigTypeChangeError);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    await expect(
      client.beta.environments.create({ name: 'm', metadata: many }),
    ).rejects.toBeInstanceOf(BetaInvalidMetadataError);
  });

  it('auto-paginates the list across pages', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 5; i++)
      created.add((await client.beta.environments.create({ name: `page-${i}` })).id);
    const seen: string[] = [];
    for await (const env of client.beta.environments.list({ limit: 2 })) seen.push(env.id);
    expect(seen.filter((id) => created.has(id))).toHaveLength(5);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('retries a 529 the way the SDK does, and succeeds', async () => {
    const retrying = new Anthropic({ apiKey: API_KEY, baseURL: emulator.url, maxRetries: 2 });
    emulator.faults.add({
      operation: 'list_environments',
      status: 529,
      retry_after_ms: 10,
      count: 2,
    });
    const page = await retrying.beta.environments.list({ limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(emulator.faults.list()).toEqual([]);
  });
});

describe('work through the SDK', () => {
  it('poll, ack, heartbeat, stop, update, stats, list, retrieve', async () => {
    const env = await selfHosted();
    const queued = emulator.enqueue(env.id, { session_id: 'session_sdk' });

    expect(await client.beta.environments.work.stats(env.id)).toMatchObject({
      depth: 1,
      pending: 0,
    });
    const polled = await worker.beta.environments.work.poll(env.id, {
      'Anthropic-Worker-ID': 'sdk-worker-1',
    });
    expect(polled).toMatchObject({
      id: queued.id,
      state: 'queued',
      data: { type: 'session', id: 'session_sdk' },
    });
    // The SDK's own decoder finds the sessions token in the secret.
    const token = sessionsTokenFromSecret(polled!.secret);
    expect(token).toMatch(/^sk-ant-req-/);
    expect(await client.beta.environments.work.stats(env.id)).toMatchObject({
      depth: 0,
      pending: 1,
      workers_polling: 1,
    });

    const acked = await worker.beta.environments.work.ack(queued.id as string, {
      environment_id: env.id,
    });
    expect(acked.state).toBe('starting');

    // The worker heartbeats with the item's sessions token, as the SDK's worker does.
    const itemClient = new Anthropic({
      apiKey: null,
      authToken: token!,
      baseURL: emulator.url,
      maxRetries: 0,
    });
    const beat = await itemClient.beta.environments.work.heartbeat(queued.id as string, {
      environment_id: env.id,
      expected_last_heartbeat: 'NO_HEARTBEAT',
      desired_ttl_seconds: 30,
    });
    expect(beat).toMatchObject({
      type: 'work_heartbeat',
      lease_extended: true,
      state: 'active',
      ttl_seconds: 30,
    });
    const stale = itemClient.beta.environments.work.heartbeat(queued.id as string, {
      environment_id: env.id,
      expected_last_heartbeat: 'NO_HEARTBEAT',
    });
    await expect(stale).rejects.toBeInstanceOf(BetaHeartbeatPreconditionFailedError);
    await stale.catch((err: { error?: { error?: { details?: unknown } } }) => {
      expect(err.error?.error?.details).toMatchObject({
        current_state: { last_heartbeat: beat.last_heartbeat, state: 'active' },
      });
    });

    const updated = await client.beta.environments.work.update(queued.id as string, {
      environment_id: env.id,
      metadata: { note: 'hi' },
    });
    expect(updated.metadata).toEqual({ note: 'hi' });
    expect(
      await client.beta.environments.work.retrieve(queued.id as string, { environment_id: env.id }),
    ).toMatchObject({
      state: 'active',
      secret: null,
    });

    expect(
      (await client.beta.environments.work.stop(queued.id as string, { environment_id: env.id }))
        .state,
    ).toBe('stopping');
    const next = await itemClient.beta.environments.work.heartbeat(queued.id as string, {
      environment_id: env.id,
      expected_last_heartbeat: beat.last_heartbeat,
    });
    expect(next.state).toBe('stopping');
    expect(
      (
        await itemClient.beta.environments.work.stop(queued.id as string, {
          environment_id: env.id,
          force: true,
        })
      ).state,
    ).toBe('stopped');
    await expect(
      client.beta.environments.work.stop(queued.id as string, { environment_id: env.id }),
    ).rejects.toBeInstanceOf(ConflictError);

    const listed = [];
    for await (const w of worker.beta.environments.work.list(env.id)) listed.push(w);
    expect(listed.map((w) => w.id)).toEqual([queued.id]);
  });

  it("the SDK's WorkPoller with drain: true claims, acks and stops every queued item", async () => {
    const env = await selfHosted('drained');
    const ids = new Set(
      Array.from(
        { length: 6 },
        (_, i) => emulator.enqueue(env.id, { metadata: { n: String(i) } }).id as string,
      ),
    );
    const seen: string[] = [];
    const poller = client.beta.environments.work.poller({
      environmentId: env.id,
      environmentKey: ENVIRONMENT_KEY,
      drain: true,
      blockMs: 50,
      workerId: 'drainer',
    });
    for await (const work of poller) {
      // Yielded after the ack: the item is the poller's now.
      expect(
        (await client.beta.environments.work.retrieve(work.id, { environment_id: env.id })).state,
      ).toBe('starting');
      seen.push(work.id);
    }
    expect(new Set(seen)).toEqual(ids);
    for (const id of ids) {
      expect(
        (await client.beta.environments.work.retrieve(id, { environment_id: env.id })).state,
      ).toBe('stopped');
    }
    expect(await client.beta.environments.work.stats(env.id)).toMatchObject({
      depth: 0,
      pending: 0,
      oldest_queued_at: null,
      workers_polling: 1,
    });
  });

  it('a WorkPoller stops for good on a fatal 4xx (a wrong environment key)', async () => {
    const env = await selfHosted('locked');
    const quiet = new Anthropic({
      apiKey: API_KEY,
      baseURL: emulator.url,
      maxRetries: 0,
      logLevel: 'off',
    });
    const poller = quiet.beta.environments.work.poller({
      environmentId: env.id,
      environmentKey: 'not-the-key',
      drain: true,
    });
    await expect(async () => {
      for await (const _ of poller) void _;
    }).rejects.toMatchObject({ status: 401 });
  });
});
