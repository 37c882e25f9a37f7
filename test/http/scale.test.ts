// Stateless: two replicas behind a round-robin proxy serve one client's
// consecutive requests interchangeably, with no session affinity; a
// 2026-07-28 confirmation asked by one replica is answered on the other.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { drive } from '../support/clients.js';
import { connectHttp, startHttp, type HttpServer } from '../support/http.js';
import { json, startRecorder, type Recorder } from '../support/recorder.js';
import { roundRobin } from '../support/round-robin.js';
import { environment, mutating, router } from '../support/routes.js';
import { SAMPLE_NAMES, TOOL_NAMES, samples } from '../support/samples.js';

const TOKEN = 'scale-access-token-0123456789abcdef';

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

  it('a 2026-07-28 delete is asked on one replica and answered on the other', async () => {
    const ENV = 'env_scale01';
    rec.fallback = router({
      'GET /v1/environments/:id': json(200, environment(ENV, { name: 'scaled' })),
      'GET /v1/environments/:id/work/stats': json(200, {
        type: 'work_queue_stats',
        depth: 0,
        pending: 0,
        oldest_queued_at: null,
        workers_polling: 0,
      }),
      'DELETE /v1/environments/:id': json(200, { id: ENV, type: 'environment_deleted' }),
    });
    rec.requests.length = 0;
    const c = await drive(
      'v2-modern',
      { url: lb.url, headers: { authorization: `Bearer ${TOKEN}` } },
      { person: 'accept' },
    );
    try {
      expect(c.protocol()).toBe('2026-07-28');
      const deletes = (r: HttpServer) =>
        r
          .stderr()
          .split('\n')
          .filter((l) => l.includes('"msg":"http"') && l.includes('"tool":"delete_environment"'))
          .length;
      const before = [deletes(replicas[0]!), deletes(replicas[1]!)];
      const result = await c.call('delete_environment', { environment_id: ENV });
      expect(c.asked).toHaveLength(1);
      expect(c.asked[0]).toContain('scaled');
      expect(result.structuredContent).toEqual({ id: ENV, type: 'environment_deleted' });
      expect(mutating(rec.requests).map((q) => q.method)).toEqual(['DELETE']);
      // The question (first call) and the answer (its retry) each went to a different replica.
      await vi.waitFor(() =>
        expect(deletes(replicas[0]!) + deletes(replicas[1]!) - before[0]! - before[1]!).toBe(2),
      );
      expect(deletes(replicas[0]!) - before[0]!).toBe(1);
      expect(deletes(replicas[1]!) - before[1]!).toBe(1);
    } finally {
      await c.close();
    }
  });
});
