// The work queue of one self-hosted environment: the state machine of a work
// item and the queue that hands items to workers.
//
//   queued ──ack──▶ starting ──first heartbeat──▶ active ──stop──▶ stopping ──stop(force) / lease lapse──▶ stopped
//      ▲                │                            │
//      └── lease lapse ─┴────────────────────────────┘    (stop(force) from any live state: stopped)
//
// Every operation costs O(1) (O(log n) for a lease) however many items wait:
// three FIFO deques with lazy deletion and a heap of lease deadlines, no
// scans. The queue follows the Redis-stream model the API describes: `depth`
// counts items never handed out, `pending` those handed out by poll but not
// acked; a pending item older than `reclaim_older_than_ms` is handed to the
// next poller directly.
import { NO_HEARTBEAT } from '../shapes/work.js';
import { rfc3339, type Clock } from './clock.js';
import { Deque } from './deque.js';
import { conflict, EmulatorError } from './errors.js';
import { MinHeap } from './heap.js';
import { newId, newSessionsToken } from './ids.js';
import { mergeMetadata } from './metadata.js';
import { pageOf, type Page } from './pages.js';

export type WorkState = 'queued' | 'starting' | 'active' | 'stopping' | 'stopped';

/** Lease lengths (seconds): `desired_ttl_seconds` is clamped into [min, max]. */
export const LEASE_TTL = { default: 60, min: 10, max: 600 } as const;
/** The API's default for `reclaim_older_than_ms`. */
export const DEFAULT_RECLAIM_MS = 5000;
/** `workers_polling` counts the worker ids seen in this window. */
export const WORKERS_WINDOW_MS = 30_000;

export interface WorkRecord {
  id: string;
  environment_id: string;
  state: WorkState;
  data: { type: string; id: string };
  metadata: Record<string, string>;
  created_at: string;
  acknowledged_at: string | null;
  started_at: string | null;
  latest_heartbeat_at: string | null;
  stop_requested_at: string | null;
  stopped_at: string | null;
  /** Creation order, for pagination. */
  seq: number;
  /** The sessions token handed out inside `secret`, once polled. */
  token?: string;
  // Generations make stale deque and heap entries recognizable (lazy deletion).
  queueGen: number;
  deliveryGen: number;
  leaseGen: number;
  /** Handed out by a poll since it was last queued. */
  delivered: boolean;
  deliveredAt: number;
  ttlSeconds: number;
}

interface QueueEntry {
  w: WorkRecord;
  gen: number;
  at: number;
}

export interface HeartbeatResult {
  type: 'work_heartbeat';
  last_heartbeat: string;
  lease_extended: boolean;
  state: WorkState;
  ttl_seconds: number;
}

export interface QueueStats {
  type: 'work_queue_stats';
  depth: number;
  pending: number;
  oldest_queued_at: string | null;
  workers_polling: number | null;
}

export interface QueueContext {
  clock: Clock;
  /** Unique RFC 3339 timestamps (see stamper). */
  stamp: () => string;
  /** Called when a poll hands out an item's sessions token (for strict auth). */
  onToken?: (token: string, w: WorkRecord) => void;
}

interface Waiter {
  deliver: (w: WorkRecord | null) => void;
  gone: () => boolean;
}

export class WorkQueue {
  private readonly items = new Map<string, WorkRecord>();
  private readonly ordered: WorkRecord[] = [];
  /** Every queued item, in the order it entered the queue: oldest_queued_at. */
  private readonly stream = new Deque<QueueEntry>();
  /** Queued items never handed out, oldest first: what poll hands out next. */
  private readonly ready = new Deque<QueueEntry>();
  /** Handed out but not acked, in order of hand-out: what reclaim takes back. */
  private readonly pendingOrder = new Deque<QueueEntry>();
  private readonly leases = new MinHeap<QueueEntry>();
  private readonly waiters = new Deque<Waiter>();
  /** Worker id -> last poll, least recent first (re-inserted on each poll). */
  private readonly workers = new Map<string, number>();
  private lastAnonymousPoll = -Infinity;
  private depth = 0;
  private pending = 0;
  private seq = 0;

