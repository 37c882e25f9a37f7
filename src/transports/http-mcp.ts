// One MCP POST, stateless: a fresh Server and transport answer it and are
// closed with it, so any replica can answer any request. We use the SDK's
// web-standard transport directly: the body is already read (and limited) by
// us, and we pass on only headers that hold no secret.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { SECRET_HEADERS } from './http-credentials.js';

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

/** Answers with a JSON-RPC error, the form MCP clients read from any status. */
export function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  id: unknown = null,
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
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id }));
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
  const stream = wantsStream(body, req.headers.accept);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !stream,
  });
  // Settles when the client goes away or time is up: then the server is
  // closed, which aborts the tool's API call.
  let stop!: () => void;
  const stopped = new Promise<undefined>((resolve) => (stop = () => resolve(undefined)));
  const timer = setTimeout(() => {
    const id = messages(body).find((m) => m.id !== undefined)?.id ?? null;
    rpcError(
      res,
      504,
      ErrorCode.RequestTimeout,
      `The request took longer than ${timeoutMs} ms (AGENT_ENVIRONMENTS_HTTP_REQUEST_TIMEOUT_MS) and was cancelled.`,
      id,
    );
    stop();
  }, timeoutMs);
  res.on('close', stop);
  try {
    await server.connect(transport);
    const request = new Request(`http://localhost${req.url ?? '/'}`, {
      method: 'POST',
      headers: forwardedHeaders(req),
    });
    const response = await Promise.race([
      transport.handleRequest(request, { parsedBody: body }),
      stopped,
    ]);
    if (response) await send(res, response, stopped);
  } finally {
    clearTimeout(timer);
    await server.close().catch(() => {});
  }
}

/** Writes a web Response to Node's, streaming SSE as it comes. */
async function send(
  res: ServerResponse,
  response: Response,
  stopped: Promise<undefined>,
): Promise<void> {
  if (res.writableEnded) return;
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  // Connection is hop-by-hop and ours to decide (e.g. close while draining).
  for (const [name, value] of response.headers) if (name !== 'connection') headers[name] = value;
  if (!response.body || !headers['content-type']?.includes('text/event-stream')) {
    // A whole JSON answer goes out with its length: simplest for proxies.
    const whole = Buffer.from(await response.arrayBuffer());
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
