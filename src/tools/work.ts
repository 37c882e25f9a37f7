// The work-queue tools of self-hosted environments. Poll, ack and heartbeat
// are the worker protocol: descriptions say plainly that using them takes
// work away from the user's real workers.
import { z } from 'zod';
import { REDACTED } from '../api/redact.js';
import { WorkItem, WorkList } from '../shapes/work.js';
import { defineTool, environmentName, READ, workState, type ResultContext } from './define.js';
import { DRY_RUN, LONG_POLL, WHOLE_LIST } from './extras.js';
import { WORK_QUEUE_VIEW } from './views.js';

const WRITE = { readOnlyHint: false, openWorldHint: true } as const;

export { REDACTED } from '../api/redact.js';

/**
 * A work item's `secret` is a credential. The API fills it only in poll
 * answers, but whichever answer carries one, it is hidden unless the user
 * opted in (--reveal-work-secret).
 */
function hideSecret<T extends { secret?: string | null }>(item: T, ctx: ResultContext): T {
  // Checked, not trusted: an answer of the wrong shape goes on to the output check as it is.
  const hidden =
    item !== null && typeof item === 'object' && item.secret != null && !ctx.revealWorkSecret;
  return hidden ? { ...item, secret: REDACTED } : item;
}

const oneItem = { schema: WorkItem, from: hideSecret };

export const workTools = {
  list_work_items: defineTool({
    name: 'list_work_items',
    title: 'List work items',
    description:
      'List the work items of a self-hosted environment with their states. Pass next_page as page for more.',
    toolset: 'work',
    annotations: READ,
    extras: WHOLE_LIST,
    result: {
      schema: WorkList,
      from: (list, ctx) =>
        Array.isArray(list?.data)
          ? { ...list, data: list.data.map((w) => hideSecret(w, ctx)) }
          : list,
    },
  }),
  get_work_item: defineTool({
    name: 'get_work_item',
    title: 'Get work item',
    description: 'Get one work item: state, session, metadata, timestamps.',
    toolset: 'work',
    annotations: READ,
    result: oneItem,
  }),
  update_work_item: defineTool({
    name: 'update_work_item',
    title: 'Update work item metadata',
    description:
      'Merge metadata into a work item: given keys are set, a null value deletes a key, others are kept.',
    toolset: 'work',
    annotations: { ...WRITE, destructiveHint: false, idempotentHint: true },
    extras: DRY_RUN,
    result: oneItem,
  }),
  stop_work_item: defineTool({
    name: 'stop_work_item',
    title: 'Stop work item',
    description:
      "Stop a work item (ends the session's run): gracefully (state stopping, seen by the worker on its next heartbeat) " +
      'or, with force:true, at once. A stopped item answers 409.',
    toolset: 'work',
    annotations: { ...WRITE, destructiveHint: true, idempotentHint: true },
    extras: DRY_RUN,
    // A graceful stop lets the worker finish; only a forced one needs a person.
    confirm: {
      when: (p) => p.force === true,
      question: (t) =>
        `Force-stop work item ${t.workId}${workState(t)} in environment ${t.environmentId}? ` +
        `Its session's run ends at once.${environmentName(t)}`,
    },
    result: oneItem,
  }),
  get_work_queue_stats: defineTool({
    name: 'get_work_queue_stats',
    title: 'Get work queue stats',
    description:
      'Queue health of a self-hosted environment: depth (queued), pending (polled, not acked), oldest_queued_at, workers_polling.',
    toolset: 'work',
    annotations: READ,
    ui: { resourceUri: WORK_QUEUE_VIEW },
  }),
  poll_work_item: defineTool({
    name: 'poll_work_item',
    title: 'Claim next work item (worker protocol)',
    description:
      "Worker protocol: claim the next queued item as a self-hosted worker does. This takes it from the user's real " +
      'workers until reclaimed (not acked in time): use only to test or to act as a worker. {work: null} when none.',
    toolset: 'worker',
    annotations: { ...WRITE, destructiveHint: false, idempotentHint: false },
    extras: { ...DRY_RUN, ...LONG_POLL },
    result: {
      schema: z.looseObject({ work: WorkItem.nullable() }),
      from: (work, ctx) => ({ work: work && hideSecret(work, ctx) }),
    },
  }),
  ack_work_item: defineTool({
    name: 'ack_work_item',
    title: 'Acknowledge work item (worker protocol)',
    description:
      'Worker protocol: acknowledge a polled item (queued → starting); it leaves the queue and the caller, not the ' +
      "user's real workers, owns it. Heartbeat next or it is lost.",
    toolset: 'worker',
    annotations: { ...WRITE, destructiveHint: false, idempotentHint: false },
    extras: DRY_RUN,
    result: oneItem,
  }),
  heartbeat_work_item: defineTool({
    name: 'heartbeat_work_item',
    title: 'Heartbeat work item (worker protocol)',
    description:
      'Worker protocol: extend an acked item\'s lease. First beat expected_last_heartbeat="NO_HEARTBEAT", then the previous ' +
      'last_heartbeat; a mismatch is 412 with current_state. state "stopping": stop the work.',
    toolset: 'worker',
    annotations: { ...WRITE, destructiveHint: false, idempotentHint: false },
    extras: DRY_RUN,
  }),
};