  constructor(
    readonly environmentId: string,
    private readonly ctx: QueueContext,
  ) {}

  enqueue(input: { session_id?: string; metadata?: Record<string, string> } = {}): WorkRecord {
    const w: WorkRecord = {
      id: newId('work'),
      environment_id: this.environmentId,
      state: 'queued',
      data: { type: 'session', id: input.session_id ?? newId('session') },
      metadata: { ...input.metadata },
      created_at: this.ctx.stamp(),
      acknowledged_at: null,
      started_at: null,
      latest_heartbeat_at: null,
      stop_requested_at: null,
      stopped_at: null,
      seq: ++this.seq,
      queueGen: 0,
      deliveryGen: 0,
      leaseGen: 0,
      delivered: false,
      deliveredAt: 0,
      ttlSeconds: LEASE_TTL.default,
    };
    this.items.set(w.id, w);
    this.ordered.push(w);
    this.putInQueue(w);
    return w;
  }

  get(workId: string): WorkRecord {
    this.sweep();
    const w = this.items.get(workId);
    if (!w)
      throw new EmulatorError(
        404,
        `work item ${workId} not found in environment ${this.environmentId}`,
      );
    return w;
  }

  list(opts: { limit?: number; page?: string }): Page<WorkRecord> {
    this.sweep();
    return pageOf(this.ordered, `work:${this.environmentId}`, opts);
  }

  /**
   * Claims the next item: first a pending item older than `reclaimMs`
   * (handed out before but never acked), else the oldest never handed out.
   * Null when there is none.
   */
  poll(opts: { reclaimMs?: number; workerId?: string } = {}): WorkRecord | null {
    this.sweep();
    const now = this.ctx.clock.now();
    this.seeWorker(opts.workerId, now);
    const reclaimMs = opts.reclaimMs ?? DEFAULT_RECLAIM_MS;
    const stale = this.pendingOrder.firstLive((e) => !this.isPendingEntry(e));
    if (stale && now - stale.w.deliveredAt >= reclaimMs) {
      this.pendingOrder.shift();
      return this.deliver(stale.w, now);
    }
    const next = this.ready.firstLive((e) => !this.isReadyEntry(e));
    if (!next) return null;
    this.ready.shift();
    return this.deliver(next.w, now);
  }

  /**
   * A long poll: waits up to `blockMs` (real time) for an item when the queue
   * is empty. Woken by the enqueue (or re-queue) that brings work, not by a
   * timer loop. `signal` ends the wait early (client gone, emulator closing).
   */
  async pollWait(opts: {
    reclaimMs?: number;
    workerId?: string;
    blockMs?: number;
    signal?: AbortSignal;
  }): Promise<WorkRecord | null> {
    const now = this.poll(opts);
    if (now || !opts.blockMs || opts.signal?.aborted) return now;
    return new Promise((resolve) => {
      let done = false;
      const finish = (w: WorkRecord | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(w);
      };
      const onAbort = () => finish(null);
      const timer = setTimeout(() => finish(null), opts.blockMs);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push({ deliver: (w) => finish(w), gone: () => done });
    });
  }

  ack(workId: string): WorkRecord {
    const w = this.get(workId);
    if (w.state === 'starting') return w; // a repeated ack (e.g. a retry after a lost answer) changes nothing
    if (w.state !== 'queued')
      throw conflict(`work item ${w.id} is ${w.state}; only a queued item can be acknowledged`);
    this.leaveQueue(w);
    w.state = 'starting';
    w.acknowledged_at = this.ctx.stamp();
    // Until its first heartbeat the item holds a lease of the default length:
    // a worker that acks and dies does not strand it.
    this.startLease(w, LEASE_TTL.default);
    return w;
  }

