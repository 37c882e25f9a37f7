// One call of every operation, with the HTTP request the public interface
// (README: Tools) says it sends, written out by hand (not derived from
// src/api/operations.ts) so that the client, end-to-end and parity tests check
// the code against it.
import { expect } from 'vitest';
import type { OperationName } from '../../src/api/operations.js';
import type { Recorded } from './recorder.js';

export const ENV_ID = 'env_011CZkZ9X2dpNyB7HsEFoRfW';
export const WORK_ID = 'work_011CZkZ9X2dpNyB7HsEFoRfW';
export const API_KEY = 'sk-ant-api03-test-key-0123456789';
export const AUTH_TOKEN = 'oauth-test-token-0123456789';
export const ENVIRONMENT_KEY = 'envkey-test-0123456789';
export const SESSIONS_TOKEN = 'sessions-token-0123456789';
export const REQUIRED_BETA = 'managed-agents-2026-04-01';

/** A poll `secret` as the API issues it: URL-safe base64 of JSON holding `sessions_token`. */
export function workSecret(token = SESSIONS_TOKEN): string {
  return Buffer.from(
    JSON.stringify({ sessions_token: token, api_base_url: 'https://api.anthropic.com' }),
  ).toString('base64url');
}

const T = '2026-05-01T10:00:00Z';

// Each response carries a field the API may add later: results must pass it through.
export const environment = {
  id: ENV_ID,
  type: 'environment',
  name: 'ci',
  description: 'CI runners',
  config: { type: 'self_hosted' },
  metadata: { team: 'infra' },
  scope: 'organization',
  created_at: T,
  updated_at: T,
  archived_at: null,
  added_later: { nested: true },
};
export const workItem = {
  id: WORK_ID,
  type: 'work',
  environment_id: ENV_ID,
  state: 'queued',
  data: { type: 'session', id: 'session_01' },
  metadata: {},
  created_at: T,
  acknowledged_at: null,
  started_at: null,
  latest_heartbeat_at: null,
  stop_requested_at: null,
  stopped_at: null,
  secret: null,
  added_later: 1,
};
/** Polled items get their own id, so a heartbeat of WORK_ID still shows the environment key. */
export const POLLED_ID = 'work_polled0123456789';
export const polledItem = { ...workItem, id: POLLED_ID, secret: workSecret() };

export type CredentialKind = 'api_key' | 'environment_key';

export interface Sample {
  args: Record<string, unknown>;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query: Record<string, string>;
  /** The JSON body; absent when no body is sent. */
  body?: unknown;
  /** Which credential the operation sends when both kinds are configured (README: Tools, the credential column). */
  credential: CredentialKind;
  /** Whether `anthropic-workspace-id` goes with it (src/api/operations.ts `workspace`: environment calls, work get/update/stats/stop). */
  workspace: boolean;
  /** Extra request headers the call sends (lower-case names). */
  headers?: Record<string, string>;
  response: unknown;
  /** The tool's structured result, when not the response itself. */
  result?: Record<string, unknown>;
}

const E = `/v1/environments/${ENV_ID}`;
const W = `${E}/work/${WORK_ID}`;

const createArgs = {
  name: 'ci',
  description: 'CI runners',
  config: {
    type: 'cloud',
    networking: { type: 'limited', allowed_hosts: ['pypi.org'], allow_package_managers: true },
    packages: { pip: ['pandas==2.2.0'], apt: ['git'] },
  },
  metadata: { team: 'infra' },
  scope: 'organization',
};

