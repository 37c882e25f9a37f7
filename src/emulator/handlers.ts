// What each operation of the table does to the emulator's state: validated
// parameters in, the API's JSON out (or an EmulatorError thrown).
import type { OperationName, ParamsOf } from '../api/operations.js';
import { environmentJson, type Environments } from './environments.js';
import { workJson, type WorkRecord } from './queue.js';

export interface HandlerContext {
  environments: Environments;
  /** Aborted when the client goes away or the emulator closes (ends a long poll). */
  signal: AbortSignal;
  /** The `secret` a poll returns for an item it hands out. */
  secretFor: (w: WorkRecord) => string;
}

type Handlers = { [N in OperationName]: (p: ParamsOf<N>, ctx: HandlerContext) => unknown };

export const handlers: Handlers = {
  create_environment: (p, { environments }) => environmentJson(environments.create(p)),
  list_environments: (p, { environments }) => {
    const page = environments.list(p);
    return { data: page.data.map(environmentJson), next_page: page.next_page };
  },
  get_environment: (p, { environments }) => environmentJson(environments.get(p.environment_id)),
  update_environment: (p, { environments }) => environmentJson(environments.update(p)),
  delete_environment: (p, { environments }) => environments.delete(p.environment_id),
  archive_environment: (p, { environments }) =>
    environmentJson(environments.archive(p.environment_id)),

  list_work_items: (p, { environments }) => {
    const page = environments.queue(p.environment_id).list(p);
    return { data: page.data.map((w) => workJson(w)), next_page: page.next_page };
  },
  get_work_item: (p, { environments }) =>
    workJson(environments.queue(p.environment_id).get(p.work_id)),
  update_work_item: (p, { environments }) =>
    workJson(environments.queue(p.environment_id).updateMetadata(p.work_id, p.metadata)),
  stop_work_item: (p, { environments }) =>
    workJson(environments.queue(p.environment_id).stop(p.work_id, p.force ?? false)),
  get_work_queue_stats: (p, { environments }) => environments.queue(p.environment_id).stats(),
  poll_work_item: async (p, { environments, signal, secretFor }) => {
    const w = await environments.queue(p.environment_id).pollWait({
      blockMs: p.block_ms,
      reclaimMs: p.reclaim_older_than_ms,
      workerId: p.worker_id,
      signal,
    });
    return w ? workJson(w, secretFor(w)) : null;
  },
  ack_work_item: (p, { environments }) =>
    workJson(environments.queue(p.environment_id).ack(p.work_id)),
  heartbeat_work_item: (p, { environments }) =>
    environments.queue(p.environment_id).heartbeat(p.work_id, {
      expected: p.expected_last_heartbeat,
      desiredTtlSeconds: p.desired_ttl_seconds,
    }),
};
