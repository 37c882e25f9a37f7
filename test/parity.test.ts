// Parity with Anthropic's official TypeScript SDK (@anthropic-ai/sdk 1.16.0,
// a devDependency used only in tests): for every operation, our client and
// the SDK send the same request, headers included, for the same arguments to
// the same recording server. There are no differences left to write down.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeAllPools, createApiClient } from '../src/api/client.js';
import { operations, type OperationName } from '../src/api/operations.js';
import { testConfig } from './support/config.js';
import { json, startRecorder, type Recorded, type Recorder } from './support/recorder.js';
import { API_KEY, ENVIRONMENT_KEY, SAMPLE_NAMES, samples } from './support/samples.js';

const BETAS = ['extra-beta'];
const WORKSPACE = 'wrkspc_parity';
const SDK_VERSION = '2026-10-21';

type Args = Record<string, any>;
type Sdk = Anthropic;

/**
 * The same operation through the SDK. Every method gets the extra betas, and
 * `workspace_id` wherever the SDK's parameters take one: whether the header
 * then goes out is the SDK's decision, which ours must match.
 */
const viaSdk: Record<OperationName, (sdk: Sdk, a: Args) => Promise<unknown>> = {
  create_environment: (sdk, a) => sdk.beta.environments.create({ ...a, betas: BETAS, workspace_id: WORKSPACE } as never),
  list_environments: async (sdk, a) => sdk.beta.environments.list({ ...a, betas: BETAS, workspace_id: WORKSPACE }),
  get_environment: (sdk, { environment_id }) => sdk.beta.environments.retrieve(environment_id, { betas: BETAS, workspace_id: WORKSPACE }),
  update_environment: (sdk, { environment_id, ...body }) =>
    sdk.beta.environments.update(environment_id, { ...body, betas: BETAS, workspace_id: WORKSPACE } as never),
  delete_environment: (sdk, { environment_id }) => sdk.beta.environments.delete(environment_id, { betas: BETAS, workspace_id: WORKSPACE }),
  archive_environment: (sdk, { environment_id }) => sdk.beta.environments.archive(environment_id, { betas: BETAS, workspace_id: WORKSPACE }),
  list_work_items: async (sdk, { environment_id, ...query }) => sdk.beta.environments.work.list(environment_id, { ...query, betas: BETAS }),
  get_work_item: (sdk, { work_id, environment_id }) =>
    sdk.beta.environments.work.retrieve(work_id, { environment_id, betas: BETAS, workspace_id: WORKSPACE }),
  update_work_item: (sdk, { work_id, ...rest }) =>
    sdk.beta.environments.work.update(work_id, { ...rest, betas: BETAS, workspace_id: WORKSPACE } as never),
  stop_work_item: (sdk, { work_id, ...rest }) =>
    sdk.beta.environments.work.stop(work_id, { ...rest, betas: BETAS, workspace_id: WORKSPACE } as never),
  get_work_queue_stats: (sdk, { environment_id }) => sdk.beta.environments.work.stats(environment_id, { betas: BETAS, workspace_id: WORKSPACE }),
  poll_work_item: (sdk, { environment_id, worker_id, ...query }) =>
    sdk.beta.environments.work.poll(environment_id, {
      ...query,
      ...(worker_id !== undefined ? { 'Anthropic-Worker-ID': worker_id } : {}),
      betas: BETAS,
    }),
  ack_work_item: (sdk, { work_id, environment_id }) => sdk.beta.environments.work.ack(work_id, { environment_id, betas: BETAS }),
  heartbeat_work_item: (sdk, { work_id, ...rest }) => sdk.beta.environments.work.heartbeat(work_id, { ...rest, betas: BETAS } as never),
};

/** The parts of a request that must agree. */
interface Wire {
  method: string;
  /** Path and query string as sent: the same percent-encoding and parameter order. */
  url: string;
  body: unknown;
  headers: Record<string, string | undefined>;
}

// Not compared: headers that name the client (user-agent, x-stainless-*), and
// those fetch adds by itself (accept-language, sec-fetch-mode, accept-encoding:
// we ask for no compression, as undici's request() does not decompress).
const COMPARED_HEADERS = [
  'anthropic-version', 'anthropic-beta', 'anthropic-workspace-id', 'anthropic-worker-id',
  'content-type', 'content-length', 'accept', 'x-api-key', 'authorization',
];

function wire(r: Recorded): Wire {
  const headers: Record<string, string | undefined> = {};
  for (const h of COMPARED_HEADERS) headers[h] = r.headers[h] as string | undefined;
  return { method: r.method, url: r.url, body: r.body === '' ? undefined : JSON.parse(r.body), headers };
}

