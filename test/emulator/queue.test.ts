// The work item state machine and the queue, driven directly with a manual clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manualClock, stamper, type Clock } from '../../src/emulator/clock.js';
import { EmulatorError } from '../../src/emulator/errors.js';
import {
  DEFAULT_RECLAIM_MS,
  LEASE_TTL,
  WORKERS_WINDOW_MS,
  WorkQueue,
} from '../../src/emulator/queue.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function setup(): { clock: Clock; q: WorkQueue; tokens: Map<string, string> } {
  const clock = manualClock(T0);
  const tokens = new Map<string, string>();
  const q = new WorkQueue('env_test', {
    clock,
    stamp: stamper(clock),
    onToken: (t, w) => tokens.set(t, w.id),
  });
  return { clock, q, tokens };
}

function error(fn: () => unknown): EmulatorError {
  try {
    fn();
  } catch (err) {
    if (err instanceof EmulatorError) return err;
    throw err;
  }
  throw new Error('expected an EmulatorError');
}

/** Enqueue, poll, ack and first heartbeat: an active item. */
function active(q: WorkQueue) {
  const w = q.enqueue();
  expect(q.poll()?.id).toBe(w.id);
  q.ack(w.id);
  const beat = q.heartbeat(w.id, { expected: 'NO_HEARTBEAT' });
  return { w, beat };
}

describe('enqueue and stats', () => {
  it('a new item is queued, counted in depth, and dated', () => {
    const { q } = setup();
    const w = q.enqueue({ session_id: 'session_abc', metadata: { k: 'v' } });
    expect(w).toMatchObject({
      state: 'queued',
      data: { type: 'session', id: 'session_abc' },
      metadata: { k: 'v' },
      acknowledged_at: null,
    });
    expect(w.id).toMatch(/^work_011C[1-9A-Za-z]{20}$/);
    expect(w.created_at).toBe('2026-01-01T00:00:00.000000Z');
    expect(q.stats()).toEqual({
      type: 'work_queue_stats',
      depth: 1,
      pending: 0,
      oldest_queued_at: '2026-01-01T00:00:00.000Z',
      workers_polling: 0,
    });
  });

  it('gives each item a session id of its own when none is given', () => {
    const { q } = setup();
    const a = q.enqueue();
    const b = q.enqueue();
    expect(a.data.id).toMatch(/^session_/);
    expect(a.data.id).not.toBe(b.data.id);
  });

  it('timestamps never repeat, even under a frozen clock', () => {
    const { q } = setup();
    const stamps = new Set(Array.from({ length: 50 }, () => q.enqueue().created_at));
    expect(stamps.size).toBe(50);
  });
});

describe('poll', () => {
  it('returns null on an empty queue', () => {
    expect(setup().q.poll()).toBeNull();
  });

  it('hands out the oldest item first; the item stays queued but moves from depth to pending', () => {
    const { q } = setup();
    const a = q.enqueue();
    const b = q.enqueue();
    expect(q.poll()?.id).toBe(a.id);
    expect(a.state).toBe('queued');
    expect(q.stats()).toMatchObject({ depth: 1, pending: 1 });
    expect(q.poll()?.id).toBe(b.id);
    expect(q.poll()).toBeNull();
    expect(q.stats()).toMatchObject({ depth: 0, pending: 2 });
  });

  it('issues one sessions token per item, reported for strict auth', () => {
    const { q, tokens, clock } = setup();
    const w = q.enqueue();
    q.poll();
    const token = w.token;
    expect(token).toMatch(/^sk-ant-req-emulator-/);
    clock.advance(DEFAULT_RECLAIM_MS);
    q.poll(); // re-delivered
    expect(w.token).toBe(token);
    expect(tokens.get(token!)).toBe(w.id);
  });

  it('re-delivers an item polled but not acked once reclaim_older_than_ms has passed (default 5000)', () => {
    const { q, clock } = setup();
    const w = q.enqueue();
    q.poll();
    clock.advance(DEFAULT_RECLAIM_MS - 1);
    expect(q.poll()).toBeNull();
    clock.advance(1);
    expect(q.poll()?.id).toBe(w.id);
    expect(q.stats()).toMatchObject({ depth: 0, pending: 1 });
  });

  it("honours a poll's own reclaim_older_than_ms", () => {
    const { q, clock } = setup();
    const w = q.enqueue();
    q.poll();
    clock.advance(100);
    expect(q.poll({ reclaimMs: 1000 })).toBeNull();
    expect(q.poll({ reclaimMs: 100 })?.id).toBe(w.id);
  });

  it('hands a reclaimable item out before fresh ones', () => {
    const { q, clock } = setup();
    const old = q.enqueue();
    q.poll();
    const fresh = q.enqueue();
    clock.advance(DEFAULT_RECLAIM_MS);
    expect(q.poll()?.id).toBe(old.id);
    expect(q.poll()?.id).toBe(fresh.id);
  });

  it('does not re-deliver an acked item', () => {
    const { q, clock } = setup();
    const w = q.enqueue();
    q.poll();
    q.ack(w.id);
    clock.advance(DEFAULT_RECLAIM_MS * 10);
    expect(q.poll()).toBeNull();
  });
});

