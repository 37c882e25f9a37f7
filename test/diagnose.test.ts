// The diagnosis alone: each finding from the states that produce it, and
// none from a healthy queue.
import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnosisInput } from '../src/diagnosis/diagnose.js';
import type { WorkItem, WorkQueueStats } from '../src/shapes/work.js';
import type { SuggestedCall } from '../src/tools/define.js';
import { workItem } from './support/routes.js';

const ENV = 'env_diag01';
const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const item = (id: string, extra: Record<string, unknown>) =>
  workItem(id, ENV, extra) as unknown as WorkItem;
const stats = (extra: Partial<WorkQueueStats> = {}): WorkQueueStats => ({
  type: 'work_queue_stats',
  depth: 0,
  pending: 0,
  oldest_queued_at: null,
  workers_polling: 2,
  ...extra,
});
const run = (over: Partial<DiagnosisInput<SuggestedCall>>) =>
  diagnose({
    environmentId: ENV,
    now: NOW,
    leaseSeconds: 90,
    suggest: (tool, args) => ({ tool, arguments: args }),
    ...over,
  });

describe('diagnose', () => {
  it('a healthy queue has no findings', () => {
    const items = [
      item('w_active', {
        state: 'active',
        acknowledged_at: ago(600),
        latest_heartbeat_at: ago(10),
      }),
      item('w_starting', { state: 'starting', acknowledged_at: ago(5) }),
      item('w_stopping', { state: 'stopping', stop_requested_at: ago(20) }),
      item('w_stopped', { state: 'stopped', stop_requested_at: ago(9000), stopped_at: ago(8000) }),
    ];
    expect(run({ stats: stats(), items })).toEqual([]);
  });

  it('no worker polling while work waits is a problem; the backlog names the oldest wait', () => {
    const items = [
      item('w_old', { created_at: ago(3600) }),
      item('w_new', { created_at: ago(60) }),
    ];
    const f = run({
      stats: stats({ depth: 2, workers_polling: 0, oldest_queued_at: ago(3600) }),
      items,
    });
    expect(f.map((x) => [x.code, x.severity])).toEqual([
      ['no_worker_polling', 'problem'],
      ['queue_backlog', 'warning'],
    ]);
    expect(f[0]!.next_call).toEqual({
      tool: 'get_work_queue_stats',
      arguments: { environment_id: ENV },
    });
    expect(f[1]!.summary).toBe(
      `2 items queued; the oldest has waited 60 min (since ${ago(3600)}).`,
    );
    expect(f[1]!.next_call).toEqual({
      tool: 'stop_work_item',
      arguments: { environment_id: ENV, work_id: 'w_old', force: true },
    });
  });

  it('workers_polling null (unknown) is not reported as no worker', () => {
    expect(run({ stats: stats({ workers_polling: null }), items: [] })).toEqual([]);
  });

  it('acked but never heartbeated, past the lease', () => {
    const f = run({
      stats: stats(),
      items: [item('w_lost', { state: 'starting', acknowledged_at: ago(200) })],
    });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      code: 'acked_never_heartbeated',
      severity: 'problem',
      count: 1,
      items: [
        { work_id: 'w_lost', state: 'starting', session_id: 'session_w_lost', age_seconds: 200 },
      ],
      next_call: {
        tool: 'stop_work_item',
        arguments: { environment_id: ENV, work_id: 'w_lost', force: true },
      },
    });
  });

  it('active items whose last heartbeat is older than the lease, longest first', () => {
    const f = run({
      leaseSeconds: 30,
      items: [
        item('w_a', { state: 'active', latest_heartbeat_at: ago(40) }),
        item('w_b', { state: 'active', latest_heartbeat_at: ago(400) }),
        item('w_ok', { state: 'active', latest_heartbeat_at: ago(10) }),
      ],
    });
    expect(f.map((x) => x.code)).toEqual(['heartbeat_expired']);
    expect(f[0]!.items!.map((i) => i.work_id)).toEqual(['w_b', 'w_a']);
    expect(f[0]!.summary).toMatch(
      /2 active items have not heartbeated for longer than the 30-s lease/,
    );
    expect(f[0]!.next_call!.arguments.work_id).toBe('w_b');
  });

  it('items stuck in stopping', () => {
    const f = run({
      items: [item('w_stuck', { state: 'stopping', stop_requested_at: ago(1000) })],
    });
    expect(f.map((x) => [x.code, x.severity])).toEqual([['stuck_stopping', 'warning']]);
  });

  it('works from the list alone when the stats could not be read, and caps the items shown', () => {
    const items = Array.from({ length: 25 }, (_, i) =>
      item(`w_${i}`, { state: 'starting', acknowledged_at: ago(100 + i) }),
    );
    const f = run({ items });
    expect(f[0]).toMatchObject({ code: 'acked_never_heartbeated', count: 25 });
    expect(f[0]!.items).toHaveLength(10);
  });
});
