// Misbehaving API answers for the recorder: the faults a real network, proxy
// or overloaded API produces, one responder each.
import type { Responder } from './recorder.js';

export function html(
  status: number,
  page: string,
  headers: Record<string, string> = {},
): Responder {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html', ...headers });
    res.end(page);
  };
}

/** Closes the connection without a byte of answer (after the request was read). */
export const dropConnection: Responder = (_req, res) => {
  res.socket?.destroy();
};

/** Accepts the request and never answers. */
export const hang: Responder = () => {};

/** Sends the status and headers, then one byte of body every `everyMs`, forever. */
export function trickle(everyMs: number): Responder {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"id": "');
    const timer = setInterval(() => res.write('x'), everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** Promises `declared` bytes, sends `body`, then closes the connection. */
export function truncated(body: string, declared = body.length + 100): Responder {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(declared) });
    res.write(body);
    setTimeout(() => res.socket?.destroy(), 20);
  };
}

/** A complete 200 answer whose body is `text` (valid HTTP, broken JSON). */
export function rawBody(status: number, text: string, contentType = 'application/json'): Responder {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': contentType, 'request-id': 'req_raw' });
    res.end(text);
  };
}

/** A JSON body of `bytes` bytes, streamed without a content-length (chunked). */
export function oversized(bytes: number): Responder {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    res.write('{"pad":"');
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end('"}');
    };
    res.on('error', () => {});
    pump();
  };
}

export function redirect(status: number, location: string): Responder {
  return (_req, res) => {
    res.writeHead(status, { location, 'content-type': 'text/html' });
    res.end(`<a href="${location}">moved</a>`);
  };
}

/**
 * An error that echoes the request headers back, as some proxies and debug
 * pages do: the credential is in the answer the server reads.
 */
export function echoHeaders(status: number, as: 'json' | 'html'): Responder {
  return (req, res) => {
    const dump = JSON.stringify(req.headers);
    if (as === 'json') {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_echo' });
      res.end(
        JSON.stringify({
          type: 'error',
          error: { type: 'api_error', message: `bad request, headers were ${dump}` },
          request_id: 'req_echo',
        }),
      );
    } else {
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(`<html><body><h1>${status}</h1><pre>${dump}</pre></body></html>`);
    }
  };
}

/**
 * A proxy to `target` (the emulator): the request is carried out there. With
 * `loseAnswer`, the answer is thrown away and the connection closed, as when
 * a network fails after the API did the work.
 */
export function forward(target: string, opts: { loseAnswer?: boolean } = {}): Responder {
  return async (req, res) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k),
      ),
    ) as Record<string, string>;
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: req.body === '' ? undefined : req.body,
    });
    const text = await answer.text();
    if (opts.loseAnswer) return void res.socket?.destroy();
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
      'request-id': answer.headers.get('request-id') ?? '',
    });
    res.end(text);
  };
}