export const samples: Record<OperationName, Sample> = {
  create_environment: {
    args: createArgs,
    // The contract: the body is the arguments.
    method: 'POST',
    path: '/v1/environments',
    query: {},
    body: createArgs,
    credential: 'api_key',
    workspace: true,
    response: environment,
  },
  list_environments: {
    args: { include_archived: true, limit: 20, page: 'page_Ab+/=' },
    method: 'GET',
    path: '/v1/environments',
    query: { include_archived: 'true', limit: '20', page: 'page_Ab+/=' },
    credential: 'api_key',
    workspace: true,
    response: { data: [environment], next_page: 'page_next' },
  },
  get_environment: {
    args: { environment_id: ENV_ID },
    method: 'GET',
    path: E,
    query: {},
    credential: 'api_key',
    workspace: true,
    response: environment,
  },
  update_environment: {
    args: { environment_id: ENV_ID, name: 'ci-2', metadata: { team: null, owner: 'me' } },
    method: 'POST',
    path: E,
    query: {},
    body: { name: 'ci-2', metadata: { team: null, owner: 'me' } },
    credential: 'api_key',
    workspace: true,
    response: { ...environment, name: 'ci-2', metadata: { owner: 'me' } },
  },
  delete_environment: {
    args: { environment_id: ENV_ID },
    method: 'DELETE',
    path: E,
    query: {},
    credential: 'api_key',
    workspace: true,
    response: { id: ENV_ID, type: 'environment_deleted' },
  },
  archive_environment: {
    args: { environment_id: ENV_ID },
    method: 'POST',
    path: `${E}/archive`,
    query: {},
    credential: 'api_key',
    workspace: true,
    response: { ...environment, archived_at: T },
  },
  list_work_items: {
    args: { environment_id: ENV_ID, limit: 5, page: 'cur_1' },
    method: 'GET',
    path: `${E}/work`,
    query: { limit: '5', page: 'cur_1' },
    credential: 'environment_key',
    workspace: false,
    response: { data: [workItem], next_page: null },
  },
  get_work_item: {
    args: { environment_id: ENV_ID, work_id: WORK_ID },
    method: 'GET',
    path: W,
    query: {},
    credential: 'api_key',
    workspace: true,
    response: workItem,
  },
  update_work_item: {
    args: { environment_id: ENV_ID, work_id: WORK_ID, metadata: { a: '1', b: null } },
    method: 'POST',
    path: W,
    query: {},
    body: { metadata: { a: '1', b: null } },
    credential: 'api_key',
    workspace: true,
    response: { ...workItem, metadata: { a: '1' } },
  },
  stop_work_item: {
    args: { environment_id: ENV_ID, work_id: WORK_ID, force: true },
    method: 'POST',
    path: `${W}/stop`,
    query: {},
    body: { force: true },
    credential: 'api_key',
    workspace: true,
    response: { ...workItem, state: 'stopped', stopped_at: T },
  },
  get_work_queue_stats: {
    args: { environment_id: ENV_ID },
    method: 'GET',
    path: `${E}/work/stats`,
    query: {},
    credential: 'api_key',
    workspace: true,
    response: {
      type: 'work_queue_stats',
      depth: 3,
      pending: 1,
      oldest_queued_at: T,
      workers_polling: 2,
    },
  },
  poll_work_item: {
    args: {
      environment_id: ENV_ID,
      block_ms: 500,
      reclaim_older_than_ms: 10_000,
      worker_id: 'worker-1',
    },
    method: 'GET',
    path: `${E}/work/poll`,
    query: { block_ms: '500', reclaim_older_than_ms: '10000' },
    headers: { 'anthropic-worker-id': 'worker-1' },
    credential: 'environment_key',
    workspace: false,
    response: polledItem,
    result: { work: { ...polledItem, secret: '[redacted]' } },
  },
  ack_work_item: {
    args: { environment_id: ENV_ID, work_id: WORK_ID },
    method: 'POST',
    path: `${W}/ack`,
    query: {},
    credential: 'environment_key',
    workspace: false,
    response: { ...workItem, state: 'starting', acknowledged_at: T },
  },
  heartbeat_work_item: {
    args: {
      environment_id: ENV_ID,
      work_id: WORK_ID,
      desired_ttl_seconds: 60,
      expected_last_heartbeat: '2026-05-01T10:00:00.123456+00:00',
    },
    method: 'POST',
    path: `${W}/heartbeat`,
    query: {
      desired_ttl_seconds: '60',
      expected_last_heartbeat: '2026-05-01T10:00:00.123456+00:00',
    },
    credential: 'environment_key',
    workspace: false,
    response: {
      type: 'work_heartbeat',
      last_heartbeat: T,
      lease_extended: true,
      state: 'active',
      ttl_seconds: 60,
    },
  },
};

export const SAMPLE_NAMES = Object.keys(samples) as OperationName[];
/**
 * Every tool a server lists by default: one per operation, the composite
 * diagnose_work_queue and the work-queue view's app-only work_queue_snapshot.
 */
export const TOOL_NAMES: readonly string[] = [
  ...SAMPLE_NAMES,
  'diagnose_work_queue',
  'work_queue_snapshot',
];

export interface RequestExpectations {
  workspaceId?: string;
  /** The whole anthropic-beta value. */
  beta: string;
  /** The credential header each kind is sent as. */
  credentials: Record<CredentialKind, [header: string, value: string]>;
}

/** Checks a recorded request against a sample: the contract's method, path, query, body and headers. */
export function expectContractRequest(r: Recorded, s: Sample, want: RequestExpectations): void {
  expect(r.method).toBe(s.method);
  expect(r.path).toBe(s.path);
  expect(r.query).toEqual(s.query);
  if (s.body === undefined) expect(r.body).toBe('');
  else expect(r.json).toEqual(s.body);
  expect(r.headers['content-type']).toBe(s.body === undefined ? undefined : 'application/json');
  expect(r.headers['anthropic-version']).toBe('2026-10-21');
  expect(r.headers['anthropic-beta']).toBe(want.beta);
  expect(r.headers['anthropic-workspace-id']).toBe(s.workspace ? want.workspaceId : undefined);
  for (const [h, v] of Object.entries(s.headers ?? {})) expect(r.headers[h]).toBe(v);
  const [header, value] = want.credentials[s.credential];
  expect(r.headers[header]).toBe(value);
  // Exactly one credential goes out.
  expect(['x-api-key', 'authorization'].filter((h) => r.headers[h] !== undefined)).toEqual([
    header,
  ]);
}

export const KEY_HEADERS: RequestExpectations['credentials'] = {
  api_key: ['authorization', `Bearer ${API_KEY}`],
  environment_key: ['authorization', `Bearer ${ENVIRONMENT_KEY}`],
};
