// Reads the thing a call is about, for a dry run's "current state" and for
// the question a confirmation asks. Only GET requests; a read that fails
// (no credential, not found) is described, never fatal.
import type { ApiClient } from '../api/client.js';
import { describeFailure as reason } from '../api/failure.js';
import type { ConfirmTarget } from '../tools/define.js';

type Call = ApiClient['call'];

/** The target's current JSON: the work item when there is one, else the environment. */
export async function currentState(
  call: Call,
  params: Record<string, unknown>,
): Promise<{ current: Record<string, unknown> | null; error?: string }> {
  const environment_id = params.environment_id as string | undefined;
  const work_id = params.work_id as string | undefined;
  if (!environment_id) return { current: null };
  try {
    const current = work_id
      ? await call('get_work_item', { environment_id, work_id })
      : await call('get_environment', { environment_id });
    return { current: current as Record<string, unknown> };
  } catch (err) {
    return { current: null, error: reason(err) };
  }
}

const BUSY = new Set(['starting', 'active', 'stopping']);

/** "It has 3 active and 1 queued work items." from one page of the list, else from stats. */
async function workSummary(call: Call, environment_id: string): Promise<string> {
  let listFailure: string;
  try {
    const page = await call('list_work_items', { environment_id, limit: 100 });
    // Checked, not trusted: an odd answer only makes the question vaguer.
    if (!Array.isArray(page?.data)) throw new Error('the work list answer holds no data');
    const busy = page.data.filter((w) => BUSY.has(w.state)).length;
    const queued = page.data.filter((w) => w.state === 'queued').length;
    const more = page.next_page ? 'at least ' : '';
    return `It has ${more}${busy} active and ${more}${queued} queued work items.`;
  } catch (err) {
    listFailure = reason(err);
  }
  try {
    const stats = await call('get_work_queue_stats', { environment_id });
    if (typeof stats?.depth !== 'number') throw new Error('the stats answer holds no depth');
    return `It has ${stats.depth} queued work items (active ones could not be counted: ${listFailure}).`;
  } catch (err) {
    return `Its work items could not be counted (${listFailure}; stats: ${reason(err)}).`;
  }
}

export async function confirmTarget(
  call: Call,
  params: Record<string, unknown>,
): Promise<ConfirmTarget> {
  const environmentId = params.environment_id as string;
  const workId = params.work_id as string | undefined;
  const target: ConfirmTarget = { environmentId, ...(workId ? { workId } : {}) };
  const [env, work] = await Promise.allSettled([
    call('get_environment', { environment_id: environmentId }),
    workId
      ? call('get_work_item', { environment_id: environmentId, work_id: workId })
      : Promise.resolve(undefined),
  ]);
  const environment = env.status === 'fulfilled' ? env.value : undefined;
  if (typeof environment?.name === 'string') target.environmentName = environment.name;
  if (work.status === 'fulfilled' && typeof work.value?.state === 'string')
    target.workState = work.value.state;
  // Only self-hosted environments have a work queue (cloud ones answer 4xx).
  const cloud = environment?.config?.type === 'cloud';
  if (!workId && !cloud) target.workSummary = await workSummary(call, environmentId);
  return target;
}
