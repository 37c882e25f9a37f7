// A thin client of the Environments and Work API on undici. It knows HTTP and
// the operation table, nothing of MCP: it takes validated parameters and
// returns the API's JSON, or throws ApiError / TransportError /
// MissingCredentialError.
import { EnvHttpProxyAgent, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import { isLoopbackHost } from '../config/config.js';
import { credentialHeader, WorkTokens, type Credentials } from './credentials.js';
import { ApiError, TransportError } from './errors.js';
import { errorTypeFor } from './error-types.js';
import {
  operations,
  type Operation,
  type OperationName,
  type ParamsOf,
  type ResponseOf,
} from './operations.js';
import {
  first,
  retryAfterMs,
  retryDelayMs,
  statusIsRetryable,
  statusIsRetryableOnce,
} from './retry.js';

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the configured credentials for this call (HTTP transport, per user). */
  credentials?: Credentials;
}

/** One line per HTTP attempt, for logs; never holds a credential. */
export interface AttemptRecord {
  operation: OperationName;
  method: string;
  route: string;
  status: number | undefined;
  durationMs: number;
  requestId: string | undefined;
  attempt: number;
  error?: string;
}

export interface ApiClient {
  call<N extends OperationName>(
    name: N,
    params: ParamsOf<N>,
    options?: CallOptions,
  ): Promise<ResponseOf<N>>;
  /** The request a call would send (for dry runs), credentials left out. */
  describe<N extends OperationName>(name: N, params: ParamsOf<N>): DescribedRequest;
  /** Every credential value this client may send, for redaction. */
  secrets(): string[];
  close(): Promise<void>;
}

export interface DescribedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * What the client needs to know, and nothing else of the server's
 * configuration: where the API is, the headers every request carries, the
 * time limits and caps, and the credentials it may send.
 */
export interface ClientConfig extends Credentials {
  baseUrl: string;
  apiVersion: string;
  /** All anthropic-beta values, the required one included. */
  betas: readonly string[];
  workspaceId?: string;
  /** Time limit of one HTTP attempt. */
  timeoutMs: number;
  /** Time limit of a whole call, retries included. */
  deadlineMs: number;
  maxRetries: number;
  maxResponseBytes: number;
}

/** The client's part of a larger configuration (e.g. the server's), copied so nothing else comes along. */
export function clientConfig(from: ClientConfig): ClientConfig {
  return {
    apiKey: from.apiKey,
    authToken: from.authToken,
    environmentKey: from.environmentKey,
    baseUrl: from.baseUrl,
    apiVersion: from.apiVersion,
    betas: [...from.betas],
    workspaceId: from.workspaceId,
    timeoutMs: from.timeoutMs,
    deadlineMs: from.deadlineMs,
    maxRetries: from.maxRetries,
    maxResponseBytes: from.maxResponseBytes,
  };
}

export interface ClientOptions {
  onAttempt?: (record: AttemptRecord) => void;
  userAgent?: string;
}

// One keep-alive pool per origin for the whole process, shared by every
// client (the HTTP transport builds a client per request).
const pools = new Map<string, Pool>();
const POOL_OPTIONS = { connections: 64, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 };

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, POOL_OPTIONS);
    pools.set(origin, pool);
  }
  return pool;
}

// Behind a corporate proxy: one agent for the process, which reads HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY the standard way. The API's requests go through a
// CONNECT tunnel, so the proxy sees the host name only, never our headers.
let proxyAgent: EnvHttpProxyAgent | undefined;

/**
 * The proxy requests to `base` would go through, as undici's EnvHttpProxyAgent
 * picks it (NO_PROXY aside); undefined when none. A loopback address (the
 * emulator, tests) never goes through one.
 */
export function proxyFor(base: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (isLoopbackHost(base.hostname)) return undefined;
  const http = env.http_proxy ?? env.HTTP_PROXY;
  return (
    (base.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) || http : http) || undefined
  );
}

/** Where requests to `base` are dispatched: the proxy agent when a proxy is set, else the origin's pool. */
/** `proxied` may be decided once by the caller: the environment does not change under a running client. */
export function dispatcherFor(base: URL, proxied = proxyFor(base) !== undefined): Dispatcher {
  if (!proxied) return poolFor(base.origin);
  try {
    proxyAgent ??= new EnvHttpProxyAgent(POOL_OPTIONS);
  } catch {
    // Say which setting is wrong rather than fail with undici's bare "Invalid URL".
    throw new TransportError(
      'network',
      'The proxy set in HTTPS_PROXY / HTTP_PROXY is not a valid URL (e.g. http://proxy.example.com:3128).',
      false,
    );
  }
  return proxyAgent;
}

