// The shapes of the Work API (self-hosted environments' work queue).
import { z } from 'zod';
import {
  EnvironmentId,
  MetadataPatch,
  PageCursor,
  QueryText,
  Timestamp,
  WorkId,
  pageOf,
} from './common.js';

export const WORK_STATES = ['queued', 'starting', 'active', 'stopping', 'stopped'] as const;
export const WorkState = z.enum(WORK_STATES);

export const WorkRef = z.strictObject({ environment_id: EnvironmentId, work_id: WorkId });

export const ListWorkItemsParams = z.strictObject({
  environment_id: EnvironmentId,
  limit: z.int().optional().describe('Page size'),
  page: PageCursor.nullable()
    .optional()
    .describe('next_page of the previous response (null: the first page)'),
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

/**
 * Sent as a header: text a header can carry (Latin-1, no control character
 * but tab), which is also all that SDK 1.16's fetch can send. No length cap.
 */
export const WorkerId = z
  .string()
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, {
    message: 'must be text a header can carry: Latin-1 characters, no control characters',
  })
  .describe('Sent as Anthropic-Worker-ID; counted in workers_polling');

export const PollWorkParams = z.strictObject({
  environment_id: EnvironmentId,
  // The one limit the reference documents: "Must be 1-999 in milliseconds".
  block_ms: z
    .int()
    .min(1)
    .max(999)
    .nullable()
    .optional()
    .describe('Wait up to this long (1-999 ms) for work; omit (or null) to return at once'),
  reclaim_older_than_ms: z
    .int()
    .nullable()
    .optional()
    .describe(
      'Re-deliver items polled but not acked for this long; omit (or null) for the API default 5000',
    ),
  worker_id: WorkerId.optional(),
});

export const NO_HEARTBEAT = 'NO_HEARTBEAT';

export const HeartbeatParams = z.strictObject({
  environment_id: EnvironmentId,
  work_id: WorkId,
  desired_ttl_seconds: z
    .int()
    .nullable()
    .optional()
    .describe('Lease length wanted, seconds; omit (or null) for the default'),
  // Not checked here: the API compares it, and any value it returned (even "") is valid.
  expected_last_heartbeat: QueryText.nullable()
    .optional()
    .describe(
      'NO_HEARTBEAT on the first beat, then the previous response\'s last_heartbeat exactly (it may be "")',
    ),
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