  heartbeat(
    workId: string,
    opts: { expected?: string; desiredTtlSeconds?: number } = {},
  ): HeartbeatResult {
    const w = this.get(workId);
    const ttl = clampTtl(opts.desiredTtlSeconds);
    if (w.state === 'queued') {
      throw this.preconditionFailed(
        w,
        opts.expected,
        `work item ${w.id} is queued (not acknowledged, or its lease lapsed)`,
      );
    }
    if (w.state === 'stopped') {
      return {
        type: 'work_heartbeat',
        last_heartbeat: w.latest_heartbeat_at ?? '',
        lease_extended: false,
        state: 'stopped',
        ttl_seconds: 0,
      };
    }
    // Once stopping, the value is not compared: the worker only needs time to wind down.
    if (w.state !== 'stopping' && opts.expected !== undefined) {
      const actual = w.latest_heartbeat_at ?? NO_HEARTBEAT;
      if (opts.expected !== actual) throw this.preconditionFailed(w, opts.expected);
    }
    const beat = this.ctx.stamp();
    w.latest_heartbeat_at = beat;
    if (w.state === 'starting') {
      w.state = 'active';
      w.started_at = beat;
    }
    this.startLease(w, ttl);
    return {
      type: 'work_heartbeat',
      last_heartbeat: beat,
      lease_extended: true,
      state: w.state,
      ttl_seconds: ttl,
    };
  }

  /**
   * Graceful stop asks the worker of an active item to wind down (it sees
   * `stopping` on its next heartbeat); an item no worker is heartbeating yet
   * (queued or starting) has no one to ask, so it stops at once, as does any
   * item with force.
   */
  stop(workId: string, force = false): WorkRecord {
    const w = this.get(workId);
    if (w.state === 'stopped') throw conflict(`work item ${w.id} is already stopped`);
    if (w.state === 'stopping' && !force) return w;
    if (w.state === 'active' && !force) {
      w.state = 'stopping';
      w.stop_requested_at = this.ctx.stamp();
      return w;
    }
    if (w.state === 'queued') this.leaveQueue(w);
    const at = this.ctx.stamp();
    w.stop_requested_at ??= at;
    this.finish(w, at);
    return w;
  }

  updateMetadata(workId: string, patch: Record<string, string | null>): WorkRecord {
    const w = this.get(workId);
    w.metadata = mergeMetadata(w.metadata, patch, (v) => v === null);
    return w;
  }

  stats(): QueueStats {
    this.sweep();
    const now = this.ctx.clock.now();
    const oldest = this.stream.firstLive((e) => !this.isQueuedEntry(e));
    return {
      type: 'work_queue_stats',
      depth: this.depth,
      pending: this.pending,
      oldest_queued_at: oldest ? rfc3339(oldest.at) : null,
      workers_polling: this.workersPolling(now),
    };
  }

  /** Ends every waiting long poll with no work (environment deleted, emulator closing). */
  closeWaiters(): void {
    for (let w = this.waiters.shift(); w; w = this.waiters.shift()) if (!w.gone()) w.deliver(null);
  }

  // ---- internals -------------------------------------------------------

  private isQueuedEntry(e: QueueEntry): boolean {
    return e.w.state === 'queued' && e.w.queueGen === e.gen;
  }

  private isReadyEntry(e: QueueEntry): boolean {
    return this.isQueuedEntry(e) && !e.w.delivered;
  }

  private isPendingEntry(e: QueueEntry): boolean {
    return e.w.state === 'queued' && e.w.delivered && e.w.deliveryGen === e.gen;
  }

  /** Puts an item (new, or back after a lapsed lease) at the back of the queue. */
  private putInQueue(w: WorkRecord): void {
    const at = this.ctx.clock.now();
    w.state = 'queued';
    w.queueGen++;
    w.delivered = false;
    this.depth++;
    // A waiting long poll takes it at once.
    for (let waiter = this.waiters.shift(); waiter; waiter = this.waiters.shift()) {
      if (waiter.gone()) continue;
      this.stream.push({ w, gen: w.queueGen, at });
      waiter.deliver(this.deliver(w, at));
      return;
    }
    const entry = { w, gen: w.queueGen, at };
    this.stream.push(entry);
    this.ready.push(entry);
  }

