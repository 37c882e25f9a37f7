// MCP over Streamable HTTP, for a team: stateless (any replica answers any
// request), behind a gate (Host/Origin allowlists, bearer token), with a body
// limit, a time limit per request, a health check, an access log line per
// request on stderr and a graceful stop on SIGTERM/SIGINT.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProtocolErrorCode as ErrorCode, type Server } from '@modelcontextprotocol/server';
import type { Credentials } from '../api/credentials.js';
import type { Config, Values } from '../config/config.js';
import { assemble } from '../server/start.js';
import { createMcpServer } from '../server/server.js';
import { requestClient, requestCredentials } from './http-credentials.js';
import { answerMcp, describeBody, rpcError } from './http-mcp.js';
import { httpOptions, isLoopbackAddress, type HttpOptions } from './http-options.js';
import { checkOrigin, tokenChecker } from './http-security.js';
import { protoKeyMessage, protoKeyPath } from './proto-keys.js';

const BIN = 'agent-environments-mcp';
/** In-flight requests get this long after SIGTERM; README (Running for a team) promises an exit within 10 s. */
const DRAIN_MS = 9_000;

function say(line: string): void {
  process.stderr.write(`${BIN}: ${line}\n`);
}

export async function startHttpServer(
  config: Config,
  values: Values,
  pkg: { name: string; version: string },
): Promise<void> {
  // Checked before anything starts, so a refusal is exit 2 with nothing to clean up.
  const opts = httpOptions(values);
  const a = await assemble(config, pkg, values);
  const fromRequest = opts.credentials === 'from-request';
  if (!isLoopbackAddress(opts.host) && !values.allowedHosts?.length) {
    say(
      `only requests whose Host is ${[...opts.allowedHosts].join(', ')} are answered: add the names clients use with --allowed-hosts`,
    );
  }
  if (fromRequest && (config.apiKey || config.authToken || config.environmentKey)) {
    say(
      "--credentials from-request: the ANTHROPIC_* keys in this server's environment are ignored.",
    );
  }
  const serverFor = (creds: Credentials | undefined): Server =>
    createMcpServer({
      ...a.serving,
      config: a.config,
      client: creds ? requestClient(a.config, creds, a.clientOptions) : a.client,
      name: pkg.name,
      version: pkg.version,
      logger: a.logger,
    });
  await serveHttp(opts, serverFor, a.cleanup);
}

function pathOf(url: string | undefined): string {
  const q = (url ?? '/').search(/[?#]/);
  return (q >= 0 ? url!.slice(0, q) : (url ?? '/')).slice(0, 200);
}

/** Past this, an oversized body is not even drained: the connection is cut. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

/**
 * The body as text, or null when it exceeds the limit. An oversized body is
 * read to its end and dropped (not buffered) before we answer 413: a client
 * still writing when the connection closes sees EPIPE, not our answer.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > DRAIN_LIMIT) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) resolve(null);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size > max ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function healthz(req: IncomingMessage, res: ServerResponse, closing: boolean): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  // 503 while draining, so a load balancer stops sending new requests here.
  res.writeHead(closing ? 503 : 200, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });
  res.end(
    req.method === 'HEAD' ? undefined : JSON.stringify({ status: closing ? 'stopping' : 'ok' }),
  );
}

export async function serveHttp(
  opts: HttpOptions,
  serverFor: (creds: Credentials | undefined) => Server,
  cleanup: () => Promise<void>,
): Promise<void> {
  const checkToken = tokenChecker(opts.token);
  const fromRequest = opts.credentials === 'from-request';
  let closing = false;

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    entry: Record<string, unknown>,
  ): Promise<void> {
    const refusal = checkOrigin(req.headers, opts) ?? checkToken(req.headers);
    if (refusal) {
      const challenge: Record<string, string> =
        refusal.status === 401 ? { 'www-authenticate': `Bearer realm="${BIN}"` } : {};
      return rpcError(res, refusal.status, -32000, refusal.message, null, challenge);
    }
    if (pathOf(req.url) !== opts.path)
      return rpcError(res, 404, -32000, `Not found: the MCP endpoint is ${opts.path}`);
    if (req.method !== 'POST') {
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      return rpcError(
        res,
        405,
        -32000,
        'Method not allowed: this server is stateless; send JSON-RPC messages with POST',
        null,
        { allow: 'POST' },
      );
    }
    let creds: Credentials | undefined;
    if (fromRequest) {
      const parsed = requestCredentials(req.headers);
      if (typeof parsed === 'string')
        return rpcError(res, 400, ErrorCode.InvalidRequest, `Bad request: ${parsed}`);
      creds = parsed;
    }
    const text = await readBody(req, opts.maxBodyBytes);
    if (text === null) {
      return rpcError(
        res,
        413,
        -32000,
        `Payload too large: the body must not exceed ${opts.maxBodyBytes} bytes`,
        null,
        { connection: 'close' },
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return rpcError(res, 400, ErrorCode.ParseError, 'Parse error: the body is not valid JSON');
    }
    const proto = text.includes('__proto__') ? protoKeyPath(body) : undefined;
    if (proto !== undefined) {
      const id = (body as { id?: unknown } | null)?.id;
      return rpcError(
        res,
        400,
        ErrorCode.InvalidParams,
        protoKeyMessage(proto),
        typeof id === 'string' || typeof id === 'number' ? id : null,
      );
    }
    Object.assign(entry, describeBody(body));
    await answerMcp({ req, res, body, server: serverFor(creds), timeoutMs: opts.requestTimeoutMs });
  }

  const http = createServer(
    // Slow senders are cut off; idle keep-alive outlives the usual 60 s of
    // load balancers, which would otherwise reuse a connection we just closed.
    { headersTimeout: 20_000, requestTimeout: 30_000, keepAliveTimeout: 65_000 },
    (req, res) => {
      if (pathOf(req.url) === '/healthz') return healthz(req, res, closing);
      const started = performance.now();
      const entry: Record<string, unknown> = {};
      if (closing) res.setHeader('connection', 'close');
      res.on('close', () => {
        // No header and no body is logged: they may hold credentials.
        const line = {
          time: new Date().toISOString(),
          level: 'info',
          msg: 'http',
          method: req.method,
          path: pathOf(req.url),
          status: res.headersSent ? res.statusCode : null,
          ms: Math.round(performance.now() - started),
          ...entry,
          ...(res.writableFinished ? {} : { aborted: true }),
        };
        process.stderr.write(`${JSON.stringify(line)}\n`);
        if (closing) setImmediate(() => http.closeIdleConnections());
      });
      route(req, res, entry).catch((err: unknown) => {
        process.stderr.write(
          `${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'http handler failed', error: (err as Error)?.message ?? String(err) })}\n`,
        );
        rpcError(res, 500, ErrorCode.InternalError, 'Internal error');
      });
    },
  );

  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}`)),
    );
    http.listen(opts.port, opts.host, () => resolve());
  });

  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: accepting no new connections, finishing requests in flight`);
    const exit = () => void cleanup().finally(() => process.exit(0));
    // Requests still running after the drain time are cut off; exit 0 regardless.
    const force = setTimeout(() => {
      say('requests still in flight after the drain time were cut off');
      http.closeAllConnections();
      exit();
    }, DRAIN_MS);
    force.unref();
    http.close(() => {
      clearTimeout(force);
      exit();
    });
    http.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const address = http.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  say(
    `listening on http://${shown}:${address.port}${opts.path} (stateless; ${opts.token ? 'access token required' : 'no access token: loopback only'}; credentials: ${fromRequest ? 'from each request' : "the server's own"})`,
  );
}
