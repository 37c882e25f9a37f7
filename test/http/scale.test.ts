// Stateless: two replicas behind a round-robin proxy serve one client's
// consecutive requests interchangeably, with no session affinity.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectHttp, startHttp, type HttpServer } from '../support/http.js';
import { json, startRecorder, type Recorder } from '../support/recorder.js';
import { SAMPLE_NAMES, TOOL_NAMES, samples } from '../support/samples.js';

const TOKEN = 'scale-access-token-0123456789abcdef';

/** Forwards each request to the next upstream in turn; remembers which one served it. */
async function roundRobin(
  upstreams: string[],
): Promise<{ url: string; served: number[]; close(): Promise<void> }> {
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
    close: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    },
  };
}

describe('two replicas behind a round-robin proxy', () => {
  let rec: Recorder;
  const replicas: HttpServer[] = [];
  let lb: Awaited<ReturnType<typeof roundRobin>>;

  beforeAll(async () => {
    rec = await startRecorder();
    const options = {
      args: ['--base-url', rec.url],
      env: {
        AGENT_ENVIRONMENTS_HTTP_TOKEN: TOKEN,
        ANTHROPIC_API_KEY: 'sk-ant-api-scale-0123456789',
      },
    };
    replicas.push(...(await Promise.all([startHttp(options), startHttp(options)])));
    lb = await roundRobin(replicas.map((r) => r.url));
  });

  afterAll(async () => {
    await lb?.close();
    for (const r of replicas) expect(await r.stop()).toBe(0);
    await rec?.close();
  });

  it("serves one client's consecutive calls from either replica", async () => {
    const mcp = await connectHttp(lb.url, { authorization: `Bearer ${TOKEN}` });
    const tools = await mcp.client.listTools();
    expect(tools.tools.length).toBe(TOOL_NAMES.length);
    for (const name of SAMPLE_NAMES.slice(0, 6)) {
      rec.respond(json(200, samples[name].response));
      const result = await mcp.call(name, samples[name].args);
      expect(result.isError, name).toBeFalsy();
      expect(result.structuredContent).toEqual(samples[name].result ?? samples[name].response);
    }
    await mcp.close();

    // initialize, initialized, the stream probe, tools/list and six calls,
    // alternating: each replica answered half of one session's requests.
    expect(lb.served.length).toBeGreaterThanOrEqual(10);
    expect(lb.served.filter((i) => i === 0).length).toBeGreaterThanOrEqual(5);
    expect(lb.served.filter((i) => i === 1).length).toBeGreaterThanOrEqual(5);
    // Each replica's own access log shows the calls it answered (log lines
    // arrive over a pipe, so wait for them).
    const calls = (r: HttpServer) =>
      r
        .stderr()
        .split('\n')
        .filter((l) => l.includes('"mcp":"tools/call"')).length;
    await vi.waitFor(() => expect(calls(replicas[0]!) + calls(replicas[1]!)).toBe(6));
    expect(calls(replicas[0]!)).toBeGreaterThanOrEqual(2);
    expect(calls(replicas[1]!)).toBeGreaterThanOrEqual(2);
  });
});
