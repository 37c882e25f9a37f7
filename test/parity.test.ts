// Parity with Anthropic's official TypeScript SDK (@anthropic-ai/sdk 1.14.0,
// a devDependency used only here): for every operation, our client and the
// SDK send the same request for the same arguments to the same recording
// server, save for the differences written down below with their reason.
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
  create_environment: (sdk, a) =>
    sdk.beta.environments.create({ ...a, betas: BETAS, workspace_id: WORKSPACE } as never),
  list_environments: async (sdk, a) =>
    sdk.beta.environments.list({ ...a, betas: BETAS, workspace_id: WORKSPACE }),
  get_environment: (sdk, { environment_id }) =>
    sdk.beta.environments.retrieve(environment_id, { betas: BETAS, workspace_id: WORKSPACE }),
  update_environment: (sdk, { environment_id, ...body }) =>
    sdk.beta.environments.update(environment_id, {
      ...body,
      betas: BETAS,
      workspace_id: WORKSPACE,
    } as never),
  delete_environment: (sdk, { environment_id }) =>
    sdk.beta.environments.delete(environment_id, { betas: BETAS, workspace_id: WORKSPACE }),
  archive_environment: (sdk, { environment_id }) =>
    sdk.beta.environments.archive(environment_id, { betas: BETAS, workspace_id: WORKSPACE }),
  list_work_items: async (sdk, { environment_id, ...query }) =>
    sdk.beta.environments.work.list(environment_id, { ...query, betas: BETAS }),
  get_work_item: (sdk, { work_id, environment_id }) =>
    sdk.beta.environments.work.retrieve(work_id, {
      environment_id,
      betas: BETAS,
      workspace_id: WORKSPACE,
    }),
  update_work_item: (sdk, { work_id, ...rest }) =>
    sdk.beta.environments.work.update(work_id, {
      ...rest,
      betas: BETAS,
      workspace_id: WORKSPACE,
    } as never),
  stop_work_item: (sdk, { work_id, ...rest }) =>
    sdk.beta.environments.work.stop(work_id, {
      ...rest,
      betas: BETAS,
      workspace_id: WORKSPACE,
    } as never),
  get_work_queue_stats: (sdk, { environment_id }) =>
    sdk.beta.environments.work.stats(environment_id, { betas: BETAS, workspace_id: WORKSPACE }),
  poll_work_item: (sdk, { environment_id, worker_id, ...query }) =>
    sdk.beta.environments.work.poll(environment_id, {
      ...query,
      ...(worker_id !== undefined ? { 'Anthropic-Worker-ID': worker_id } : {}),
      betas: BETAS,
    }),
  ack_work_item: (sdk, { work_id, environment_id }) =>
    sdk.beta.environments.work.ack(work_id, { environment_id, betas: BETAS }),
  heartbeat_work_item: (sdk, { work_id, ...rest }) =>
    sdk.beta.environments.work.heartbeat(work_id, { ...rest, betas: BETAS } as never),
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
  'anthropic-version',
  'anthropic-beta',
  'anthropic-workspace-id',
  'anthropic-worker-id',
  'content-type',
  'content-length',
  'accept',
  'x-api-key',
  'authorization',
];

function wire(r: Recorded): Wire {
  const headers: Record<string, string | undefined> = {};
  for (const h of COMPARED_HEADERS) headers[h] = r.headers[h] as string | undefined;
  return {
    method: r.method,
    url: r.url,
    body: r.body === '' ? undefined : JSON.parse(r.body),
    headers,
  };
}

/**
 * Where we knowingly differ from SDK 1.14.0, and why. Each entry turns our
 * request into the SDK's form; `present` says whether it applies, so a
 * difference that disappears (a new SDK) fails the test and is removed here.
 */
const DIFFERENCES: {
  what: string;
  why: string;
  present: (ours: Wire, sdk: Wire) => boolean;
  apply: (ours: Wire) => void;
}[] = [
  {
    what: 'API key header form',
    why:
      'We send the API key as x-api-key, the long-documented header (README: Tools); SDK 1.14.0 sends it as Authorization: Bearer. ' +
      'The environment key and auth token go as Bearer in both.',
    present: (ours, sdk) =>
      ours.headers['x-api-key'] === API_KEY && sdk.headers.authorization === `Bearer ${API_KEY}`,
    apply: (ours) => {
      ours.headers.authorization = `Bearer ${ours.headers['x-api-key']}`;
      ours.headers['x-api-key'] = undefined;
    },
  },
  {
    what: 'anthropic-version',
    why: `We default to 2023-06-01, the version older SDKs send (ANTHROPIC_VERSION changes it); SDK 1.14.0 sends ${SDK_VERSION}.`,
    present: (ours, sdk) =>
      ours.headers['anthropic-version'] === '2023-06-01' &&
      sdk.headers['anthropic-version'] === SDK_VERSION,
    apply: (ours) => {
      ours.headers['anthropic-version'] = SDK_VERSION;
    },
  },
];

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
  const credential =
    samples[name].credential === 'api_key'
      ? { apiKey: API_KEY, authToken: null }
      : { apiKey: null, authToken: ENVIRONMENT_KEY };
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
  const ours = createApiClient(
    testConfig(
      rec.url,
      { maxRetries: 0 },
      { ANTHROPIC_BETA: BETAS.join(','), ANTHROPIC_WORKSPACE_ID: WORKSPACE },
    ),
  );
  await ours.call(name, args as never);
  await viaSdk[name](sdkFor(name), args);
  expect(rec.requests).toHaveLength(2);
  return { ours: wire(rec.requests[0]!), sdk: wire(rec.requests[1]!) };
}

describe.each([
  ['all arguments', (_n: OperationName, a: Args) => a],
  ['required arguments only', requiredOnly],
])('parity with @anthropic-ai/sdk 1.14.0, %s', (_variant, argsOf) => {
  it.each(SAMPLE_NAMES)('%s', async (name) => {
    const { ours, sdk } = await bothRequests(name, argsOf(name, samples[name].args));
    for (const d of DIFFERENCES) if (d.present(ours, sdk)) d.apply(ours);
    expect(ours).toEqual(sdk);
  });
});

describe('the written-down differences', () => {
  it('are real: each shows up on the operations it names', async () => {
    const seen = new Map(DIFFERENCES.map((d) => [d.what, [] as OperationName[]]));
    for (const name of SAMPLE_NAMES) {
      rec.reset();
      const { ours, sdk } = await bothRequests(name, samples[name].args);
      for (const d of DIFFERENCES) if (d.present(ours, sdk)) seen.get(d.what)!.push(name);
    }
    expect(seen.get('anthropic-version')).toEqual(SAMPLE_NAMES);
    expect(seen.get('API key header form')).toEqual(
      SAMPLE_NAMES.filter((n) => samples[n].credential === 'api_key'),
    );
    for (const d of DIFFERENCES) expect(d.why.length).toBeGreaterThan(20);
  });

  it('vanish when configured: ANTHROPIC_VERSION set to the SDK version sends the same header', async () => {
    const ours = createApiClient(testConfig(rec.url, {}, { ANTHROPIC_VERSION: SDK_VERSION }));
    rec.fallback = json(200, samples.get_environment.response);
    await ours.call('get_environment', samples.get_environment.args as never);
    await viaSdk.get_environment(sdkFor('get_environment'), samples.get_environment.args);
    expect(rec.requests[0]!.headers['anthropic-version']).toBe(
      rec.requests[1]!.headers['anthropic-version'],
    );
  });
});
