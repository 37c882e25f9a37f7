// Long polls and whole lists end to end: repeated short polls with progress
// until work arrives, cancellation that stops the polling, pages followed in
// order, and results cut by max_items or the response budget with a
// continuation that loses nothing.
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until } from './support/config.js';
import { resultJson, spawnServer, type Spawned } from './support/mcp.js';
import { json, startRecorder, type Recorder, type Responder } from './support/recorder.js';
import { environment, router, workItem } from './support/routes.js';

const ENV = 'env_waits01';
const ENV_KEY = 'env-key-test-waits';
const TOTAL = 7;
const secret = Buffer.from(JSON.stringify({ sessions_token: 'sess-token-waits' })).toString(
  'base64url',
);

let rec: Recorder;
/** When set, the next poll hands out this item; until then polls wait their block_ms (capped) and answer null. */
let ready: Record<string, unknown> | undefined;
let holdMs = 150;

/** Environments env_0..env_6 served `limit` (default 3) at a time; cursors are offsets. */
const pagedEnvironments: Responder = (req, res, raw) => {
  const limit = Number(req.query.limit ?? 3);
  const start = req.query.page ? Number(req.query.page.slice(4)) : 0;
  const data = Array.from({ length: TOTAL }, (_, i) =>
    environment(`env_${i}`, { description: 'd'.repeat(300) }),
  ).slice(start, start + limit);
  return json(200, { data, next_page: start + limit < TOTAL ? `off_${start + limit}` : null })(
    req,
    res,
    raw,
  );
};

const poll: Responder = async (req, res, raw) => {
  const work = ready;
  if (work) {
    ready = undefined;
    return json(200, work)(req, res, raw);
  }
  await sleep(Math.min(Number(req.query.block_ms ?? 0), holdMs));
  if (!res.destroyed) json(200, null)(req, res, raw);
};

beforeAll(async () => {
  rec = await startRecorder();
  rec.fallback = router({
    'GET /v1/environments': pagedEnvironments,
    'GET /v1/environments/:id/work/poll': poll,
  });
});
afterAll(() => rec.close());
beforeEach(() => {
  rec.requests.length = 0;
  ready = undefined;
});

const polls = () => rec.requests.filter((r) => r.path.endsWith('/work/poll'));