export async function closeAllPools(): Promise<void> {
  const all: Dispatcher[] = [...pools.values()];
  if (proxyAgent) all.push(proxyAgent);
  pools.clear();
  proxyAgent = undefined;
  await Promise.all(all.map((p) => p.close().catch(() => p.destroy())));
}

// Errors that mean the request never reached the server: always safe to retry.
// (UND_ERR_INVALID_ARG: undici refused to build it, e.g. a bad header value.)
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_INVALID_ARG',
]);

interface Built {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: string;
  workId?: string;
}

function build(op: Operation, params: Record<string, unknown>, basePath: string): Built {
  const used = new Set<string>();
  const path =
    basePath +
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      used.add(name);
      return encodeURIComponent(String(params[name]));
    });
  const query = new URLSearchParams();
  for (const name of op.query ?? []) {
    used.add(name);
    if (params[name] !== undefined) query.set(name, String(params[name]));
  }
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(op.headers ?? {})) {
    used.add(name);
    if (params[name] !== undefined) headers[header] = String(params[name]);
  }
  let body: string | undefined;
  if (op.body === 'rest') {
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) if (!used.has(k) && v !== undefined) rest[k] = v;
    body = JSON.stringify(rest);
  }
  return { path, query, headers, body, workId: params.work_id as string | undefined };
}