let rec: Recorder;
beforeAll(async () => {
  rec = await startRecorder();
});
afterAll(async () => {
  await closeAllPools();
  await rec?.close();
});
beforeEach(() => {
  rec.reset();
});

/** Each operation's credential, given the same way to both clients. */
function sdkFor(name: OperationName): Sdk {
  const credential = samples[name].credential === 'api_key' ? { apiKey: API_KEY, authToken: null } : { apiKey: null, authToken: ENVIRONMENT_KEY };
  return new Anthropic({ baseURL: rec.url, maxRetries: 0, ...credential });
}

/** Only the required arguments: what is left out must be left out by both. */
function requiredOnly(name: OperationName, args: Args): Args {
  const shape = operations[name].params.shape as Record<string, { isOptional(): boolean }>;
  return Object.fromEntries(Object.entries(args).filter(([k]) => !shape[k]!.isOptional()));
}

async function bothRequests(name: OperationName, args: Args): Promise<{ ours: Wire; sdk: Wire }> {
  const sample = samples[name];
  rec.fallback = json(200, sample.response);
  const ours = createApiClient(testConfig(rec.url, { maxRetries: 0 }, { ANTHROPIC_BETA: BETAS.join(','), ANTHROPIC_WORKSPACE_ID: WORKSPACE }));
  await ours.call(name, args as never);
  await viaSdk[name](sdkFor(name), args);
  expect(rec.requests).toHaveLength(2);
  return { ours: wire(rec.requests[0]!), sdk: wire(rec.requests[1]!) };
}

/** Every argument that SDK 1.16's types let be null, null (metadata patches: a null value too). */
function nullsFor(name: OperationName, args: Args): Args {
  const shape = operations[name].params.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  const out: Args = { ...args };
  for (const [k, field] of Object.entries(shape)) if (field.safeParse(null).success) out[k] = null;
  if (name === 'update_environment') out.metadata = { gone: null, emptied: '', kept: 'v' };
  if (name === 'update_work_item') out.metadata = { gone: null, kept: 'v' };
  return out;
}

/** Text that each encoder treats differently: ids, cursors and values with reserved and non-ASCII characters. */
function oddTextFor(name: OperationName, args: Args): Args {
  const out: Args = { ...args };
  if ('environment_id' in out) out.environment_id = "env:@!$&'()*+,;=~é%20";
  if ('work_id' in out) out.work_id = 'work_💥[x]{y}|`^"<>';
  if ('page' in out) out.page = "p a+g/e?=&!'()*~é";
  if ('expected_last_heartbeat' in out) out.expected_last_heartbeat = '2026-05-01T10:00:00.123456+00:00 ';
  if ('worker_id' in out) out.worker_id = '  worker 1\t';
  return out;
}

describe.each([
  ['all arguments', (_n: OperationName, a: Args) => a],
  ['required arguments only', requiredOnly],
  ['nulls wherever the SDK takes them', nullsFor],
  ['reserved and non-ASCII characters', oddTextFor],
])('parity with @anthropic-ai/sdk 1.16.0, %s', (_variant, argsOf) => {
  it.each(SAMPLE_NAMES)('%s', async (name) => {
    const { ours, sdk } = await bothRequests(name, argsOf(name, samples[name].args));
    expect(ours).toEqual(sdk);
  });
});

describe('the SDK under test', () => {
  it('is 1.16.0, and sends the headers our defaults now match', async () => {
    const { VERSION } = await import('@anthropic-ai/sdk/version');
    expect(VERSION).toBe('1.16.0');
    const { ours, sdk } = await bothRequests('get_environment', samples.get_environment.args);
    expect(sdk.headers).toMatchObject({ 'anthropic-version': SDK_VERSION, authorization: `Bearer ${API_KEY}`, 'x-api-key': undefined });
    expect(ours.headers).toEqual(sdk.headers);
  });

  it('nulls: the null-taking fields really are null in what both sent', async () => {
    const { ours } = await bothRequests('update_environment', nullsFor('update_environment', samples.update_environment.args));
    expect(ours.body).toMatchObject({ description: null, name: null, config: null, scope: null, metadata: { gone: null } });
    rec.reset();
    const poll = await bothRequests('poll_work_item', nullsFor('poll_work_item', samples.poll_work_item.args));
    expect(poll.ours.url).toMatch(/\?block_ms=&reclaim_older_than_ms=$/);
  });

  it('the version stays configurable: ANTHROPIC_VERSION is sent instead', async () => {
    const ours = createApiClient(testConfig(rec.url, {}, { ANTHROPIC_VERSION: '2023-06-01' }));
    rec.fallback = json(200, samples.get_environment.response);
    await ours.call('get_environment', samples.get_environment.args as never);
    expect(rec.requests[0]!.headers['anthropic-version']).toBe('2023-06-01');
  });
});
