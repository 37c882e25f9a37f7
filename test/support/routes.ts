// Answers for the recorder by route rather than by order (for calls whose
// reads run in parallel), and API-shaped sample objects.
import type { Recorded, Responder } from './recorder.js';
import { apiError } from './recorder.js';

/** Routes like `GET /v1/environments/:id`; the first match answers, else 404. */
export function router(routes: Record<string, Responder>): Responder {
  const compiled = Object.entries(routes).map(([key, responder]) => {
    const [method, path] = key.split(' ') as [string, string];
    const pattern = new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}$`);
    return { method, pattern, responder };
  });
  return (req, res, raw) => {
    const hit = compiled.find((r) => r.method === req.method && r.pattern.test(req.path));
    return (hit?.responder ?? apiError(404, 'not_found_error', `no route ${req.method} ${req.path}`))(req, res, raw);
  };
}

export const mutating = (requests: readonly Recorded[]) => requests.filter((r) => r.method !== 'GET');

export function environment(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'environment',
    name: `workers of ${id}`,
    description: null,
    config: { type: 'self_hosted' },
    metadata: {},
    scope: 'organization',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    archived_at: null,
    ...extra,
  };
}

export function workItem(id: string, environmentId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'work',
    environment_id: environmentId,
    state: 'queued',
    data: { type: 'session', id: `session_${id}` },
    metadata: {},
    created_at: '2026-01-01T00:00:00Z',
    acknowledged_at: null,
    started_at: null,
    latest_heartbeat_at: null,
    stop_requested_at: null,
    stopped_at: null,
    secret: null,
    ...extra,
  };
}