describe('long poll', () => {
  it('wakes the moment work is enqueued, with that work', async () => {
    const { q } = setup();
    const waiting = q.pollWait({ blockMs: 999 });
    const w = q.enqueue();
    // Had it not been woken, the wait would have ended with null after 999 ms.
    expect((await waiting)?.id).toBe(w.id);
    expect(q.stats()).toMatchObject({ depth: 0, pending: 1 });
  });

  it('answers null when nothing comes within block_ms', async () => {
    const { q } = setup();
    expect(await q.pollWait({ blockMs: 20 })).toBeNull();
  });

  it('serves waiting pollers first come, first served', async () => {
    const { q } = setup();
    const first = q.pollWait({ blockMs: 999 });
    const second = q.pollWait({ blockMs: 999 });
    const a = q.enqueue();
    const b = q.enqueue();
    expect((await first)?.id).toBe(a.id);
    expect((await second)?.id).toBe(b.id);
  });

  it('a poller that went away does not swallow work', async () => {
    const { q } = setup();
    const gone = new AbortController();
    const waiting = q.pollWait({ blockMs: 999, signal: gone.signal });
    gone.abort();
    expect(await waiting).toBeNull();
    const w = q.enqueue();
    expect(q.stats()).toMatchObject({ depth: 1, pending: 0 });
    expect(q.poll()?.id).toBe(w.id);
  });

  it('returns at once when work is already there', async () => {
    const { q } = setup();
    const w = q.enqueue();
    expect((await q.pollWait({ blockMs: 999 }))?.id).toBe(w.id);
  });

  it('a pending item that becomes reclaimable during the wait goes to the next poll', async () => {
    const { q, clock } = setup();
    const w = q.enqueue();
    q.poll();
    const waiting = q.pollWait({ blockMs: 30 });
    clock.advance(DEFAULT_RECLAIM_MS);
    expect(await waiting).toBeNull();
    expect(q.poll()?.id).toBe(w.id);
  });

  it('closeWaiters ends every waiting poll with null', async () => {
    const { q } = setup();
    const waiting = q.pollWait({ blockMs: 999 });
    q.closeWaiters();
    expect(await waiting).toBeNull();
  });
});

describe('ack', () => {
  it('moves queued to starting and takes the item out of the queue', () => {
    const { q } = setup();
    const w = q.enqueue();
    q.poll();
    q.ack(w.id);
    expect(w.state).toBe('starting');
    expect(w.acknowledged_at).not.toBeNull();
    expect(q.stats()).toMatchObject({ depth: 0, pending: 0, oldest_queued_at: null });
  });

  it('also takes an item that was never polled', () => {
    const { q } = setup();
    const w = q.enqueue();
    q.ack(w.id);
    expect(q.stats()).toMatchObject({ depth: 0, pending: 0 });
    expect(q.poll()).toBeNull();
  });

  it('is a no-op when repeated on a starting item', () => {
    const { q } = setup();
    const w = q.enqueue();
    q.ack(w.id);
    const at = w.acknowledged_at;
    expect(q.ack(w.id).acknowledged_at).toBe(at);
  });

  it('is 409 once the item is active or later', () => {
    const { q } = setup();
    const { w } = active(q);
    expect(error(() => q.ack(w.id)).status).toBe(409);
  });

  it('is 404 for an unknown item', () => {
    const e = error(() => setup().q.ack('work_nope'));
    expect(e.status).toBe(404);
    expect(e.message).toContain('work_nope');
  });
});

