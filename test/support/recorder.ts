// A local HTTP server that records every request and answers from a script:
// the stand-in API for client and end-to-end tests (real loopback sockets).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

export type Responder = (
  req: Recorded,
  res: ServerResponse,
  raw: IncomingMessage,
) => void | Promise<void>;

export interface Recorder {
  url: string;
  requests: Recorded[];
  /** Answers the next requests in order; falls back to `fallback`. */
  respond(...responders: Responder[]): void;
  fallback: Responder;
  /** Sockets the server saw close before it answered (cancellation). */
  closedEarly: number;
  /** Forgets recorded requests and unused responders, so one failed test cannot upset the next. */
  reset(): void;
  /** Connections open right now (keep-alive ones included). */
  openSockets(): number;
  close(): Promise<void>;
}

/** A responder that needs only the request and the response (callable from another responder). */
export type SimpleResponder = (req: Recorded, res: ServerResponse, raw?: IncomingMessage) => void;

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimpleResponder {
  return (_req, res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': `req_test_${status}`,
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
}

export function apiError(
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): SimpleResponder {
  return json(
    status,
    { type: 'error', error: { type, message, ...extra }, request_id: `req_err_${status}` },
    headers,
  );
}

export async function startRecorder(): Promise<Recorder> {
  const queue: Responder[] = [];
  const rec: Recorder = {
    url: '',
    requests: [],
    respond: (...r) => queue.push(...r),
    fallback: json(200, { ok: true }),
    closedEarly: 0,
    reset: () => {
      rec.requests.length = 0;
      queue.length = 0;
    },
    openSockets: () => sockets.size,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : undefined;
      } catch {
        parsed = undefined;
      }
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        headers: req.headers,
        body,
        json: parsed,
      };
      rec.requests.push(recorded);
      res.on('close', () => {
        if (!res.writableEnded) rec.closedEarly++;
      });
      void (queue.shift() ?? rec.fallback)(recorded, res, req);
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return rec;
}