export function createApiClient(given: ClientConfig, options: ClientOptions = {}): ApiClient {
  const config = clientConfig(given);
  const base = new URL(config.baseUrl);
  // Decided once, not on every call (the hot path): reading the proxy variables is not free.
  const proxied = proxyFor(base) !== undefined;
  const basePath = base.pathname.replace(/\/+$/, '');
  const workTokens = new WorkTokens();
  const fixedHeaders: Record<string, string> = {
    accept: 'application/json',
    'anthropic-version': config.apiVersion,
    'anthropic-beta': config.betas.join(','),
    'user-agent': options.userAgent ?? 'agent-environments-mcp',
  };

  function headersFor(op: Operation, built: Built): Record<string, string> {
    const h: Record<string, string> = { ...fixedHeaders, ...built.headers };
    if (op.workspace && config.workspaceId) h['anthropic-workspace-id'] = config.workspaceId;
    if (built.body !== undefined) h['content-type'] = 'application/json';
    return h;
  }

  function describe(name: OperationName, params: Record<string, unknown>): DescribedRequest {
    const op = operations[name] as Operation;
    const built = build(op, params, basePath);
    const qs = built.query.toString();
    return {
      method: op.method,
      url: `${base.origin}${built.path}${qs ? `?${qs}` : ''}`,
      headers: headersFor(op, built),
      ...(built.body !== undefined ? { body: JSON.parse(built.body) } : {}),
    };
  }

  async function call(
    name: OperationName,
    params: Record<string, unknown>,
    opts: CallOptions = {},
  ): Promise<unknown> {
    const op = operations[name] as Operation;
    const built = build(op, params, basePath);
    const creds = opts.credentials ?? config;
    const [authName, authValue] = credentialHeader(
      op.credentials,
      creds,
      workTokens.get(built.workId),
      name,
    );
    const headers = { ...headersFor(op, built), [authName]: authValue };
    const qs = built.query.toString();
    const path = qs ? `${built.path}?${qs}` : built.path;
    const dispatcher = dispatcherFor(base, proxied);
    const deadline = Date.now() + config.deadlineMs;
    const life = callSignal(opts.signal, config.deadlineMs);
    const outer = life.signal;
    const deadlineSignal = life.deadline;
    try {
      return await attempts();
    } finally {
      life.dispose();
    }

    /** One HTTP attempt: the data, a failure worth retrying, or a thrown final error. */
    async function attempt(
      n: number,
    ): Promise<{ data: unknown } | { retry: Error; wait?: number }> {
      const started = performance.now();
      const record = (status: number | undefined, requestId: string | undefined, error?: string) =>
        options.onAttempt?.({
          operation: name,
          method: op.method,
          route: op.path,
          status,
          requestId,
          attempt: n,
          durationMs: Math.round(performance.now() - started),
          ...(error ? { error } : {}),
        });
      let res: Dispatcher.ResponseData;
      let text: string;
      let requestId: string | undefined;
      let status: number | undefined;
      try {
        res = await dispatcher.request({
          origin: base.origin, // the proxy agent needs it; a Pool ignores it
          method: op.method as Dispatcher.HttpMethod,
          path,
          headers,
          body: built.body,
          // Each attempt is bounded by undici's timeouts (no answer, or a
          // stalled body, within timeoutMs); the whole call by `outer`.
          signal: outer,
          headersTimeout: config.timeoutMs,
          bodyTimeout: config.timeoutMs,
        });
        status = res.statusCode;
        requestId = first(res.headers['request-id']) ?? first(res.headers['x-request-id']);
        text = await readCapped(res, config.maxResponseBytes, requestId);
      } catch (err) {
        const failure = classify(err, opts.signal, deadlineSignal, op, name, { status, requestId });
        record(status, requestId, failure.failure);
        const final =
          failure.failure === 'cancelled' ||
          failure.failure === 'deadline' ||
          failure.failure === 'too_large' ||
          failure.outcomeUnknown;
        if (final) throw failure;
        return { retry: failure };
      }
      record(res.statusCode, requestId);
      if (res.statusCode >= 200 && res.statusCode < 300)
        return { data: parseJson(text, res.statusCode, res.headers, requestId) };
      if (res.statusCode >= 300 && res.statusCode < 400) {
        throw new TransportError(
          'redirect',
          `The API answered ${res.statusCode} with a redirect; redirects are not followed so that credentials stay with ${base.origin}. Check ANTHROPIC_BASE_URL.`,
          false,
          requestId,
        );
      }
      const error = apiErrorFrom(res.statusCode, text, res.headers, requestId);
      const shouldRetry = first(res.headers['x-should-retry']);
      if (
        op.idempotent
          ? statusIsRetryable(res.statusCode, shouldRetry)
          : statusIsRetryableOnce(res.statusCode, shouldRetry)
      ) {
        return { retry: error, wait: retryAfterMs(res.headers) };
      }
      if (!op.idempotent && (res.statusCode === 502 || res.statusCode === 504)) {
        throw new TransportError(
          'network',
          unknownOutcome(name, `the API gateway answered ${res.statusCode}`),
          true,
          requestId,
        );
      }
      throw error;
    }

    async function attempts(): Promise<unknown> {
      for (let n = 0; ; n++) {
        const outcome = await attempt(n);
        if ('data' in outcome) {
          if (op.issuesWorkToken) rememberToken(outcome.data);
          return outcome.data;
        }
        if (n >= config.maxRetries) throw outcome.retry;
        const wait = retryDelayMs(n, outcome.wait);
        // Waiting past the deadline helps no one: answer now with the API's reason.
        if (Date.now() + wait >= deadline) throw outcome.retry;
        try {
          await sleep(wait, undefined, { signal: outer });
        } catch {
          throw classify(outer.reason, opts.signal, deadlineSignal, op, name);
        }
      }
    }
  }

  function rememberToken(data: unknown): void {
    const item = data as { id?: unknown; secret?: unknown } | null;
    if (item && typeof item.id === 'string')
      workTokens.remember(item.id, item.secret as string | null);
  }

  return {
    call: call as ApiClient['call'],
    describe: describe as ApiClient['describe'],
    secrets: () =>
      [config.apiKey, config.authToken, config.environmentKey, ...workTokens.values()].filter(
        (s): s is string => !!s,
      ),
    close: closeAllPools,
  };
}

/**
 * Turns a thrown network/abort error into a TransportError that says what
 * happened. `got` is what arrived before the failure: a status means the body
 * was cut off (the API did answer), which the message says.
 */
/**
 * The life of one call: aborted by the caller's signal or at the deadline.
 * A plain controller and timer, both released when the call ends, rather
 * than AbortSignal.timeout/any: those leave a timer and listeners behind
 * every call until they fire or are collected (cost and memory under load).
 */
function callSignal(user: AbortSignal | undefined, ms: number) {
  const controller = new AbortController();
  const deadline = { aborted: false };
  const timer = setTimeout(() => {
    deadline.aborted = true;
    controller.abort(new Error('deadline reached'));
  }, ms);
  const onAbort = () => controller.abort(user!.reason);
  if (user?.aborted) onAbort();
  else user?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    deadline: deadline as { readonly aborted: boolean },
    dispose() {
      clearTimeout(timer);
      user?.removeEventListener('abort', onAbort);
    },
  };
}