describe('heartbeat', () => {
  it('the first beat (NO_HEARTBEAT) makes a starting item active and starts its lease', () => {
    const { q } = setup();
    const { w, beat } = active(q);
    expect(beat).toEqual({
      type: 'work_heartbeat',
      last_heartbeat: w.latest_heartbeat_at,
      lease_extended: true,
      state: 'active',
      ttl_seconds: LEASE_TTL.default,
    });
    expect(w.state).toBe('active');
    expect(w.started_at).toBe(beat.last_heartbeat);
  });

  it('each later beat echoes the previous last_heartbeat exactly', () => {
    const { q } = setup();
    const { w, beat } = active(q);
    const second = q.heartbeat(w.id, { expected: beat.last_heartbeat });
    expect(second.last_heartbeat).not.toBe(beat.last_heartbeat);
    expect(q.heartbeat(w.id, { expected: second.last_heartbeat }).lease_extended).toBe(true);
  });

  it('a stale value is 412 heartbeat_precondition_failed with the lease as the server holds it', () => {
    const { q } = setup();
    const { w, beat } = active(q);
    const second = q.heartbeat(w.id, { expected: beat.last_heartbeat });
    const e = error(() => q.heartbeat(w.id, { expected: beat.last_heartbeat }));
    expect(e.status).toBe(412);
    expect(e.type).toBe('invalid_request_error');
    expect(e.details).toEqual({
      error_code: 'heartbeat_precondition_failed',
      current_state: {
        last_heartbeat: second.last_heartbeat,
        lease_extended: false,
        state: 'active',
        ttl_seconds: LEASE_TTL.default,
      },
    });
    expect(e.message).toContain(
      `expected ${beat.last_heartbeat}, actual was ${second.last_heartbeat}`,
    );
  });

  it('NO_HEARTBEAT on an item that already has a beat is 412 (another worker holds the lease)', () => {
    const { q } = setup();
    const { w } = active(q);
    expect(error(() => q.heartbeat(w.id, { expected: 'NO_HEARTBEAT' })).status).toBe(412);
  });

  it('a first beat that is not NO_HEARTBEAT is 412, actual NULL', () => {
    const { q } = setup();
    const w = q.enqueue();
    q.ack(w.id);
    const e = error(() => q.heartbeat(w.id, { expected: '2026-01-01T00:00:00.000000Z' }));
    expect(e.status).toBe(412);
    expect(e.message).toContain('actual was NULL');
    expect(w.state).toBe('starting');
  });

  it('a queued item cannot be heartbeated: 412 with state queued', () => {
    const { q } = setup();
    const w = q.enqueue();
    const e = error(() => q.heartbeat(w.id, { expected: 'NO_HEARTBEAT' }));
    expect(e.status).toBe(412);
    expect(e.details?.current_state).toMatchObject({ state: 'queued', last_heartbeat: null });
  });

  it('without expected_last_heartbeat the beat is unconditional', () => {
    const { q } = setup();
    const { w } = active(q);
    expect(q.heartbeat(w.id).lease_extended).toBe(true);
  });

  it('clamps desired_ttl_seconds into the documented range', () => {
    const { q } = setup();
    const { w } = active(q);
    expect(q.heartbeat(w.id, { desiredTtlSeconds: 1 }).ttl_seconds).toBe(LEASE_TTL.min);
    expect(q.heartbeat(w.id, { desiredTtlSeconds: 86_400 }).ttl_seconds).toBe(LEASE_TTL.max);
    expect(q.heartbeat(w.id, { desiredTtlSeconds: 120 }).ttl_seconds).toBe(120);
  });
});

