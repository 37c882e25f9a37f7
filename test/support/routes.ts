// Answers for the recorder by route rather than by order (for calls whose
// reads run in parallel), and the contract's samples under other ids.
import type { Recorded, Responder } from './recorder.js';
import { apiError } from './recorder.js';
import * as samples from './samples.js';

/** Routes like `GET /v1/environments/:id`; the first match answers, else 404. */
export function router(routes: Record<string, Responder>): Responder {
  const compiled = Object.entries(routes).map(([key, responder]) => {
    const [method, path] = key.split(' ') as [string, string];
    const pattern = new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}$`);
    return { method, pattern, responder };
  });
  return (req, res, raw) => {
    const hit = compiled.find((r) => r.method === req.method && r.pattern.test(req.path));
    return (
      hit?.responder ?? apiError(404, 'not_found_error', `no route ${req.method} ${req.path}`)
    )(req, res, raw);
  };
}

export const mutating = (requests: readonly Recorded[]) =>
  requests.filter((r) => r.method !== 'GET');

/** The contract's sample environment under another id. */
export function environment(
  id: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...samples.environment, id, name: `workers of ${id}`, ...extra };
}

/** The contract's sample work item under another id, in another environment. */
export function workItem(
  id: string,
  environmentId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...samples.workItem,
    id,
    environment_id: environmentId,
    data: { type: 'session', id: `session_${id}` },
    ...extra,
  };
}
