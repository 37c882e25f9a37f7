// Confirmations in both generations and on both transports: on 2026-07-28 by
// multi-round-trip (an input_required result, then the same call again with
// the answer), on a 2025-11-25 stdio session by elicitation/create. Every
// answer a person can give, and a client that cannot be asked. Also progress
// and cancellation of a 2026-07-28 call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_KINDS, drive, type ClientKind, type Person } from './support/clients.js';
import { until } from './support/config.js';
import { startHttp, type HttpServer } from './support/http.js';
import { spawnRaw } from './support/raw.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { environment, mutating, router, workItem } from './support/routes.js';

const ENV = 'env_confirm01';
const KEY = 'sk-ant-test-confirm-key';
const ENV_KEY = 'env-key-test-confirm';
const SERVER_ENV = {
  ANTHROPIC_API_KEY: KEY,
  ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY,
  AGENT_ENVIRONMENTS_MAX_RETRIES: '0',
};
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw-modern', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
};

let rec: Recorder;
let http: HttpServer;
/** Requests for /poll are held this long before answering null (a long poll to cancel). */
const POLL_HOLD_MS = 400;

beforeAll(async () => {
  rec = await startRecorder();
  const routes = router({
    'GET /v1/environments/:id': json(200, environment(ENV, { name: 'prod workers' })),
    'GET /v1/environments/:id/work': json(200, {
      data: [workItem('work_a', ENV, { state: 'active' })],
      next_page: null,
    }),
    'GET /v1/environments/:id/work/stats': json(200, {
      type: 'work_queue_stats',
      depth: 1,
      pending: 0,
      oldest_queued_at: null,
      workers_polling: 1,
    }),
    'GET /v1/environments/:id/work/:work': json(200, workItem('work_a', ENV, { state: 'active' })),
    'DELETE /v1/environments/:id': json(200, { id: ENV, type: 'environment_deleted' }),
    'POST /v1/environments/:id/archive': json(
      200,
      environment(ENV, { archived_at: '2026-02-01T00:00:00Z' }),
    ),
    'POST /v1/environments/:id/work/:work/stop': json(
      200,
      workItem('work_a', ENV, { state: 'stopped' }),
    ),
  });
  rec.fallback = (req, res, raw) => {
    if (req.path.endsWith('/work/poll')) {
      setTimeout(() => void json(200, null)(req, res, raw), POLL_HOLD_MS);
      return;
    }
    return routes(req, res, raw);
  };
  http = await startHttp({ args: ['--base-url', rec.url], env: SERVER_ENV });
});
afterAll(async () => {
  expect(await http?.stop()).toBe(0);
  await rec?.close();
});
beforeEach(() => {
  rec.requests.length = 0;
});

const OUTCOME: Record<Exclude<Person, 'none'>, Record<string, unknown>> = {
  accept: { id: ENV, type: 'environment_deleted' },
  decline: { done: false, reason: 'declined' },
  untick: { done: false, reason: 'declined' },
  cancel: { done: false, reason: 'cancelled' },
};
const PEOPLE: Person[] = ['accept', 'decline', 'untick', 'cancel', 'none'];

/** Whether this client on this transport can be asked at all. */
function canAsk(kind: ClientKind, transport: 'stdio' | 'http'): boolean {
  // A stateless HTTP server has no session to send a 2025-11-25 elicitation/create on.
  return kind === 'v2-modern' || transport === 'stdio';
}

describe.each(['stdio', 'http'] as const)('over %s', (transport) => {
  describe.each(CLIENT_KINDS)('the %s client', (kind) => {
    it.each(PEOPLE)('a person who answers %s', async (person) => {
      const c = await drive(kind, transport === 'stdio' ? { stdio: true } : { url: http.url }, {
        person,
        args: ['--base-url', rec.url],
        env: SERVER_ENV,
      });
      try {
        const r = await c.call('delete_environment', { environment_id: ENV });
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        const asked = person !== 'none' && canAsk(kind, transport);
        if (asked) {
          expect(c.asked).toHaveLength(1);
          expect(c.asked[0]).toMatch(
            /^Delete environment "prod workers" \(env_confirm01\) for good\? It has 1 active and 0 queued work items\. This cannot be undone\.$/,
          );
          expect(r.structuredContent).toMatchObject(OUTCOME[person as Exclude<Person, 'none'>]);
        } else {
          // Cannot be asked: as before, the call runs (annotations and requiresUserInteraction tell the host).
          expect(c.asked).toEqual([]);
          expect(r.structuredContent).toEqual({ id: ENV, type: 'environment_deleted' });
        }
        const deletes = mutating(rec.requests).filter((q) => q.method === 'DELETE');
        expect(deletes).toHaveLength(!asked || person === 'accept' ? 1 : 0);
      } finally {
        await c.close();
      }
    });
  });
});