describe('leases', () => {
  it('an active item whose lease lapses goes back to the queue, its lease cleared', () => {
    const { q, clock } = setup();
    const { w, beat } = active(q);
    clock.advance(LEASE_TTL.default * 1000 - 1);
    expect(q.get(w.id).state).toBe('active');
    clock.advance(1);
    expect(q.get(w.id)).toMatchObject({
      state: 'queued',
      acknowledged_at: null,
      started_at: null,
      latest_heartbeat_at: null,
    });
    expect(q.stats()).toMatchObject({
      depth: 1,
      pending: 0,
      oldest_queued_at: new Date(clock.now()).toISOString(),
    });
    // The old worker learns on its next beat; another worker can claim it.
    const e = error(() => q.heartbeat(w.id, { expected: beat.last_heartbeat }));
    expect(e.status).toBe(412);
    expect(e.details?.current_state).toMatchObject({ state: 'queued', last_heartbeat: null });
    expect(q.poll()?.id).toBe(w.id);
    // The next worker starts afresh.
    q.ack(w.id);
    expect(q.heartbeat(w.id, { expected: 'NO_HEARTBEAT' }).state).toBe('active');
  });

  it('each beat extends the lease by its ttl from now', () => {
    const { q, clock } = setup();
    const { w, beat } = active(q);
    clock.advance(50_000);
    q.heartbeat(w.id, { expected: beat.last_heartbeat, desiredTtlSeconds: 30 });
    clock.advance(29_999);
    expect(q.get(w.id).state).toBe('active');
    clock.advance(1);
    expect(q.get(w.id).state).toBe('queued');
  });

  it('an acked item that never beats goes back to the queue after the default ttl', () => {
    const { q, clock } = setup();
    const w = q.enqueue();
    q.poll();
    q.ack(w.id);
    clock.advance(LEASE_TTL.default * 1000);
    expect(q.get(w.id).state).toBe('queued');
    expect(q.poll()?.id).toBe(w.id);
  });

  it('a stopping item whose lease lapses is stopped', () => {
    const { q, clock } = setup();
    const { w } = active(q);
    q.stop(w.id);
    clock.advance(LEASE_TTL.default * 1000);
    expect(q.get(w.id)).toMatchObject({
      state: 'stopped',
      stopped_at: new Date(clock.now()).toISOString(),
    });
  });

  it('a stopped item has no lease to lapse', () => {
    const { q, clock } = setup();
    const { w } = active(q);
    q.stop(w.id, true);
    clock.advance(LEASE_TTL.max * 1000 * 2);
    expect(q.get(w.id).state).toBe('stopped');
    expect(q.stats()).toMatchObject({ depth: 0, pending: 0 });
  });
});

