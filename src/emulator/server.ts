// The emulator's HTTP face (node:http): the API's routes, answered from the
// operation table, plus its own `/_emulator/` routes for what tests and worker
// authors need and the API leaves out (enqueueing work, faults, the clock).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { REQUIRED_BETA } from '../config/config.js';
import { Metadata, resourceId } from '../shapes/common.js';
import { checkCredential, type StrictAuth, type TokenOwner } from './auth.js';
import type { Clock } from './clock.js';
import type { Environments } from './environments.js';
import { EmulatorError, errorBody } from './errors.js';
import { FaultSpec, type Fault, type Faults } from './faults.js';
import { handlers, type HandlerContext } from './handlers.js';
import { newId } from './ids.js';
import { workJson, type WorkRecord } from './queue.js';
import { matchRoute, readParams } from './routes.js';

/** Larger request bodies are refused with 413 (the API's own limit is far larger; nothing here needs more). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The body of the emulator's enqueue route. */
export const EnqueueWorkParams = z.strictObject({
  session_id: resourceId('session_011CZkZ9X2dpNyB7HsEFoRfW', 'Session')
    .optional()
    .describe('The session the work is for (default: a new id)'),
  metadata: Metadata.optional(),
});

const ClockAdvance = z.strictObject({
  advance_ms: z
    .number()
    .min(0)
    .max(365 * 86_400_000),
});

export interface ServerState {
  environments: Environments;
  faults: Faults;
  clock: Clock;
  strict?: StrictAuth;
  tokenOwner: (token: string) => TokenOwner | undefined;
  secretFor: (w: WorkRecord) => string;
  /** Aborted when the emulator closes: ends waiting long polls. */
  closing: AbortSignal;
  log?: (line: string) => void;
}

export function requestHandler(state: ServerState) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const requestId = newId('req');
    const started = performance.now();
    res.setHeader('request-id', requestId);
    res.on('finish', () => {
      state.log?.(
        `${req.method} ${req.url} ${res.statusCode} ${Math.round(performance.now() - started)}ms ${requestId}`,
      );
    });
    handle(state, req, res, requestId).catch((err: unknown) => {
      const e =
        err instanceof EmulatorError
          ? err
          : new EmulatorError(500, `emulator bug: ${(err as Error)?.message ?? String(err)}`);
      if (!res.headersSent && !res.destroyed)
        send(res, e.status, errorBody(e, requestId), e.headers);
    });
  };
}

async function handle(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/_emulator/')) return control(state, method, url, req, res);

  const matched = matchRoute(method, url.pathname);
  const fault = state.faults.take(matched.name);
  if (fault && (await applyFault(fault, req, res, requestId))) return;

  if (!req.headers['anthropic-version']) {
    throw new EmulatorError(
      400,
      'anthropic-version: header is required (e.g. anthropic-version: 2023-06-01)',
    );
  }
  const betas = String(req.headers['anthropic-beta'] ?? '')
    .split(',')
    .map((b) => b.trim());
  if (!betas.includes(REQUIRED_BETA)) {
    throw new EmulatorError(
      400,
      `anthropic-beta: this endpoint is in beta; the header must include ${REQUIRED_BETA}`,
    );
  }
  checkCredential(
    matched.name,
    matched.op,
    req.headers,
    matched.pathParams,
    state.strict,
    state.tokenOwner,
  );
  const body = matched.op.body === 'rest' ? await readJson(req) : await drain(req);
  const params = readParams(matched, url.searchParams, req.headers, body);
  const result = await handlers[matched.name](params as never, context(state, res));
  send(res, 200, result);
}

function context(state: ServerState, res: ServerResponse): HandlerContext {
  // One signal for "client gone or emulator closing", unhooked from the
  // long-lived closing signal when the request ends (AbortSignal.any would
  // keep a dependent per request alive on it).
  const gone = new AbortController();
  const abort = () => gone.abort();
  state.closing.addEventListener('abort', abort, { once: true });
  res.on('close', () => {
    state.closing.removeEventListener('abort', abort);
    abort();
  });
  return { environments: state.environments, signal: gone.signal, secretFor: state.secretFor };
}

/** Applies a fault; true when it answered (or dropped) the request itself. */
async function applyFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<boolean> {
  if (fault.delay_ms) await sleep(fault.delay_ms);
  if (fault.drop) {
    req.socket.destroy();
    return true;
  }
  if (fault.status === undefined) return false;
  const headers: Record<string, string> = {};
  if (fault.retry_after !== undefined) headers['retry-after'] = String(fault.retry_after);
  if (fault.retry_after_ms !== undefined) headers['retry-after-ms'] = String(fault.retry_after_ms);
  if (fault.should_retry !== undefined) headers['x-should-retry'] = String(fault.should_retry);
  const error = new EmulatorError(
    fault.status,
    fault.message ?? `Emulated fault: HTTP ${fault.status}`,
    fault.error_code ? { error_code: fault.error_code } : undefined,
    fault.type,
    headers,
  );
  await drain(req);
  send(res, error.status, errorBody(error, requestId), error.headers);
  return true;
}

async function control(
  state: ServerState,
  method: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = url.pathname;
  const enqueue = /^\/_emulator\/environments\/([^/]+)\/work$/.exec(path);
  if (enqueue && method === 'POST') {
    const parsed = EnqueueWorkParams.safeParse((await readJson(req)) ?? {});
    if (!parsed.success) throw new EmulatorError(400, issuesText(parsed.error.issues));
    const environmentId = decodeURIComponent(enqueue[1]!);
    return send(res, 200, workJson(state.environments.enqueue(environmentId, parsed.data)));
  }
  if (path === '/_emulator/faults') {
    if (method === 'GET') return send(res, 200, { data: state.faults.list() });
    if (method === 'DELETE') {
      state.faults.clear();
      return send(res, 200, { data: [] });
    }
    if (method === 'POST') {
      const parsed = FaultSpec.safeParse((await readJson(req)) ?? {});
      if (!parsed.success) throw new EmulatorError(400, issuesText(parsed.error.issues));
      return send(res, 200, state.faults.add(parsed.data));
    }
  }
  if (path === '/_emulator/clock') {
    if (method === 'POST') {
      const parsed = ClockAdvance.safeParse((await readJson(req)) ?? {});
      if (!parsed.success) throw new EmulatorError(400, issuesText(parsed.error.issues));
      state.clock.advance(parsed.data.advance_ms);
    }
    if (method === 'GET' || method === 'POST') {
      return send(res, 200, {
        now: new Date(state.clock.now()).toISOString(),
        frozen: state.clock.frozen,
      });
    }
  }
  throw new EmulatorError(
    404,
    `Not found: ${method} ${path} (emulator routes: POST /_emulator/environments/{environment_id}/work, GET|POST|DELETE /_emulator/faults, GET|POST /_emulator/clock)`,
  );
}

function issuesText(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : 'body'}: ${i.message}`)
    .join('; ');
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): EmulatorError {
  return new EmulatorError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
}

/** The JSON body, or undefined when there is none. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new EmulatorError(400, `body: not valid JSON (${(err as Error).message})`);
  }
}

/** Reads and ignores a body the operation does not take. */
async function drain(req: IncomingMessage): Promise<undefined> {
  await readBody(req);
  return undefined;
}
