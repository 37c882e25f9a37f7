// diagnose_work_queue: stats and the whole work list, read together and
// turned into findings (../diagnosis). Read-only: it never polls, acks or stops.
import { z } from 'zod';
import { describeFailure } from '../api/failure.js';
import { diagnose, type Finding } from '../diagnosis/diagnose.js';
import { EnvironmentRef } from '../shapes/environment.js';
import type { WorkItem, WorkQueueStats } from '../shapes/work.js';
import { defineComposite, READ, type CompositeContext, type SuggestedCall } from './define.js';
import { WORK_QUEUE_VIEW } from './views.js';

/** SDK 1.16's lease assumes this ("the API's default lease TTL", 300 s) until a heartbeat reports the real one. */
export const DEFAULT_LEASE_SECONDS = 300;
const MAX_ITEMS_EXAMINED = 1000;

export const LeaseSeconds = z
  .int()
  .min(1)
  .max(86_400)
  .optional()
  .describe(`Lease your workers hold (heartbeat ttl_seconds; default ${DEFAULT_LEASE_SECONDS})`);

export interface QueueReading {
  stats?: WorkQueueStats;
  items?: WorkItem[];
  findings: Finding<SuggestedCall>[];
  /** What could not be read, and why (e.g. a missing credential). */
  unavailable: string[];
}

/** Stats and the whole work list, read together, and the findings about them. */
export async function readQueue(
  environment_id: string,
  leaseSeconds: number,
  ctx: CompositeContext,
): Promise<QueueReading> {
  const [stats, list] = await Promise.allSettled([
    ctx.call('get_work_queue_stats', { environment_id }),
    ctx.collect(
      'list_work_items',
      { environment_id, limit: 100 },
      { maxItems: MAX_ITEMS_EXAMINED },
    ),
  ]);
  // With neither source there is nothing to say: report the API's answer.
  if (stats.status === 'rejected' && list.status === 'rejected') throw stats.reason;
  const items = list.status === 'fulfilled' ? list.value.items : undefined;
  const statsValue = stats.status === 'fulfilled' ? stats.value : undefined;
  const findings = diagnose({
    environmentId: environment_id,
    stats: statsValue,
    items,
    now: Date.now(),
    leaseSeconds,
    suggest: ctx.suggest,
  });
  const unavailable = [
    ...(stats.status === 'rejected' ? [`stats: ${describeFailure(stats.reason)}`] : []),
    ...(list.status === 'rejected' ? [`work list: ${describeFailure(list.reason)}`] : []),
    ...(list.status === 'fulfilled' && list.value.stopped !== undefined
      ? [`work list: ${list.value.stopped}; ${list.value.items.length} items were examined`]
      : []),
    ...(list.status === 'fulfilled' && list.value.stopped === undefined && list.value.next !== null
      ? [`work list: only the first ${MAX_ITEMS_EXAMINED} items were examined`]
      : []),
  ];
  return { stats: statsValue, items, findings, unavailable };
}

export const diagnoseWorkQueue = defineComposite({
  name: 'diagnose_work_queue',
  title: 'Diagnose work queue',
  description:
    'Find what is wrong with a self-hosted work queue: no worker polling, backlog and oldest wait, items acked but never ' +
    'heartbeated, active items past their lease, items stuck stopping; each finding names the call that acts on it. ' +
    'Needs the API key (stats) and the environment key (work list).',
  toolset: 'work',
  annotations: READ,
  ui: { resourceUri: WORK_QUEUE_VIEW },
  uses: ['get_work_queue_stats', 'list_work_items'],
  params: EnvironmentRef.extend({ lease_seconds: LeaseSeconds }),
  output: z.looseObject({
    environment_id: z.string(),
    checked_at: z.string(),
    summary: z.string(),
    findings: z.array(z.looseObject({ code: z.string() })),
    stats: z.looseObject({}).nullable(),
    items_examined: z.int(),
  }),
  async run(params, ctx) {
    const environment_id = params.environment_id as string;
    const leaseSeconds = (params.lease_seconds as number | undefined) ?? DEFAULT_LEASE_SECONDS;
    const {
      stats: statsValue,
      items,
      findings,
      unavailable,
    } = await readQueue(environment_id, leaseSeconds, ctx);
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    return {
      environment_id,
      checked_at: new Date().toISOString(),
      summary: findings.length
        ? `${count('problem')} problem(s), ${count('warning')} warning(s), ${count('info')} note(s).`
        : 'No problems found.',
      findings,
      stats: statsValue ?? null,
      items_examined: items?.length ?? 0,
      lease_seconds: leaseSeconds,
      ...(unavailable.length ? { incomplete: unavailable } : {}),
    };
  },
});
