// work_queue_snapshot: what the work-queue view (../views) shows, in one call
// it makes every few seconds. For the view alone (`_meta.ui.visibility:
// ["app"]`): hosts leave it out of what the model sees, and the model has
// get_work_queue_stats and diagnose_work_queue for the same facts. Read-only.
import { z } from 'zod';
import { EnvironmentRef } from '../shapes/environment.js';
import { defineComposite, READ } from './define.js';
import { DEFAULT_LEASE_SECONDS, LeaseSeconds, readQueue } from './diagnose.js';
import { WORK_QUEUE_VIEW } from './views.js';

/** The states a work item passes through, in order (the view's strip). */
export const WORK_STATES = ['queued', 'starting', 'active', 'stopping', 'stopped'] as const;

export const workQueueSnapshot = defineComposite({
  name: 'work_queue_snapshot',
  title: 'Work queue snapshot (view)',
  description:
    'For the work-queue view: stats, items per state and diagnosis findings in one read.',
  toolset: 'work',
  annotations: READ,
  ui: { resourceUri: WORK_QUEUE_VIEW, visibility: ['app'] },
  uses: ['get_work_queue_stats', 'list_work_items'],
  params: EnvironmentRef.extend({ lease_seconds: LeaseSeconds }),
  output: z.looseObject({
    environment_id: z.string(),
    read_at: z.string(),
    stats: z.looseObject({}).nullable(),
    counts: z.record(z.string(), z.int()),
    findings: z.array(z.looseObject({ code: z.string() })),
    items_examined: z.int(),
    can_stop: z.boolean(),
  }),
  async run(params, ctx) {
    const environment_id = params.environment_id as string;
    const leaseSeconds = (params.lease_seconds as number | undefined) ?? DEFAULT_LEASE_SECONDS;
    const {
      stats,
      items = [],
      findings,
      unavailable,
    } = await readQueue(environment_id, leaseSeconds, ctx);
    const counts: Record<string, number> = Object.fromEntries(WORK_STATES.map((s) => [s, 0]));
    for (const w of items) counts[w.state] = (counts[w.state] ?? 0) + 1;
    // The view shows stop buttons only where the model could stop too (not with --read-only or --exclude-tools).
    const can_stop = ctx.suggest('stop_work_item', { environment_id }).unavailable === undefined;
    return {
      environment_id,
      read_at: new Date().toISOString(),
      stats: stats ?? null,
      counts,
      findings,
      items_examined: items.length,
      lease_seconds: leaseSeconds,
      can_stop,
      ...(unavailable.length ? { incomplete: unavailable } : {}),
    };
  },
});