describe('2026-07-28 on the wire', () => {
  const call = (args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name: 'delete_environment',
    arguments: args,
    ...extra,
    _meta: ENVELOPE,
  });

  it('stdio: no answer is "not answered"; changed arguments are asked again; nothing is deleted meanwhile', async () => {
    const s = spawnRaw({ ...SERVER_ENV, ANTHROPIC_BASE_URL: rec.url });
    try {
      const first = (await s.request('tools/call', call({ environment_id: ENV }))).result;
      expect(first.resultType).toBe('input_required');
      // The client came back without an answer.
      const none = (
        await s.request(
          'tools/call',
          call({ environment_id: ENV }, { requestState: first.requestState }),
        )
      ).result;
      expect(none.structuredContent).toMatchObject({ done: false, reason: 'no_answer' });
      // An answer given for one environment is not an answer for another.
      const other = (
        await s.request(
          'tools/call',
          call(
            { environment_id: 'env_other01' },
            {
              requestState: first.requestState,
              inputResponses: { confirm: { action: 'accept', content: { confirm: true } } },
            },
          ),
        )
      ).result;
      expect(other.resultType).toBe('input_required');
      expect(other.inputRequests.confirm.params.message).toContain('env_other01');
      expect(mutating(rec.requests)).toEqual([]);
      s.assertJsonOnly();
    } finally {
      s.kill();
    }
  });

  it('HTTP: the question comes back as input_required over plain JSON, and the answered retry deletes', async () => {
    const post = async (body: unknown) => {
      const res = await fetch(http.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'delete_environment',
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const first = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: call({ environment_id: ENV }),
    });
    expect(first.status).toBe(200);
    expect(first.body.result.resultType).toBe('input_required');
    expect(mutating(rec.requests)).toEqual([]);
    const answered = {
      requestState: first.body.result.requestState,
      inputResponses: { confirm: { action: 'accept', content: { confirm: true } } },
    };
    const done = await post({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: call({ environment_id: ENV }, answered),
    });
    expect(done.body.result.structuredContent).toEqual({ id: ENV, type: 'environment_deleted' });
    expect(mutating(rec.requests).map((q) => q.method)).toEqual(['DELETE']);
  });
});

describe.each(['stdio', 'http'] as const)('a 2026-07-28 call over %s', (transport) => {
  it('reports progress and stops when cancelled', async () => {
    const c = await drive(
      'v2-modern',
      transport === 'stdio' ? { stdio: true } : { url: http.url },
      { args: ['--base-url', rec.url], env: SERVER_ENV },
    );
    try {
      const polls = () => rec.requests.filter((q) => q.path.endsWith('/work/poll'));
      const progress: number[] = [];
      const done = await c.call(
        'poll_work_item',
        { environment_id: ENV, wait_ms: 1500 },
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(done.structuredContent).toEqual({ work: null });
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));

      rec.requests.length = 0;
      const abort = new AbortController();
      const running = c.call(
        'poll_work_item',
        { environment_id: ENV, wait_ms: 30_000 },
        { signal: abort.signal, onprogress: () => {} },
      );
      await until(() => polls().length >= 2, 10_000, 'a second poll');
      abort.abort();
      await expect(running).rejects.toThrow();
      await new Promise((r) => setTimeout(r, POLL_HOLD_MS * 3));
      const atCancel = polls().length;
      await new Promise((r) => setTimeout(r, POLL_HOLD_MS * 3));
      expect(polls().length).toBe(atCancel);
    } finally {
      await c.close();
    }
  });
});
