// Routing by the operation table: a request's method and path pick the
// operation, and its path, query, headers and body become that operation's
// parameters, validated by the same zod shape the tools use.
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { operations, type Operation, type OperationName } from '../api/operations.js';
import { EmulatorError } from './errors.js';

interface Route {
  name: OperationName;
  op: Operation;
  /** Literal segments as strings, parameters as `{name}`. */
  segments: string[];
  literals: number;
  /** Parameters that travel in the JSON body. */
  bodyKeys: string[];
}

const ROUTES: Route[] = (Object.entries(operations) as [OperationName, Operation][]).map(
  ([name, op]) => {
    const segments = op.path.split('/').filter(Boolean);
    const elsewhere = new Set([
      ...segments.filter(isParam).map(paramName),
      ...(op.query ?? []),
      ...Object.keys(op.headers ?? {}),
    ]);
    return {
      name,
      op,
      segments,
      literals: segments.filter((s) => !isParam(s)).length,
      bodyKeys:
        op.body === 'rest' ? Object.keys(op.params.shape).filter((k) => !elsewhere.has(k)) : [],
    };
  },
);

function isParam(segment: string): boolean {
  return segment.startsWith('{');
}

function paramName(segment: string): string {
  return segment.slice(1, -1);
}

export interface Matched {
  name: OperationName;
  op: Operation;
  route: Route;
  pathParams: Record<string, string>;
}

/**
 * The operation a request is for. The most literal match wins, so
 * `GET …/work/poll` is poll, not get_work_item of an item called "poll".
 * Throws 404 for an unknown path, 405 for a known path with another method.
 */
export function matchRoute(method: string, pathname: string): Matched {
  const parts = pathname.split('/').filter(Boolean);
  let best: Route | undefined;
  let bestParams: Record<string, string> = {};
  const methods = new Set<string>();
  for (const route of ROUTES) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = route.segments.every((s, i) => {
      if (!isParam(s)) return s === parts[i];
      params[paramName(s)] = parts[i]!;
      return true;
    });
    if (!fits) continue;
    if (route.op.method !== method) {
      methods.add(route.op.method);
      continue;
    }
    if (!best || route.literals > best.literals) {
      best = route;
      bestParams = params;
    }
  }
  if (best) {
    for (const [k, v] of Object.entries(bestParams)) bestParams[k] = decodeSegment(k, v);
    return { name: best.name, op: best.op, route: best, pathParams: bestParams };
  }
  if (methods.size > 0) {
    throw new EmulatorError(
      405,
      `${method} is not allowed on ${pathname} (allowed: ${[...methods].join(', ')})`,
      undefined,
      undefined,
      {
        allow: [...methods].join(', '),
      },
    );
  }
  throw new EmulatorError(404, `Not found: ${method} ${pathname}`);
}

function decodeSegment(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new EmulatorError(400, `${name}: malformed percent-encoding in the path`);
  }
}

/** The zod type under optional/nullable/default wrappers: "number", "boolean", "string", … */
function baseType(schema: z.ZodType): string {
  let def = schema._zod.def as { type: string; innerType?: z.ZodType };
  while (
    def.innerType &&
    (def.type === 'optional' || def.type === 'nullable' || def.type === 'default')
  ) {
    def = def.innerType._zod.def as typeof def;
  }
  return def.type;
}

/** Query strings hold text: numbers and booleans are read per the shape, or named as wrong (undefined). */
function coerceQuery(name: string, text: string, schema: z.ZodType, problems: string[]): unknown {
  const type = baseType(schema);
  if (type === 'number') {
    if (/^-?\d+$/.test(text)) return Number(text);
    problems.push(`${name}: must be an integer, got "${text.slice(0, 40)}"`);
    return undefined;
  }
  if (type === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    problems.push(`${name}: must be true or false, got "${text.slice(0, 40)}"`);
    return undefined;
  }
  return text;
}

/**
 * The operation's parameters, validated; a 400 naming every bad field
 * (by the name the client used: query parameter, header or body field).
 */
export function readParams(
  matched: Matched,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  body: unknown,
): Record<string, unknown> {
  const { op, route } = matched;
  const shape = op.params.shape as Record<string, z.ZodType>;
  const problems: string[] = [];
  const params: Record<string, unknown> = { ...matched.pathParams };
  for (const name of op.query ?? []) {
    const text = query.get(name);
    const value = text === null ? undefined : coerceQuery(name, text, shape[name]!, problems);
    if (value !== undefined) params[name] = value;
  }
  const wireName: Record<string, string> = {};
  for (const [name, header] of Object.entries(op.headers ?? {})) {
    wireName[name] = `${header} header`;
    const value = headers[header];
    if (value !== undefined) params[name] = Array.isArray(value) ? value[0] : value;
  }
  if (op.body === 'rest' && body !== undefined) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      problems.push('body: must be a JSON object');
    } else {
      for (const [key, value] of Object.entries(body)) {
        if (route.bodyKeys.includes(key)) params[key] = value;
        else
          problems.push(
            `${key}: unknown field (allowed in the body: ${route.bodyKeys.join(', ') || 'none'})`,
          );
      }
    }
  }
  // Every problem at once: the known fields are checked even when others were refused.
  const parsed = op.params.safeParse(params);
  if (parsed.success && problems.length === 0) return parsed.data as Record<string, unknown>;
  for (const issue of parsed.error?.issues ?? []) {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'body';
    problems.push(`${wireName[field] ?? field}: ${issue.message}`);
  }
  const aboutMetadata = problems.some((p) => p.startsWith('metadata'));
  throw new EmulatorError(
    400,
    problems.join('; '),
    aboutMetadata ? { error_code: 'invalid_metadata' } : undefined,
  );
}
