// The server's `instructions`: what a model should know before its first call.
import type { Config } from '../config/config.js';

/** What the instructions depend on besides the configuration: the tools registered. */
export interface Registered {
  environmentId?: string;
  tools: readonly { annotations: { readOnlyHint: boolean } }[];
}

export function instructions(config: Config, registered: Registered): string {
  const lines = [
    'Manage Claude Managed Agents environments and the work queues of self-hosted environments.',
    'Environment tools (create/list/get/update/archive/delete_environment) need ANTHROPIC_API_KEY.',
    'Work tools (get/update/stop_work_item, get_work_queue_stats) need the API key; list_work_items and the worker protocol ' +
      '(poll/ack/heartbeat_work_item) need ANTHROPIC_ENVIRONMENT_KEY.',
    'A work item moves queued → starting (acked) → active (heartbeating) → stopping (stop requested) → stopped.',
    'Poll, ack and heartbeat act as a worker: claiming an item takes it from the user\'s real workers. Use them only when asked.',
    'Failed calls return isError with status, type, message and request_id; read the hint and correct the call.',
  ];
  if (registered.environmentId) {
    lines.unshift(`SCOPED to environment ${registered.environmentId}: environment_id is filled in; leave it out.`);
  }
  if (registered.tools.every((t) => t.annotations.readOnlyHint)) {
    lines.unshift('READ-ONLY: no tool on this server changes anything.');
  } else {
    lines.push('Tools that change something take dry_run: true to show the request first. diagnose_work_queue explains a stuck queue.');
  }
  if (config.emulator) {
    lines.unshift('EMULATOR MODE: this server talks to a local emulator. Nothing is real; data is lost on exit.');
  }
  return lines.join('\n');
}
