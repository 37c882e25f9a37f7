// Every Environments and Work operation as data: the HTTP request it is, the
// credential it takes, and the shapes of its parameters and response. The
// client builds requests from this table and the emulator routes by it, so an
// endpoint is described exactly once.
import type { z } from 'zod';
import type { CredentialKind } from './credential-kinds.js';
import {
  CreateEnvironmentParams,
  Environment,
  EnvironmentDeleted,
  EnvironmentList,
  EnvironmentRef,
  ListEnvironmentsParams,
  UpdateEnvironmentParams,
} from '../shapes/environment.js';
import {
  HeartbeatParams,
  ListWorkItemsParams,
  PolledWork,
  PollWorkParams,
  StopWorkItemParams,
  UpdateWorkItemParams,
  WorkHeartbeat,
  WorkItem,
  WorkList,
  WorkQueueStats,
  WorkRef,
} from '../shapes/work.js';

export type { CredentialKind } from './credential-kinds.js';

export interface Operation<P extends z.ZodObject = z.ZodObject, R extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path template; `{name}` segments are filled from the parameters of that name. */
  path: string;
  params: P;
  response: R;
  /** Parameters sent in the query string (only when given). */
  query?: readonly string[];
  /** Parameters sent as headers: parameter name -> header name. */
  headers?: Readonly<Record<string, string>>;
  /**
   * 'rest': the parameters not used elsewhere form the JSON body;
   * 'none': no body. Stop always sends a body (`{}` when force is omitted).
   */
  body: 'rest' | 'none';
  credentials: readonly CredentialKind[];
  /** Whether `anthropic-workspace-id` is sent (management calls; README: Configuration). */
  workspace: boolean;
  /** Safe to repeat after a lost response (decides retries of network failures). */
  idempotent: boolean;
  /**
   * The answer is a work item whose `secret` carries a per-item token: the
   * client keeps it (./credentials.ts) for the item's `work_secret` calls.
   */
  issuesWorkToken?: boolean;
}

function op<P extends z.ZodObject, R extends z.ZodType>(o: Operation<P, R>): Operation<P, R> {
  return o;
}

const ENV = '/v1/environments';
const ONE_ENV = `${ENV}/{environment_id}`;
const WORK = `${ONE_ENV}/work`;
const ONE_WORK = `${WORK}/{work_id}`;

export const operations = {
  create_environment: op({
    method: 'POST',
    path: ENV,
    params: CreateEnvironmentParams,
    response: Environment,
    body: 'rest',
    credentials: ['api_key'],
    workspace: true,
    idempotent: false,
  }),
  list_environments: op({
    method: 'GET',
    path: ENV,
    params: ListEnvironmentsParams,
    response: EnvironmentList,
    query: ['include_archived', 'limit', 'page'],
    body: 'none',
    credentials: ['api_key'],
    workspace: true,
    idempotent: true,
  }),
  get_environment: op({
    method: 'GET',
    path: ONE_ENV,
    params: EnvironmentRef,
    response: Environment,
    body: 'none',
    credentials: ['api_key'],
    workspace: true,
    idempotent: true,
  }),
  update_environment: op({
    method: 'POST',
    path: ONE_ENV,
    params: UpdateEnvironmentParams,
    response: Environment,
    body: 'rest',
    credentials: ['api_key'],
    workspace: true,
    idempotent: true,
  }),
  delete_environment: op({
    method: 'DELETE',
    path: ONE_ENV,
    params: EnvironmentRef,
    response: EnvironmentDeleted,
    body: 'none',
    credentials: ['api_key'],
    workspace: true,
    idempotent: true,
  }),
  archive_environment: op({
    method: 'POST',
    path: `${ONE_ENV}/archive`,
    params: EnvironmentRef,
    response: Environment,
    body: 'none',
    credentials: ['api_key'],
    workspace: true,
    idempotent: true,
  }),
  list_work_items: op({
    method: 'GET',
    path: WORK,
    params: ListWorkItemsParams,
    response: WorkList,
    query: ['limit', 'page'],
    body: 'none',
    credentials: ['environment_key'],
    workspace: false,
    idempotent: true,
  }),
  get_work_item: op({
    method: 'GET',
    path: ONE_WORK,
    params: WorkRef,
    response: WorkItem,
    body: 'none',
    credentials: ['api_key'],
    workspace: true,
    idempotent: true,
  }),
  update_work_item: op({
    method: 'POST',
    path: ONE_WORK,
    params: UpdateWorkItemParams,
    response: WorkItem,
    body: 'rest',
    credentials: ['api_key'],
    workspace: true,
    idempotent: true,
  }),
  // Stop takes the API key (with the workspace header) or the worker's credentials.
  stop_work_item: op({
    method: 'POST',
    path: `${ONE_WORK}/stop`,
    params: StopWorkItemParams,
    response: WorkItem,
    body: 'rest',
    credentials: ['api_key', 'work_secret', 'environment_key'],
    workspace: true,
    idempotent: true,
  }),
  get_work_queue_stats: op({
    method: 'GET',
    path: `${WORK}/stats`,
    params: EnvironmentRef,
    response: WorkQueueStats,
    body: 'none',
    credentials: ['api_key'],
    workspace: true,
    idempotent: true,
  }),
  // A poll claims an item, but an unacked item returns to the queue by itself,
  // so repeating one after a lost response loses nothing.
  poll_work_item: op({
    method: 'GET',
    path: `${WORK}/poll`,
    params: PollWorkParams,
    response: PolledWork,
    query: ['block_ms', 'reclaim_older_than_ms'],
    headers: { worker_id: 'anthropic-worker-id' },
    body: 'none',
    credentials: ['environment_key'],
    workspace: false,
    idempotent: true,
    issuesWorkToken: true,
  }),
  ack_work_item: op({
    method: 'POST',
    path: `${ONE_WORK}/ack`,
    params: WorkRef,
    response: WorkItem,
    body: 'none',
    credentials: ['environment_key'],
    workspace: false,
    idempotent: true,
  }),
  heartbeat_work_item: op({
    method: 'POST',
    path: `${ONE_WORK}/heartbeat`,
    params: HeartbeatParams,
    response: WorkHeartbeat,
    query: ['desired_ttl_seconds', 'expected_last_heartbeat'],
    body: 'none',
    credentials: ['work_secret', 'environment_key'],
    workspace: false,
    idempotent: true,
  }),
} as const;

export type OperationName = keyof typeof operations;
export const OPERATION_NAMES = Object.keys(operations) as OperationName[];
export type ParamsOf<N extends OperationName> = z.infer<(typeof operations)[N]['params']>;
export type ResponseOf<N extends OperationName> = z.infer<(typeof operations)[N]['response']>;
