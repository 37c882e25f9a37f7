// A recorder responder that answers every Environments and Work route with a
// well-formed API body (so the tools' output schemas hold), echoing ids from
// the path. Not a model of the API: the emulator is that.
import type { Responder } from './recorder.js';

const T = '2026-04-01T00:00:00Z';

export function environment(id: string): Record<string, unknown> {
  return {
    id, type: 'environment', name: 'team', description: null, config: { type: 'self_hosted' }, metadata: {},
    scope: 'organization', created_at: T, updated_at: T, archived_at: null,
  };
}

export function workItem(environmentId: string, id: string): Record<string, unknown> {
  return {
    id, type: 'work', environment_id: environmentId, state: 'queued', data: { type: 'session', id: 'session_1' }, metadata: {},
    created_at: T, acknowledged_at: null, started_at: null, latest_heartbeat_at: null, stop_requested_at: null, stopped_at: null, secret: null,
  };
}

function answer(method: string, path: string): unknown {
  const [, , , env, work, item, action] = path.split('/'); // '', v1, environments, env, work, item, action
  if (!env) return method === 'GET' ? { data: [environment('env_1')], next_page: null } : environment('env_new');
  if (!work) return method === 'DELETE' ? { id: env, type: 'environment_deleted' } : environment(env);
  if (work === 'archive') return { ...environment(env), archived_at: T };
  if (!item) return { data: [workItem(env, 'work_1')], next_page: null };
  if (item === 'stats') return { type: 'work_queue_stats', depth: 1, pending: 0, oldest_queued_at: T, workers_polling: 0 };
  if (item === 'poll') return workItem(env, 'work_polled');
  if (action === 'heartbeat') return { type: 'work_heartbeat', last_heartbeat: T, lease_extended: true, state: 'active', ttl_seconds: 30 };
  return workItem(env, item);
}

/** Answers any route; `delayMs` holds each answer back (to overlap requests). */
export function apiAnswers(delayMs = 0): Responder {
  return async (req, res) => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_answers' });
    res.end(JSON.stringify(answer(req.method, req.path)));
  };
}

/** One call of every tool, with the request it must send. */
export const EVERY_TOOL: ReadonlyArray<{ tool: string; args: Record<string, unknown>; method: string; path: string }> = [
  { tool: 'create_environment', args: { name: 'team', config: { type: 'self_hosted' } }, method: 'POST', path: '/v1/environments' },
  { tool: 'list_environments', args: { limit: 5 }, method: 'GET', path: '/v1/environments' },
  { tool: 'get_environment', args: { environment_id: 'env_1' }, method: 'GET', path: '/v1/environments/env_1' },
  { tool: 'update_environment', args: { environment_id: 'env_1', name: 'renamed' }, method: 'POST', path: '/v1/environments/env_1' },
  { tool: 'archive_environment', args: { environment_id: 'env_1' }, method: 'POST', path: '/v1/environments/env_1/archive' },
  { tool: 'delete_environment', args: { environment_id: 'env_1' }, method: 'DELETE', path: '/v1/environments/env_1' },
  { tool: 'list_work_items', args: { environment_id: 'env_1' }, method: 'GET', path: '/v1/environments/env_1/work' },
  { tool: 'get_work_item', args: { environment_id: 'env_1', work_id: 'work_1' }, method: 'GET', path: '/v1/environments/env_1/work/work_1' },
  { tool: 'update_work_item', args: { environment_id: 'env_1', work_id: 'work_1', metadata: { k: 'v' } }, method: 'POST', path: '/v1/environments/env_1/work/work_1' },
  { tool: 'stop_work_item', args: { environment_id: 'env_1', work_id: 'work_1' }, method: 'POST', path: '/v1/environments/env_1/work/work_1/stop' },
  { tool: 'get_work_queue_stats', args: { environment_id: 'env_1' }, method: 'GET', path: '/v1/environments/env_1/work/stats' },
  { tool: 'poll_work_item', args: { environment_id: 'env_1' }, method: 'GET', path: '/v1/environments/env_1/work/poll' },
  { tool: 'ack_work_item', args: { environment_id: 'env_1', work_id: 'work_1' }, method: 'POST', path: '/v1/environments/env_1/work/work_1/ack' },
  { tool: 'heartbeat_work_item', args: { environment_id: 'env_1', work_id: 'work_1', expected_last_heartbeat: 'NO_HEARTBEAT' }, method: 'POST', path: '/v1/environments/env_1/work/work_1/heartbeat' },
];
