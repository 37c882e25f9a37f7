// One MCP POST, stateless: a fresh Server answers it and is closed with it,
// so any replica can answer any request. A 2026-07-28 request (per-request
// _meta envelope) goes to the SDK's handler for that revision; a 2025-11-25
// one to the SDK's web-standard transport without a session, as before. The
// body is already read (and limited) by us, and we pass on only headers that
// hold no secret.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type Server,
} from '@modelcontextprotocol/server';
import { SECRET_HEADERS } from './http-credentials.js';
import { errorAnswer } from './lines.js';

/** JSON-RPC's request-timeout code, as MCP SDKs use it. */
const REQUEST_TIMEOUT = -32001;

type Message = {
  id?: unknown;
  method?: unknown;
  params?: { name?: unknown; _meta?: { progressToken?: unknown } };
};

function messages(body: unknown): Message[] {
  return (Array.isArray(body) ? body : [body]).filter(
    (m): m is Message => typeof m === 'object' && m !== null,
  );
}

/**
 * JSON is the default: one response, simplest for proxies. A request with a
 * progress token from a client that accepts event streams gets SSE, so its
 * progress notifications arrive while the call runs.
 */
export function wantsStream(body: unknown, accept: string | undefined): boolean {
  return (
    !!accept?.includes('text/event-stream') &&
    messages(body).some((m) => m.params?._meta?.progressToken !== undefined)
  );
}

/** The JSON-RPC method (and tool) of a body, for the access log; only well-formed names. */
export function describeBody(body: unknown): { mcp?: string; tool?: string } {
  const first = messages(body)[0];
  const name = (v: unknown) => (typeof v === 'string' && /^[\w/.-]{1,64}$/.test(v) ? v : undefined);
  const mcp = name(first?.method);
  return { mcp, tool: mcp === 'tools/call' ? name(first?.params?.name) : undefined };
}

/**
 * Answers with a JSON-RPC error, the form MCP clients read from any status.
 * The request's id is echoed when known; without one `id` is left out, never
 * null (MCP clients such as @ai-sdk/mcp reject `"id": null`).
 */
export function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  id?: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(errorAnswer(code, message, id)));
}

/** The id of a body's one request, when it has exactly one usable id. */
export function requestIdOf(body: unknown): string | number | undefined {
  const ids = messages(body)
    .map((m) => m.id)
    .filter((id): id is string | number => typeof id === 'string' || typeof id === 'number');
  return ids.length === 1 ? ids[0] : undefined;
}

/**
 * The SDK's own HTTP refusals (a wrong protocol version header, a method it
 * does not serve) carry `"id": null`. Such a body gets the request's id when
 * there is one, else no id at all.
 */
export function mendErrorBody(text: string, body: unknown): string {
  if (!text.includes('"id":null')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const one = (m: unknown) => {
    if (
      m === null ||
      typeof m !== 'object' ||
      !('error' in m) ||
      (m as { id?: unknown }).id !== null
    )
      return m;
    const { id: _, ...rest } = m as Record<string, unknown>;
    const id = requestIdOf(body);
    return id === undefined ? rest : { ...rest, id };
  };
  return JSON.stringify(Array.isArray(parsed) ? parsed.map(one) : one(parsed));
}

function forwardedHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || SECRET_HEADERS.includes(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // We have chosen the form of the answer (wantsStream); the SDK's transport
  // refuses clients that do not list both, e.g. curl's */*.
  headers.set('accept', 'application/json, text/event-stream');
  return headers;
}

export interface McpRequest {
  req: IncomingMessage;
  res: ServerResponse;
  body: unknown;
  server: Server;
  timeoutMs: number;
}

export async function answerMcp({ req, res, body, server, timeoutMs }: McpRequest): Promise<void> {
  // Settles when the client goes away or time is up: then the server is
  // closed, which aborts the tool's API call.
  let stop!: () => void;
  const stopped = new Promise<undefined>((resolve) => (stop = () => resolve(undefined)));
  const timer = setTimeout(() => {
    rpcError(
      res,
      504,
      REQUEST_TIMEOUT,
      `The request took longer than ${timeoutMs} ms (AGENT_ENVIRONMENTS_HTTP_REQUEST_TIMEOUT_MS) and was cancelled.`,
      requestIdOf(body),
    );
    stop();
  }, timeoutMs);
  res.on('close', stop);
  let modern: ReturnType<typeof createMcpHandler> | undefined;
  try {
    const request = new Request(`http://localhost${req.url ?? '/'}`, {
      method: 'POST',
      headers: forwardedHeaders(req),
    });
    let answering: Promise<Response>;
    if (await isLegacyRequest(request, body)) {
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: !wantsStream(body, req.headers.accept),
      });
      await server.connect(transport);
      answering = transport.handleRequest(request, { parsedBody: body });
    } else {
      // One JSON answer, or an event stream once the call sends progress.
      modern = createMcpHandler(() => server, { legacy: 'reject', responseMode: 'auto' });
      answering = modern.fetch(request, { parsedBody: body });
    }
    const response = await Promise.race([answering, stopped]);
    if (response) await send(res, response, stopped, body);
  } finally {
    clearTimeout(timer);
    await modern?.close().catch(() => {});
    await server.close().catch(() => {});
  }
}

/** Writes a web Response to Node's, streaming SSE as it comes. */
async function send(
  res: ServerResponse,
  response: Response,
  stopped: Promise<undefined>,
  body: unknown,
): Promise<void> {
  if (res.writableEnded) return;
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  // Connection is hop-by-hop and ours to decide (e.g. close while draining).
  for (const [name, value] of response.headers) if (name !== 'connection') headers[name] = value;
  if (!response.body || !headers['content-type']?.includes('text/event-stream')) {
    // A whole JSON answer goes out with its length: simplest for proxies.
    let whole = Buffer.from(await response.arrayBuffer());
    if (response.status >= 400 || headers['content-type']?.includes('json'))
      whole = Buffer.from(mendErrorBody(whole.toString('utf8'), body));
    res
      .writeHead(response.status, { ...headers, 'content-length': String(whole.length) })
      .end(whole);
    return;
  }
  res.writeHead(response.status, headers);
  const reader = response.body.getReader();
  void stopped.then(() => reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.writableEnded) break;
      res.write(value);
    }
  } catch {
    // The stream was cancelled (client gone or time up): nothing more to send.
  }
  if (!res.writableEnded) res.end();
}
