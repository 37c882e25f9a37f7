// Slow senders against the HTTP transport over real sockets: a client that
// never finishes its headers is cut off at 20 s, one that trickles its body
// at 30 s, as the README says (Node checks these limits only every
// connectionsCheckingInterval, 30 s by default, which made them 32 s and 35 s+).
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, type HttpServer } from '../support/http.js';

let srv: HttpServer;
beforeAll(async () => {
  srv = await startHttp({ env: { ANTHROPIC_API_KEY: 'sk-ant-slow-senders-0123456789' } });
});
afterAll(async () => {
  await srv?.stop();
});

/** Opens a socket, sends `first`, then `drip` (if any) one byte a second; resolves with when the server closed it, in ms. */
function slowSender(first: string, drip?: string): Promise<number> {
  const url = new URL(srv.url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(Number(url.port), url.hostname, () => {
      socket.write(first);
      let i = 0;
      const timer = setInterval(() => {
        if (drip && i < drip.length && !socket.destroyed) socket.write(drip[i++]!);
      }, 1000);
      socket.on('close', () => {
        clearInterval(timer);
        resolve(Date.now() - started);
      });
    });
    socket.on('error', () => {});
    socket.resume();
  });
}

describe('slow senders', () => {
  it('headers are cut off at 20 s and a trickling body at 30 s', async () => {
    const url = new URL(srv.url);
    const head = `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n`;
    const [headers, body] = await Promise.all([
      slowSender(`${head}x-slow: `, 'a'.repeat(100)),
      slowSender(
        `${head}content-type: application/json\r\ncontent-length: 200\r\n\r\n`,
        ' '.repeat(200),
      ),
    ]);
    expect(headers).toBeGreaterThanOrEqual(19_000);
    expect(headers).toBeLessThan(22_500);
    expect(body).toBeGreaterThanOrEqual(29_000);
    expect(body).toBeLessThan(32_500);
  }, 60_000);
});
