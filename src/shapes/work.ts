// The shapes of the Work API (self-hosted environments' work queue).
import { z } from 'zod';
import { EnvironmentId, MetadataPatch, PageCursor, Timestamp, WorkId, pageOf } from './common.js';

export const WorkRef = z.strictObject({ environment_id: EnvironmentId, work_id: WorkId });

export const ListWorkItemsParams = z.strictObject({
  environment_id: EnvironmentId,
  limit: z.int().min(1).max(1000).optional().describe('Page size'),
  page: PageCursor.optional(),
});

export const UpdateWorkItemParams = z.strictObject({
  environment_id: EnvironmentId,
  work_id: WorkId,
  metadata: MetadataPatch,
});

export const StopWorkItemParams = z.strictObject({
  environment_id: EnvironmentId,
  work_id: WorkId,
  force: z
    .boolean()
    .optional()
    .describe('true stops at once; otherwise the worker is asked to stop gracefully'),
});

/** Header values must not carry control characters (header injection). */
export const WorkerId = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, { message: 'must be 1-128 visible ASCII characters' })
  .describe('Sent as Anthropic-Worker-ID; counted in workers_polling');

export const PollWorkParams = z.strictObject({
  environment_id: EnvironmentId,
  block_ms: z
    .int()
    .min(1)
    .max(999)
    .optional()
    .describe('Wait up to this long for work; omit to return at once'),
  reclaim_older_than_ms: z
    .int()
    .min(1)
    .max(86_400_000)
    .optional()
    .describe('Re-deliver items polled but not acked for this long (API default 5000)'),
  worker_id: WorkerId.optional(),
});

export const NO_HEARTBEAT = 'NO_HEARTBEAT';

export const HeartbeatParams = z.strictObject({
  environment_id: EnvironmentId,
  work_id: WorkId,
  desired_ttl_seconds: z.int().min(1).max(86_400).optional().describe('Lease length wanted'),
  expected_last_heartbeat: z
    .string()
    .regex(/^(NO_HEARTBEAT|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2}))$/, {
      message: 'must be NO_HEARTBEAT or the last_heartbeat of the previous response',
    })
    .optional()
    .describe('NO_HEARTBEAT on the first beat, then the previous last_heartbeat'),
});

export const WorkData = z.looseObject({ type: z.string(), id: z.string() });

export const WorkItem = z.looseObject({
  id: z.string(),
  type: z.literal('work'),
  environment_id: z.string(),
  state: z.string(),
  data: WorkData,
  metadata: z.record(z.string(), z.string()),
  created_at: Timestamp,
  acknowledged_at: Timestamp.nullable(),
  started_at: Timestamp.nullable(),
  latest_heartbeat_at: Timestamp.nullable(),
  stop_requested_at: Timestamp.nullable(),
  stopped_at: Timestamp.nullable(),
  secret: z.string().nullish(),
});

export const WorkList = pageOf(WorkItem);

/** Poll answers a work item or a bare JSON `null`; tools wrap it as `{work}`. */
export const PolledWork = WorkItem.nullable();

export const WorkQueueStats = z.looseObject({
  type: z.literal('work_queue_stats'),
  depth: z.int(),
  pending: z.int(),
  oldest_queued_at: Timestamp.nullable(),
  workers_polling: z.int().nullable(),
});

export const WorkHeartbeat = z.looseObject({
  type: z.literal('work_heartbeat'),
  last_heartbeat: Timestamp,
  lease_extended: z.boolean(),
  state: z.string(),
  ttl_seconds: z.int(),
});

export type WorkItem = z.infer<typeof WorkItem>;
export type WorkQueueStats = z.infer<typeof WorkQueueStats>;
export type WorkHeartbeat = z.infer<typeof WorkHeartbeat>;
