// Follow-up calls as a model would make them on this server, for findings
// (diagnose_work_queue) that name the call that acts on them.
import type { Inventory } from '../inventory/inventory.js';
import type { SuggestedCall } from '../tools/define.js';

/** A follow-up call as the model makes it on this server: scope left out, or why the tool is missing. */
export function suggestCall(
  inventory: Inventory,
  tool: string,
  args: Record<string, unknown>,
): SuggestedCall {
  const { environment_id, ...rest } = args;
  const arguments_ =
    inventory.environmentId && environment_id === inventory.environmentId ? rest : args;
  if (inventory.byName.has(tool)) return { tool, arguments: arguments_ };
  return {
    tool,
    arguments: arguments_,
    unavailable:
      'not registered on this server (--read-only, --toolsets, --tools or --exclude-tools)',
  };
}
