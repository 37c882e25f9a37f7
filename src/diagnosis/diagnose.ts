// Findings about a work queue from its stats and its items. Pure: what the
// API said and the time now in, findings out, each with the call that would
// act on it. The call is whatever `suggest` makes of it (the tool layer's
// suggested call), so this module depends on nothing but the shapes.
import type { WorkItem, WorkQueueStats } from '../shapes/work.js';

export type FindingCode =
  | 'no_worker_polling'
  | 'queue_backlog'
  | 'acked_never_heartbeated'
  | 'heartbeat_expired'
  | 'stuck_stopping';

export interface ItemSummary {
  work_id: string;
  state: string;
  session_id: string | null;
  /** Seconds since the moment the finding is about (queued, acked, last heartbeat, stop requested). */
  age_seconds: number;
}

export interface Finding<S = unknown> {
  code: FindingCode;
  severity: 'problem' | 'warning' | 'info';
  summary: string;
  count: number;
  /** The longest-waiting items first, at most ITEMS_SHOWN of them. */
  items?: ItemSummary[];
  action: string;
  next_call: S | null;
}

export interface DiagnosisInput<S = unknown> {
  environmentId: string;
  stats?: WorkQueueStats;
  items?: readonly WorkItem[];
  now: number;
  leaseSeconds: number;
  suggest: (tool: string, args: Record<string, unknown>) => S;
}

export const ITEMS_SHOWN = 10;

function ageSeconds(timestamp: string | null | undefined, now: number): number | undefined {
  if (!timestamp) return undefined;
  const t = Date.parse(timestamp);
  return Number.isFinite(t) ? Math.max(0, Math.round((now - t) / 1000)) : undefined;
}

/** Items whose clock (a timestamp of theirs) ran past the lease, longest first. */
function overdue(
  items: readonly WorkItem[],
  clock: (w: WorkItem) => string | null | undefined,
  input: DiagnosisInput<unknown>,
): ItemSummary[] {
  const found: ItemSummary[] = [];
  for (const w of items) {
    const age = ageSeconds(clock(w), input.now);
    if (age !== undefined && age > input.leaseSeconds) {
      found.push({
        work_id: w.id,
        state: w.state,
        session_id: w.data?.id ?? null,
        age_seconds: age,
      });
    }
  }
  return found.sort((a, b) => b.age_seconds - a.age_seconds);
}

function human(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

export function diagnose<S>(input: DiagnosisInput<S>): Finding<S>[] {
  const { stats, items = [], environmentId: environment_id, suggest } = input;
  const findings: Finding<S>[] = [];
  const forceStop = (list: ItemSummary[]) =>
    suggest('stop_work_item', { environment_id, work_id: list[0]!.work_id, force: true });
  const listed = (
    code: FindingCode,
    severity: Finding['severity'],
    list: ItemSummary[],
    summary: string,
    action: string,
    next: S | null,
  ) => {
    if (list.length)
      findings.push({
        code,
        severity,
        summary,
        count: list.length,
        items: list.slice(0, ITEMS_SHOWN),
        action,
        next_call: next,
      });
  };

  const queued = items.filter((w) => w.state === 'queued');
  const depth = stats?.depth ?? queued.length;
  const oldestAt = stats?.oldest_queued_at ?? queued.map((w) => w.created_at).sort()[0] ?? null;
  const oldestAge = ageSeconds(oldestAt, input.now);

  if (stats && stats.workers_polling === 0) {
    findings.push({
      code: 'no_worker_polling',
      severity: depth > 0 ? 'problem' : 'warning',
      summary: `No worker has polled this queue in the last 30 s${depth > 0 ? `, and ${depth} item${depth > 1 ? 's wait' : ' waits'}` : ''}.`,
      count: 0,
      action:
        "Start a self-hosted worker with this environment's ANTHROPIC_ENVIRONMENT_KEY, then check the stats again.",
      next_call: suggest('get_work_queue_stats', { environment_id }),
    });
  }

  if (depth > 0) {
    const oldest = queued.slice().sort((a, b) => a.created_at.localeCompare(b.created_at))[0];
    const stale = oldestAge !== undefined && oldestAge > input.leaseSeconds;
    findings.push({
      code: 'queue_backlog',
      severity: stale ? 'warning' : 'info',
      summary: `${depth} item${depth > 1 ? 's' : ''} queued${oldestAge !== undefined ? `; the oldest has waited ${human(oldestAge)} (since ${oldestAt})` : ''}.`,
      count: depth,
      ...(oldest
        ? {
            items: [
              {
                work_id: oldest.id,
                state: oldest.state,
                session_id: oldest.data?.id ?? null,
                age_seconds: oldestAge ?? 0,
              },
            ],
          }
        : {}),
      action: oldest
        ? 'Workers should claim these; if the oldest is no longer wanted, stop it.'
        : 'Workers should claim these; list them to see which sessions wait.',
      next_call: oldest
        ? suggest('stop_work_item', { environment_id, work_id: oldest.id, force: true })
        : suggest('list_work_items', { environment_id }),
    });
  }

  const acked = overdue(
    items.filter((w) => w.state === 'starting' && !w.latest_heartbeat_at),
    (w) => w.acknowledged_at,
    input,
  );
  listed(
    'acked_never_heartbeated',
    'problem',
    acked,
    `${acked.length} item${acked.length > 1 ? 's were' : ' was'} acknowledged more than ${input.leaseSeconds} s ago and never heartbeated: the worker that took ${acked.length > 1 ? 'them' : 'it'} is probably gone.`,
    "Stop the item (force) so that its session is not left waiting; check the worker's logs.",
    acked.length ? forceStop(acked) : null,
  );

  const expired = overdue(
    items.filter((w) => w.state === 'active'),
    (w) => w.latest_heartbeat_at,
    input,
  );
  listed(
    'heartbeat_expired',
    'problem',
    expired,
    `${expired.length} active item${expired.length > 1 ? 's have' : ' has'} not heartbeated for longer than the ${input.leaseSeconds}-s lease: the worker lost ${expired.length > 1 ? 'them' : 'it'}.`,
    'Stop the item (force); a live worker would have renewed its lease.',
    expired.length ? forceStop(expired) : null,
  );

  const stopping = overdue(
    items.filter((w) => w.state === 'stopping'),
    (w) => w.stop_requested_at,
    input,
  );
  listed(
    'stuck_stopping',
    'warning',
    stopping,
    `${stopping.length} item${stopping.length > 1 ? 's have' : ' has'} been stopping for longer than the ${input.leaseSeconds}-s lease: no worker acted on the stop request.`,
    'Stop it with force:true to end it at once.',
    stopping.length ? forceStop(stopping) : null,
  );

  const rank = { problem: 0, warning: 1, info: 2 } as const;
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