  private deliver(w: WorkRecord, now: number): WorkRecord {
    if (!w.delivered) {
      w.delivered = true;
      this.depth--;
      this.pending++;
    }
    w.deliveryGen++;
    w.deliveredAt = now;
    this.pendingOrder.push({ w, gen: w.deliveryGen, at: now });
    if (!w.token) {
      w.token = newSessionsToken();
      this.ctx.onToken?.(w.token, w);
    }
    return w;
  }

  /** Takes a queued item out of the queue's counts (ack, stop). */
  private leaveQueue(w: WorkRecord): void {
    if (w.delivered) this.pending--;
    else this.depth--;
    w.queueGen++; // its deque entries are now stale
    w.delivered = false;
  }

  private startLease(w: WorkRecord, ttlSeconds: number): void {
    w.leaseGen++;
    w.ttlSeconds = ttlSeconds;
    this.leases.push(this.ctx.clock.now() + ttlSeconds * 1000, { w, gen: w.leaseGen, at: 0 });
  }

  private finish(w: WorkRecord, at: string): void {
    w.state = 'stopped';
    w.stopped_at = at;
    w.leaseGen++;
  }

  /**
   * Applies the leases that lapsed by now. An item whose worker stopped
   * heartbeating goes back to the queue for another worker (its lease
   * cleared); an item that was already stopping is taken as stopped.
   */
  private sweep(): void {
    const now = this.ctx.clock.now();
    for (
      let key = this.leases.peekKey();
      key !== undefined && key <= now;
      key = this.leases.peekKey()
    ) {
      const { w, gen } = this.leases.pop()!;
      if (w.leaseGen !== gen) continue;
      w.leaseGen++;
      if (w.state === 'stopping') {
        this.finish(w, rfc3339(key));
      } else if (w.state === 'starting' || w.state === 'active') {
        w.acknowledged_at = null;
        w.started_at = null;
        w.latest_heartbeat_at = null;
        this.putInQueue(w);
      }
    }
  }

  private preconditionFailed(
    w: WorkRecord,
    expected: string | undefined,
    why?: string,
  ): EmulatorError {
    const actual = w.latest_heartbeat_at;
    return new EmulatorError(
      412,
      `Heartbeat precondition failed: expected ${expected ?? '(none)'}, actual was ${actual ?? 'NULL'}${why ? ` (${why})` : ''}`,
      {
        error_code: 'heartbeat_precondition_failed',
        current_state: {
          last_heartbeat: actual,
          lease_extended: false,
          state: w.state,
          ttl_seconds: w.ttlSeconds,
        },
      },
    );
  }

  private seeWorker(workerId: string | undefined, now: number): void {
    if (workerId === undefined) {
      this.lastAnonymousPoll = now;
      return;
    }
    this.workers.delete(workerId);
    this.workers.set(workerId, now);
  }

  /** Distinct worker ids in the window; null when only anonymous pollers were seen (unknown). */
  private workersPolling(now: number): number | null {
    const since = now - WORKERS_WINDOW_MS;
    for (const [id, seen] of this.workers) {
      if (seen > since) break;
      this.workers.delete(id);
    }
    if (this.workers.size === 0 && this.lastAnonymousPoll > since) return null;
    return this.workers.size;
  }
}

export function clampTtl(desired: number | undefined): number {
  if (desired === undefined) return LEASE_TTL.default;
  return Math.min(LEASE_TTL.max, Math.max(LEASE_TTL.min, desired));
}

/** The API's JSON of a work item; `secret` only on the poll that hands it out. */
export function workJson(w: WorkRecord, secret: string | null = null): Record<string, unknown> {
  return {
    id: w.id,
    type: 'work',
    environment_id: w.environment_id,
    state: w.state,
    data: { ...w.data },
    metadata: { ...w.metadata },
    created_at: w.created_at,
    acknowledged_at: w.acknowledged_at,
    started_at: w.started_at,
    latest_heartbeat_at: w.latest_heartbeat_at,
    stop_requested_at: w.stop_requested_at,
    stopped_at: w.stopped_at,
    secret,
  };
}
