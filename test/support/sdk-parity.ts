// Sending the same operation through our client and through Anthropic's SDK
// (@anthropic-ai/sdk 1.16.0) to one recorder, and the parts of a request that
// must agree: shared by the parity and property tests.
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import { createApiClient } from '../../src/api/client.js';
import type { OperationName } from '../../src/api/operations.js';
import { testConfig } from './config.js';
import { json, type Recorded, type Recorder } from './recorder.js';
import { API_KEY, ENVIRONMENT_KEY, samples } from './samples.js';

export const BETAS = ['extra-beta'];
export const WORKSPACE = 'wrkspc_parity';
export const SDK_VERSION = '2026-10-21';

export type Args = Record<string, any>;
type Sdk = Anthropic;

/**
 * The same operation through the SDK. Every method gets the extra betas, and
 * `workspace_id` wherever the SDK's parameters take one: whether the header
 * then goes out is the SDK's decision, which ours must match.
 */
export const viaSdk: Record<OperationName, (sdk: Sdk, a: Args) => Promise<unknown>> = {
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
export interface Wire {
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

export function wire(r: Recorded): Wire {
  const headers: Record<string, string | undefined> = {};
  for (const h of COMPARED_HEADERS) headers[h] = r.headers[h] as string | undefined;
  return {
    method: r.method,
    url: r.url,
    body: r.body === '' ? undefined : JSON.parse(r.body),
    headers,
  };
}

/** Each operation's credential, given the same way to both clients. */
export function sdkFor(name: OperationName, url: string): Sdk {
  const credential =
    samples[name].credential === 'api_key'
      ? { apiKey: API_KEY, authToken: null }
      : { apiKey: null, authToken: ENVIRONMENT_KEY };
  return new Anthropic({ baseURL: url, maxRetries: 0, ...credential });
}

/** Our request and the SDK's for the same arguments (the SDK's may throw: it refused them). */
export async function bothRequests(
  rec: Recorder,
  name: OperationName,
  args: Args,
): Promise<{ ours: Wire; sdk: Wire }> {
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
  await viaSdk[name](sdkFor(name, rec.url), args);
  expect(rec.requests).toHaveLength(2);
  return { ours: wire(rec.requests[0]!), sdk: wire(rec.requests[1]!) };
}
