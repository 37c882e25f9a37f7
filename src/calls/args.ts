// Validated arguments split into what goes to the API and what the call
// pipeline itself acts on (dry_run, wait_ms, all, max_items).
import type { InventoryEntry } from '../inventory/inventory.js';

/**
 * Splits validated arguments into the API parameters (with the scoped
 * environment filled in) and the tool-level extras.
 */
export function splitArgs(
  entry: InventoryEntry,
  args: Record<string, unknown>,
  environmentId: string | undefined,
): { params: Record<string, unknown>; extras: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (entry.tool.extras && k in entry.tool.extras) extras[k] = v;
    else params[k] = v;
  }
  if (entry.scoped) params.environment_id = environmentId;
  return { params, extras };
}
