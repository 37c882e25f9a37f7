// API-shaped answers for the recorder: a responder that recognises any of the
// operations' routes and answers with a body of that operation's response
// shape, built from the request (ids from the path, fields from the body), so
// every call gets its own, checkable answer.
import { operations, OPERATION_NAMES, type OperationName } from '../../src/api/operations.js';
import type { Recorded, Responder } from './recorder.js';
import * as samples from './samples.js';

const T = '2026-04-01T00:00:00Z';

export function environment(
  id: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...samples.environment, id, ...fields };
}

export function workItem(
  environmentId: string,
  id: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...samples.workItem, id, environment_id: environmentId, ...fields };
}

interface Route {
  name: OperationName;
  method: string;
  pattern: RegExp;
  names: string[];
}

// Literal routes (work/stats, work/poll) before the templates they also match.
const ROUTES: Route[] = OPERATION_NAMES.map((name) => {
  const op = operations[name];
  const names: string[] = [];
  const source = op.path.replace(/\{(\w+)\}/g, (_, n: string) => {
    names.push(n);
    return '([^/]+)';
  });
  return { name, method: op.method, pattern: new RegExp(`^${source}$`), names };
}).sort((a, b) => a.names.length - b.names.length);

/** Which operation a recorded request is, and its path parameters (decoded). */
export function routeOf(
  req: Pick<Recorded, 'method' | 'path'>,
): { name: OperationName; ids: Record<string, string> } | undefined {
  for (const r of ROUTES) {
    const m = r.method === req.method ? r.pattern.exec(req.path) : null;
    if (m)
      return {
        name: r.name,
        ids: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])),
      };
  }
  return undefined;
}

export interface AnswerOptions {
  /** The `secret` a poll hands out (null when omitted). */
  pollSecret?: string;
}

/** The body an API would answer for this request. */
export function answerFor(req: Recorded, opts: AnswerOptions = {}): unknown {
  const route = routeOf(req);
  if (!route) return undefined;
  const env = route.ids.environment_id ?? 'env_created';
  const work = route.ids.work_id ?? 'work_polled';
  const body = (req.json ?? {}) as Record<string, unknown>;
  switch (route.name) {
    case 'create_environment':
    case 'update_environment':
      return environment(env, { ...body, config: body.config ?? { type: 'cloud' }, metadata: {} });
    case 'get_environment':
      return environment(env);
    case 'archive_environment':
      return environment(env, { archived_at: T });
    case 'list_environments':
      return { data: [environment('env_listed')], next_page: null };
    case 'delete_environment':
      return { id: env, type: 'environment_deleted' };
    case 'list_work_items':
      return { data: [workItem(env, 'work_listed')], next_page: null };
    case 'get_work_item':
    case 'update_work_item':
    case 'ack_work_item':
      return workItem(env, work);
    case 'stop_work_item':
      return workItem(env, work, { state: 'stopping' });
    case 'get_work_queue_stats':
      return {
        type: 'work_queue_stats',
        depth: 0,
        pending: 0,
        oldest_queued_at: null,
        workers_polling: null,
      };
    case 'poll_work_item':
      return workItem(env, work, { secret: opts.pollSecret ?? null });
    case 'heartbeat_work_item':
      return {
        type: 'work_heartbeat',
        last_heartbeat: T,
        lease_extended: true,
        state: 'active',
        ttl_seconds: 60,
      };
  }
}

/** Answers every API route with its response shape; anything else is a 404. */
export function apiResponder(opts: AnswerOptions = {}): Responder {
  return (req, res) => {
    const body = answerFor(req, opts);
    const status = body === undefined ? 404 : 200;
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': `req_fixture_${status}`,
    });
    res.end(
      JSON.stringify(
        body ?? { type: 'error', error: { type: 'not_found_error', message: 'no such route' } },
      ),
    );
  };
}
