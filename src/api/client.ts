// A thin client of the Environments and Work API on undici. It knows HTTP and
// the operation table, nothing of MCP: it takes validated parameters and
// returns the API's JSON, or throws ApiError / TransportError /
// MissingCredentialError.
import { EnvHttpProxyAgent, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import { isLoopbackHost } from '../config/config.js';
import { credentialHeader, WorkTokens, type Credentials } from './credentials.js';
import { encodePathSegment, headerValue, queryString } from './encode.js';
import { ApiError, TransportError } from './errors.js';
import { errorTypeFor } from './error-types.js';
import { redactor } from './redact.js';
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
  serverWaitUsable,
  statusIsRetryable,
  statusIsRetryableOnce,
  waitPastDeadline,
} from './retry.js';

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * When the whole tool call must be over (epoch ms): a call made late in a
   * whole list or a long poll gets only what is left of --deadline-ms.
   */
  deadlineAt?: number;
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
  /**
   * Every credential value this client may send, for redaction; with
   * `work: false`, without the work secrets and their tokens (the user opted
   * in to see them, --reveal-work-secret).
   */
  secrets(opts?: { work?: boolean }): string[];
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
// Long polls (poll_work_item with block_ms) hold a connection up to a second
// each; they get a pool of their own, so that one caller's many waits cannot
// take every connection another caller's call needs (README, HTTP mode).
const pools = new Map<string, Pool>();
const POOL_OPTIONS = { connections: 64, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 };