function classify(
  err: unknown,
  user: AbortSignal | undefined,
  deadline: { readonly aborted: boolean },
  op: Operation,
  name: string,
  got: { status?: number; requestId?: string } = {},
): TransportError {
  if (err instanceof TransportError) return err;
  if (user?.aborted)
    return new TransportError(
      'cancelled',
      `The ${name} call was cancelled.`,
      !op.idempotent && op.method !== 'GET',
    );
  if (deadline.aborted) {
    const reason =
      'the call reached its deadline (AGENT_ENVIRONMENTS_DEADLINE_MS, retries included)';
    return new TransportError(
      'deadline',
      op.idempotent ? `${name}: ${reason}.` : unknownOutcome(name, reason),
      !op.idempotent,
    );
  }
  const code =
    (err as { code?: string; cause?: { code?: string } }).code ??
    (err as { cause?: { code?: string } }).cause?.code;
  const isTimeout =
    (err as Error)?.name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT';
  const notSent = code !== undefined && NOT_SENT.has(code);
  const unknown = !op.idempotent && !notSent;
  const what = isTimeout ? 'timeout' : 'network';
  const cause = code ?? (err as Error)?.message ?? 'unknown error';
  const reason = isTimeout
    ? 'the API did not answer in time'
    : got.status !== undefined
      ? `the API answered ${got.status} but the connection closed before the whole response arrived (${cause})`
      : `the connection failed (${cause})`;
  const msg = unknown
    ? unknownOutcome(
        name,
        got.status === undefined ? `${reason} after the request was sent` : reason,
      )
    : `${name}: ${reason}.`;
  return new TransportError(what, msg, unknown, got.requestId);
}

/**
 * A call that is not safe to repeat (create) may have been carried out although
 * no answer came back. It is not retried; the model is told plainly, so that
 * it looks before it asks again instead of making a duplicate.
 */
function unknownOutcome(name: string, reason: string): string {
  return (
    `${name}: ${reason}. OUTCOME UNKNOWN: it may or may not have been carried out. It was not retried, so that it is not done twice. ` +
    `Before calling ${name} again, check whether it happened (list_environments, and look for the name).`
  );
}

async function readCapped(
  res: Dispatcher.ResponseData,
  cap: number,
  requestId: string | undefined,
): Promise<string> {
  const declared = Number(first(res.headers['content-length']));
  if (Number.isFinite(declared) && declared > cap) {
    res.body.destroy();
    throw new TransportError(
      'too_large',
      `The API response is ${declared} bytes, over the ${cap}-byte limit (AGENT_ENVIRONMENTS_MAX_RESPONSE_BYTES).`,
      false,
      requestId,
    );
  }
  // Events rather than an async iterator: one fewer promise per chunk on the hot path.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        res.body.destroy();
        reject(
          new TransportError(
            'too_large',
            `The API response exceeded the ${cap}-byte limit (AGENT_ENVIRONMENTS_MAX_RESPONSE_BYTES).`,
            false,
            requestId,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    res.body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.body.once('error', reject);
  });
}

function parseJson(
  text: string,
  status: number,
  headers: Dispatcher.ResponseData['headers'],
  requestId: string | undefined,
): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const type = first(headers['content-type']) ?? 'no content type';
    throw new TransportError(
      'bad_body',
      `The API answered ${status} with a body that is not valid JSON (${type}, ${Buffer.byteLength(text)} bytes; truncated or not an API response).`,
      false,
      requestId,
    );
  }
}

function apiErrorFrom(
  status: number,
  text: string,
  headers: Dispatcher.ResponseData['headers'],
  requestId: string | undefined,
): ApiError {
  let body:
    | { error?: { type?: unknown; message?: unknown; details?: unknown }; request_id?: unknown }
    | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const e = body && typeof body === 'object' ? body.error : undefined;
  const type = typeof e?.type === 'string' ? e.type : errorTypeFor(status);
  const message =
    typeof e?.message === 'string'
      ? e.message
      : `HTTP ${status} with a ${first(headers['content-type']) ?? 'non-JSON'} body that is not an API error (often a proxy or gateway).`;
  const id = requestId ?? (typeof body?.request_id === 'string' ? body.request_id : undefined);
  const after = retryAfterMs(headers);
  return new ApiError(
    status,
    type,
    message,
    id,
    e?.details,
    after !== undefined ? Math.ceil(after / 1000) : undefined,
  );
}