describe('stop', () => {
  it('graceful on an active item: stopping, which the worker sees on its next beat', () => {
    const { q } = setup();
    const { w, beat } = active(q);
    q.stop(w.id);
    expect(w.state).toBe('stopping');
    expect(w.stop_requested_at).not.toBeNull();
    expect(w.stopped_at).toBeNull();
    const next = q.heartbeat(w.id, { expected: beat.last_heartbeat });
    expect(next).toMatchObject({ state: 'stopping', lease_extended: true });
  });

  it('does not compare expected_last_heartbeat once stopping', () => {
    const { q } = setup();
    const { w } = active(q);
    q.stop(w.id);
    expect(q.heartbeat(w.id, { expected: 'NO_HEARTBEAT' }).state).toBe('stopping');
  });

  it('graceful again while stopping changes nothing; force then stops', () => {
    const { q } = setup();
    const { w } = active(q);
    const requested = q.stop(w.id).stop_requested_at;
    expect(q.stop(w.id)).toMatchObject({ state: 'stopping', stop_requested_at: requested });
    expect(q.stop(w.id, true)).toMatchObject({ state: 'stopped', stop_requested_at: requested });
    expect(w.stopped_at).not.toBeNull();
  });

  it('force stops an active item at once', () => {
    const { q } = setup();
    const { w } = active(q);
    q.stop(w.id, true);
    expect(w.state).toBe('stopped');
    expect(w.stop_requested_at).toBe(w.stopped_at);
  });

  it('a queued item (no worker to ask) stops at once and leaves the queue', () => {
    const { q } = setup();
    const w = q.enqueue();
    q.stop(w.id);
    expect(w.state).toBe('stopped');
    expect(q.stats()).toMatchObject({ depth: 0, pending: 0, oldest_queued_at: null });
    expect(q.poll()).toBeNull();
  });

  it('a polled, unacked item stops at once and is never re-delivered', () => {
    const { q, clock } = setup();
    const w = q.enqueue();
    q.poll();
    q.stop(w.id);
    clock.advance(DEFAULT_RECLAIM_MS);
    expect(q.poll()).toBeNull();
    expect(q.stats()).toMatchObject({ depth: 0, pending: 0 });
  });

  it('a starting item (not heartbeating yet) stops at once', () => {
    const { q } = setup();
    const w = q.enqueue();
    q.ack(w.id);
    expect(q.stop(w.id).state).toBe('stopped');
  });

  it('stopping a stopped item is 409', () => {
    const { q } = setup();
    const w = q.enqueue();
    q.stop(w.id);
    const e = error(() => q.stop(w.id));
    expect(e.status).toBe(409);
    expect(e.message).toContain('already stopped');
  });

  it('a heartbeat on a stopped item does not extend anything', () => {
    const { q } = setup();
    const { w } = active(q);
    q.stop(w.id, true);
    expect(q.heartbeat(w.id, { expected: 'whatever' })).toEqual({
      type: 'work_heartbeat',
      last_heartbeat: w.latest_heartbeat_at,
      lease_extended: false,
      state: 'stopped',
      ttl_seconds: 0,
    });
  });
});

describe('metadata', () => {
  it('merges: given keys set, null deletes, others kept', () => {
    const { q } = setup();
    const w = q.enqueue({ metadata: { a: '1', b: '2' } });
    q.updateMetadata(w.id, { b: null, c: '3' });
    expect(w.metadata).toEqual({ a: '1', c: '3' });
  });

  it('an empty string is a value for work items (only null deletes)', () => {
    const { q } = setup();
    const w = q.enqueue({ metadata: { a: '1' } });
    q.updateMetadata(w.id, { a: '' });
    expect(w.metadata).toEqual({ a: '' });
  });

  it('refuses a merge that would leave more than 16 keys, changing nothing', () => {
    const { q } = setup();
    const many = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v']));
    const w = q.enqueue({ metadata: many });
    const e = error(() => q.updateMetadata(w.id, { extra: 'v' }));
    expect(e.status).toBe(400);
    expect(e.details).toEqual({ error_code: 'invalid_metadata' });
    expect(Object.keys(w.metadata)).toHaveLength(16);
  });
});

describe('workers_polling', () => {
  it('counts distinct worker ids seen in the last 30 s', () => {
    const { q, clock } = setup();
    q.poll({ workerId: 'a' });
    q.poll({ workerId: 'b' });
    q.poll({ workerId: 'a' });
    expect(q.stats().workers_polling).toBe(2);
    clock.advance(WORKERS_WINDOW_MS - 1000);
    q.poll({ workerId: 'b' });
    clock.advance(1000);
    expect(q.stats().workers_polling).toBe(1);
    clock.advance(WORKERS_WINDOW_MS);
    expect(q.stats().workers_polling).toBe(0);
  });

  it('is null when only pollers without an id were seen (unknown)', () => {
    const { q, clock } = setup();
    q.poll();
    expect(q.stats().workers_polling).toBeNull();
    q.poll({ workerId: 'a' });
    expect(q.stats().workers_polling).toBe(1);
    clock.advance(WORKERS_WINDOW_MS);
    expect(q.stats().workers_polling).toBe(0);
  });
});