function poolFor(origin: string, kind: 'calls' | 'long_polls' = 'calls'): Pool {
  const key = `${kind} ${origin}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool(origin, POOL_OPTIONS);
    pools.set(key, pool);
  }
  return pool;
}

// Behind a corporate proxy: agents that read HTTPS_PROXY, HTTP_PROXY and
// NO_PROXY the standard way. The API's requests go through a CONNECT tunnel,
// so the proxy sees the host name only, never our headers.
//
// Each call leases an agent of its own and gives it back only after a clean
// answer; on any failure the agent is destroyed. undici 7 keeps a request that
// waits for a connection deaf to its abort signal and, when the tunnel fails
// with a socket error, reconnects without end (hundreds of CONNECTs a second):
// only destroying the agent stops that, and with one call per agent doing so
// hurts no other call. A failed connection ends the attempt at once (it counts
// against --max-retries like any other).
export interface ProxyLease {
  readonly agent: Dispatcher;
  /** Set by the attempt using the lease: called on every failed connection. */
  onConnectionError?: (err: Error) => void;
}

const IDLE_LEASES = 16;
type Lease = ProxyLease;
const idleLeases: Lease[] = [];
const liveLeases = new Set<Lease>();

function newLease(): ProxyLease {
  const lease: { agent: Dispatcher; onConnectionError?: (err: Error) => void } = {
    agent: undefined as never,
  };
  const factory = (origin: string | URL, opts: object) => {
    const pool = new Pool(origin, opts);
    pool.on('connectionError', (_o, _t, err) => lease.onConnectionError?.(err));
    return pool;
  };
  try {
    lease.agent = new EnvHttpProxyAgent({ ...POOL_OPTIONS, connections: 4, factory });
  } catch {
    // Say which setting is wrong rather than fail with undici's bare "Invalid URL".
    throw new TransportError(
      'network',
      'The proxy set in HTTPS_PROXY / HTTP_PROXY is not a valid URL (e.g. http://proxy.example.com:3128).',
      false,
    );
  }
  liveLeases.add(lease);
  return lease;
}

function takeLease(): Lease {
  return idleLeases.pop() ?? newLease();
}

/** A lease back after its call: kept for the next call when `clean`, else destroyed. */
function giveBack(lease: Lease, clean: boolean): void {
  lease.onConnectionError = undefined;
  if (clean && liveLeases.has(lease) && idleLeases.length < IDLE_LEASES) {
    idleLeases.push(lease);
    return;
  }
  liveLeases.delete(lease);
  lease.agent.destroy().catch(() => {});
}

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

export async function closeAllPools(): Promise<void> {
  const all: Dispatcher[] = [...pools.values(), ...[...liveLeases].map((l) => l.agent)];
  pools.clear();
  liveLeases.clear();
  idleLeases.length = 0;
  await Promise.all(all.map((p) => p.close().catch(() => p.destroy())));
}

/** What one HTTP exchange brought back, body read whole (or to `cut` bytes). */
export interface Exchanged {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  text: string;
  requestId: string | undefined;
}

export interface ExchangeLimits {
  /** From the first byte sent to the last byte read: a body trickling in is cut off too. */
  timeoutMs: number;
  maxBytes: number;
  /** Read at most maxBytes and stop (doctor), instead of refusing a larger body. */
  cut?: boolean;
  signal?: AbortSignal;
  /** A long poll: its own pool, so that waits never hold the connections of other calls. */
  longPoll?: boolean;
}

export interface ExchangeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The attempt ran out of --timeout-ms (name TimeoutError, as classify expects). */
class AttemptTimeout extends Error {
  override name = 'TimeoutError';
  readonly code = 'ATTEMPT_TIMEOUT';
}

/** A connection (or proxy tunnel) could not be opened: the request was never sent. */
export class ConnectFailed extends Error {
  override name = 'ConnectFailed';
  readonly code: string | undefined;
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.code = (cause as { code?: string }).code;
  }
}

/**
 * One HTTP exchange that ends by `timeoutMs` or `signal`, whatever undici and
 * the network do: the promise settles on its own timer, the request is
 * aborted, and (through a proxy) the agent it used is destroyed, so that no
 * traffic of it goes on. Throws the abort reason, AttemptTimeout,
 * ConnectFailed, a TransportError (too_large) or undici's own error.
 */
export async function exchange(
  base: URL,
  proxied: boolean,
  req: ExchangeRequest,
  limits: ExchangeLimits,
): Promise<Exchanged> {
  const controller = new AbortController();
  const signal = controller.signal;
  const stop = (reason: unknown) => {
    if (!signal.aborted) controller.abort(reason);
  };
  const timer = setTimeout(
    () => stop(new AttemptTimeout(`no whole answer within ${limits.timeoutMs} ms`)),
    limits.timeoutMs,
  );
  const onOuter = () => stop(limits.signal!.reason);
  if (limits.signal?.aborted) onOuter();
  else limits.signal?.addEventListener('abort', onOuter, { once: true });
  const lease = proxied ? takeLease() : undefined;
  if (lease) lease.onConnectionError = (err) => stop(new ConnectFailed(err));
  const dispatcher = lease?.agent ?? poolFor(base.origin, limits.longPoll ? 'long_polls' : 'calls');
  // Settles when the attempt is stopped, even while undici still waits for a connection.
  let onStopped!: () => void;
  const stopped = new Promise<never>((_, reject) => {
    onStopped = () => reject(signal.reason);
    signal.addEventListener('abort', onStopped, { once: true });
  });
  stopped.catch(() => {});
  let clean = false;
  try {
    const pending = dispatcher.request({
      origin: base.origin, // the proxy agent needs it; a Pool ignores it
      method: req.method as Dispatcher.HttpMethod,
      path: req.path,
      headers: req.headers,
      body: req.body,
      signal,
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
    });
    // An answer that arrives after the attempt was given up is thrown away.
    pending.then(
      (res) => signal.aborted && res.body.destroy(),
      () => {},
    );
    const res = await Promise.race([pending, stopped]);
    const requestId = first(res.headers['request-id']) ?? first(res.headers['x-request-id']);
    let text: string;
    try {
      text = await Promise.race([
        readCapped(res, limits.maxBytes, requestId, limits.cut === true),
        stopped,
      ]);
    } catch (err) {
      res.body.destroy();
      throw Object.assign(err as object, {
        answeredStatus: res.statusCode,
        answeredRequestId: requestId,
      });
    }
    clean = true;
    return { status: res.statusCode, headers: res.headers, text, requestId };
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onOuter);
    signal.removeEventListener('abort', onStopped);
    if (!clean) stop(new Error('attempt over'));
    if (lease) giveBack(lease, clean);
  }
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
  /** Encoded, without the `?`; '' when there is none. */
  query: string;
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
      return encodePathSegment(String(params[name]));
    });
  for (const name of op.query ?? []) used.add(name);
  const query = queryString((op.query ?? []).map((name) => [name, params[name]] as const));
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(op.headers ?? {})) {
    used.add(name);
    if (params[name] !== undefined && params[name] !== null)
      headers[header] = headerValue(params[name]);
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
  const secrets = (opts: { work?: boolean } = {}): string[] =>
    [
      config.apiKey,
      config.authToken,
      config.environmentKey,
      ...(opts.work === false ? [] : [...workTokens.values(), ...workTokens.issued()]),
    ].filter((s): s is string => !!s);
  const redactOwn = redactor(secrets);
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
    const qs = built.query;
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
    const qs = built.query;
    const path = qs ? `${built.path}?${qs}` : built.path;
    // The tool call's deadline when it is sooner (a page late in a whole list).
    const deadline = Math.min(Date.now() + config.deadlineMs, opts.deadlineAt ?? Infinity);
    const life = callSignal(opts.signal, Math.max(0, deadline - Date.now()));
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
          attempt: n,
          // The API's text: a request-id header could echo this client's keys (--credentials
          // from-request: keys only this client knows), so its own redaction applies here.
          requestId: requestId === undefined ? undefined : redactOwn(requestId.slice(0, 200)),
          durationMs: Math.round(performance.now() - started),
          ...(error ? { error } : {}),
        });
      let res: Exchanged;
      try {
        res = await exchange(
          base,
          proxied,
          { method: op.method, path, headers, body: built.body },
          {
            timeoutMs: Math.min(config.timeoutMs, Math.max(1, deadline - Date.now())),
            maxBytes: config.maxResponseBytes,
            signal: outer,
            longPoll: name === 'poll_work_item' && (params.block_ms as number | undefined) !== 0,
          },
        );
      } catch (err) {
        const e = err as { answeredStatus?: number; answeredRequestId?: string };
        const failure = classify(err, opts.signal, deadlineSignal, op, name, {
          status: e.answeredStatus,
          requestId: e.answeredRequestId,
        });
        record(e.answeredStatus, e.answeredRequestId, failure.failure);
        const final =
          failure.failure === 'cancelled' ||
          failure.failure === 'deadline' ||
          failure.failure === 'too_large' ||
          failure.outcomeUnknown;
        if (final) throw failure;
        return { retry: failure };
      }
      const text = res.text;
      const requestId = res.requestId;
      record(res.status, requestId);
      if (res.status >= 200 && res.status < 300)
        return { data: parseJson(text, res.status, res.headers, requestId) };
      if (res.status >= 300 && res.status < 400) {
        throw new TransportError(
          'redirect',
          `The API answered ${res.status} with a redirect; redirects are not followed so that credentials stay with ${base.origin}. Check ANTHROPIC_BASE_URL.`,
          false,
          requestId,
        );
      }
      const error = apiErrorFrom(res.status, text, res.headers, requestId);
      const shouldRetry = first(res.headers['x-should-retry']);
      if (
        op.idempotent
          ? statusIsRetryable(res.status, shouldRetry)
          : statusIsRetryableOnce(res.status, shouldRetry)
      ) {
        return { retry: error, wait: retryAfterMs(res.headers) };
      }
      if (!op.idempotent && (res.status === 502 || res.status === 504)) {
        throw new TransportError(
          'network',
          unknownOutcome(name, `the API gateway answered ${res.status}`),
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
        // Waiting past the deadline helps no one: answer now with the API's reason
        // (and, when the API set the wait, when to call again).
        if (Date.now() + wait >= deadline) {
          throw serverWaitUsable(outcome.wait) && outcome.retry instanceof ApiError
            ? waitPastDeadline(outcome.retry, wait)
            : outcome.retry;
        }
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
    secrets,
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
    (err as { code?: string; cause?: { code?: string } })?.code ??
    (err as { cause?: { code?: string } })?.cause?.code;
  const isTimeout =
    (err as Error)?.name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT';
  // A connection that failed to open carried no request, whatever its error code.
  const notSent = err instanceof ConnectFailed || (code !== undefined && NOT_SENT.has(code));
  const unknown = !op.idempotent && !notSent;
  const what = isTimeout ? 'timeout' : 'network';
  const cause = code ?? (err as Error)?.message ?? 'unknown error';
  const reason = isTimeout
    ? 'the API did not answer in time'
    : err instanceof ConnectFailed
      ? `the connection to the API (or its proxy tunnel) could not be opened (${cause})`
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
  cut = false,
): Promise<string> {
  const declared = Number(first(res.headers['content-length']));
  if (!cut && Number.isFinite(declared) && declared > cap) {
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
      if (size > cap && cut) {
        chunks.push(chunk);
        res.body.destroy();
        resolve(Buffer.concat(chunks).toString('utf8').slice(0, cap));
        return;
      }
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
    serverWaitUsable(after) ? Math.ceil(after / 1000) : undefined,
  );
}
