// Builds the catalog (./catalog.ts) from the tool definitions through the
// inventory itself, so the start-time listings are the runtime ones by
// construction. Run by `npm run build` (scripts/catalog.mjs).
import type { AnyTool } from '../tools/define.js';
import type { Catalog } from './catalog.js';
import { buildInventory, credentialNeeds } from './inventory.js';

export function buildCatalog(tools: readonly AnyTool[], protocol: Catalog['protocol']): Catalog {
  const all = buildInventory(tools, { readOnly: false });
  // Scoped listings do not depend on which environment: any valid id will do.
  const scoped = buildInventory(tools, { readOnly: false, environmentId: 'env_catalog' });
  return {
    protocol,
    tools: tools.map((tool) => ({
      name: tool.name,
      toolset: tool.toolset,
      annotations: tool.annotations,
      credentials: credentialNeeds(tool),
      ...(tool.ui ? { ui: tool.ui } : {}),
      listing: all.byName.get(tool.name)!.listing,
      scopedListing: scoped.byName.get(tool.name)?.listing ?? null,
    })),
  };
}