describe('list', () => {
  it('pages newest first with a cursor that new items do not shift', () => {
    const { q } = setup();
    const ids = Array.from({ length: 5 }, () => q.enqueue().id);
    const first = q.list({ limit: 2 });
    expect(first.data.map((w) => w.id)).toEqual([ids[4], ids[3]]);
    q.enqueue();
    const second = q.list({ limit: 2, page: first.next_page! });
    expect(second.data.map((w) => w.id)).toEqual([ids[2], ids[1]]);
    const third = q.list({ limit: 2, page: second.next_page! });
    expect(third.data.map((w) => w.id)).toEqual([ids[0]]);
    expect(third.next_page).toBeNull();
  });

  it('an exact last page has no next_page', () => {
    const { q } = setup();
    q.enqueue();
    q.enqueue();
    expect(q.list({ limit: 2 }).next_page).toBeNull();
  });

  it('refuses a cursor of another list', () => {
    const { q } = setup();
    q.enqueue();
    q.enqueue();
    const other = new WorkQueue('env_other', { clock: manualClock(T0), stamp: () => 'x' });
    other.enqueue();
    other.enqueue();
    const cursor = other.list({ limit: 1 }).next_page!;
    expect(error(() => q.list({ page: cursor })).message).toMatch(/^page: /);
    expect(error(() => q.list({ page: 'garbage' })).status).toBe(400);
  });
});

describe('invariants under random operations', () => {
  it("depth + pending is the number of queued items, and every transition is one of the machine's", () => {
    const op = fc.oneof(
      fc.constant({ kind: 'enqueue' as const }),
      fc.record({
        kind: fc.constant('poll' as const),
        reclaim: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
      }),
      fc.record({
        kind: fc.constantFrom('ack' as const, 'beat' as const, 'stop' as const, 'force' as const),
        pick: fc.nat(),
      }),
      fc.record({
        kind: fc.constant('advance' as const),
        ms: fc.integer({ min: 0, max: 100_000 }),
      }),
    );
    const allowed: Record<string, string[]> = {
      queued: ['queued', 'starting', 'stopped'],
      starting: ['starting', 'active', 'queued', 'stopped'],
      active: ['active', 'stopping', 'queued', 'stopped'],
      stopping: ['stopping', 'stopped'],
      stopped: ['stopped'],
    };
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const { q, clock } = setup();
        const items: ReturnType<WorkQueue['enqueue']>[] = [];
        const lastBeat = new Map<string, string>();
        for (const o of ops) {
          const before = new Map(items.map((w) => [w.id, w.state]));
          const w = 'pick' in o && items.length ? items[o.pick % items.length]! : undefined;
          try {
            if (o.kind === 'enqueue') items.push(q.enqueue());
            else if (o.kind === 'poll') q.poll({ reclaimMs: o.reclaim });
            else if (o.kind === 'advance') clock.advance(o.ms);
            else if (w && o.kind === 'ack') q.ack(w.id);
            else if (w && o.kind === 'beat')
              lastBeat.set(
                w.id,
                q.heartbeat(w.id, { expected: lastBeat.get(w.id) ?? 'NO_HEARTBEAT' })
                  .last_heartbeat,
              );
            else if (w && o.kind === 'stop') q.stop(w.id);
            else if (w && o.kind === 'force') q.stop(w.id, true);
          } catch (err) {
            if (!(err instanceof EmulatorError) || ![409, 412].includes(err.status)) throw err;
          }
          const stats = q.stats();
          const queued = items.filter((x) => x.state === 'queued').length;
          expect(stats.depth + stats.pending).toBe(queued);
          expect(stats.depth).toBeGreaterThanOrEqual(0);
          expect(stats.pending).toBeGreaterThanOrEqual(0);
          expect(stats.oldest_queued_at === null).toBe(queued === 0);
          for (const x of items) {
            const from = before.get(x.id);
            if (from) expect(allowed[from]).toContain(x.state);
            if (x.state === 'queued') lastBeat.delete(x.id);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