describe('long poll and lists (default budget)', () => {
  let s: Spawned;
  beforeAll(async () => {
    s = await spawnServer({
      args: ['--base-url', rec.url],
      env: { ANTHROPIC_API_KEY: 'sk-ant-waits', ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY },
    });
  });
  afterAll(() => s.close());

  it('wait_ms polls again and again with block_ms <= 999, reports progress, and returns the work when it arrives', async () => {
    holdMs = 150;
    const progress: Progress[] = [];
    const call = s.client.callTool(
      {
        name: 'poll_work_item',
        arguments: { environment_id: ENV, wait_ms: 20_000, worker_id: 'w1' },
      },
      CallToolResultSchema,
      { onprogress: (p) => progress.push(p), timeout: 30_000 },
    );
    await until(() => polls().length >= 3, 10_000, 'three polls');
    ready = workItem('work_arrived', ENV, { secret });
    const r = await call;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      work: { id: 'work_arrived', secret: '[redacted]' },
    });
    expect(JSON.stringify(r)).not.toContain(secret);
    for (const p of polls()) {
      expect(Number(p.query.block_ms)).toBeGreaterThanOrEqual(1);
      expect(Number(p.query.block_ms)).toBeLessThanOrEqual(999);
      expect(p.headers['anthropic-worker-id']).toBe('w1');
    }
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.total === 20_000)).toBe(true);
    expect(progress.map((p) => p.progress)).toEqual(
      [...progress.map((p) => p.progress)].sort((a, b) => a - b),
    );
  });

  it('wait_ms ends with {work: null} when nothing arrives in time', async () => {
    holdMs = 150;
    const r = await s.call('poll_work_item', { environment_id: ENV, wait_ms: 600 });
    expect(r.structuredContent).toEqual({ work: null });
    expect(polls().length).toBeGreaterThanOrEqual(1);
  });

  it('wait_ms over 60000 is refused by name before any request', async () => {
    const r = await s.call('poll_work_item', { environment_id: ENV, wait_ms: 60_001 });
    expect(r.isError).toBe(true);
    expect(resultJson(r).error.message).toMatch(/wait_ms: .*60000/);
    expect(polls()).toEqual([]);
  });

  it('a cancelled long poll stops polling at once', async () => {
    holdMs = 999;
    const closedBefore = rec.closedEarly;
    const abort = new AbortController();
    const call = s.client.callTool(
      { name: 'poll_work_item', arguments: { environment_id: ENV, wait_ms: 30_000 } },
      CallToolResultSchema,
      { signal: abort.signal, onprogress: () => {} },
    );
    await until(() => polls().length >= 2, 10_000, 'a second poll');
    abort.abort();
    await expect(call).rejects.toThrow();
    // The poll in flight is cut once the server sees the cancellation...
    await until(() => rec.closedEarly > closedBefore, 10_000, 'the in-flight poll to be cut');
    const atCancel = polls().length;
    // ...and no other follows (a live long poll would have sent two or three by now).
    await sleep(2500);
    expect(polls().length).toBe(atCancel);
  });

  it('all: true follows every page in order with progress', async () => {
    const progress: Progress[] = [];
    const r = await s.client.callTool(
      { name: 'list_environments', arguments: { all: true, limit: 3 } },
      CallToolResultSchema,
      {
        onprogress: (p) => progress.push(p),
      },
    );
    const out = r.structuredContent as any;
    expect(out.data.map((e: any) => e.id)).toEqual(
      Array.from({ length: TOTAL }, (_, i) => `env_${i}`),
    );
    expect(out.next_page).toBeNull();
    expect(out.note).toBeUndefined();
    expect(rec.requests.map((q) => q.query.page ?? 'first')).toEqual(['first', 'off_3', 'off_6']);
    expect(progress.map((p) => p.progress)).toEqual([3, 6]);
  });

  it('max_items cuts a whole list, says how many it holds, and next_page resumes mid-page', async () => {
    const first = (await s.call('list_environments', { all: true, max_items: 4, limit: 3 }))
      .structuredContent as any;
    expect(first.data.map((e: any) => e.id)).toEqual(['env_0', 'env_1', 'env_2', 'env_3']);
    expect(first.note).toMatch(/Holds 4 items: max_items \(4\)/);
    expect(first.next_page).toMatch(/^resume:/);
    const rest = (await s.call('list_environments', { all: true, page: first.next_page }))
      .structuredContent as any;
    expect(rest.data.map((e: any) => e.id)).toEqual(['env_4', 'env_5', 'env_6']);
    expect(rest.next_page).toBeNull();
    // The continuation keeps the page size it was cut from, so its position stays right.
    expect(rec.requests.map((q) => [q.query.page ?? 'first', q.query.limit])).toEqual([
      ['first', '3'],
      ['off_3', '3'],
      ['off_3', '3'],
      ['off_6', '3'],
    ]);
  });

  it('a page argument that is neither an API cursor nor ours is refused by name', async () => {
    const r = await s.call('list_environments', { page: 'resume:garbage' });
    expect(r.isError).toBe(true);
    expect(resultJson(r).error.message).toMatch(
      /page: must be the next_page value of a previous response/,
    );
    expect(rec.requests).toEqual([]);
  });
});

describe('response budget', () => {
  it('a list over the budget is cut at an item boundary with a note, and following next_page returns every item once', async () => {
    const s = await spawnServer({
      args: ['--base-url', rec.url, '--response-budget-bytes', '2000'],
      env: { ANTHROPIC_API_KEY: 'sk-ant-waits' },
    });
    try {
      const seen: string[] = [];
      let page: string | undefined;
      let cuts = 0;
      for (let round = 0; round < 20; round++) {
        const r = await s.call('list_environments', { limit: 7, ...(page ? { page } : {}) });
        const text = (r.content[0] as { text: string }).text;
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2000);
        const out = r.structuredContent as any;
        if (out.note) {
          cuts++;
          expect(out.note).toMatch(
            new RegExp(
              `^Holds ${out.data.length} of the \\d+ items fetched: .*2000-byte response budget`,
            ),
          );
        }
        seen.push(...out.data.map((e: any) => e.id));
        if (out.next_page === null) break;
        page = out.next_page;
      }
      expect(cuts).toBeGreaterThan(0);
      expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => `env_${i}`));
    } finally {
      await s.close();
    }
  });
});
