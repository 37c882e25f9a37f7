// A round-robin reverse proxy on loopback, as a load balancer without
// session affinity would be: each request goes to the next upstream in turn.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobin {
  /** The proxy's MCP endpoint. */
  url: string;
  /** Which upstream served each request, in order. */
  served: number[];
  /** May be filled after the proxy starts (when upstreams need the proxy's address). */
  upstreams: string[];
  close(): Promise<void>;
}

export async function roundRobin(upstreams: string[] = []): Promise<RoundRobin> {
  const served: number[] = [];
  let next = 0;
  const proxy: Server = createServer((req, res) => {
    const i = next++ % upstreams.length;
    served.push(i);
    const target = new URL(req.url ?? '/', upstreams[i]);
    // The Host header passes through, as a reverse proxy set up for it does.
    const out = request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`,
    served,
    upstreams,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    },
  };
}
