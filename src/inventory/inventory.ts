// The tools to register and what their arguments are, from the switches,
// before the server connects. Pure: tool definitions and switches in, the
// exact list out. Which tools exist is decided in ./select.ts; this adds
// their argument shapes and tools/list entries. A tool that is not in the
// inventory does not exist for the model: it is absent from tools/list and
// an unknown tool when called.
import type { z } from 'zod';
import type { CredentialNeeds } from '../api/credential-kinds.js';
import { operations } from '../api/operations.js';
import { isComposite, type AnyTool } from '../tools/define.js';
import { inputJsonSchema, outputJsonSchema } from './schemas.js';
import type { ListedTool } from './catalog.js';
import { selectTools, type Switches } from './select.js';

export { readSwitches, type Switches } from './select.js';
export type { ListedTool } from './catalog.js';

type Json = Record<string, unknown>;

export interface InventoryEntry {
  tool: AnyTool;
  /** What the model passes: the tool's parameters (environment_id gone when scoped) and its extras. */
  args: z.ZodObject;
  /** environment_id is filled in from the scope rather than passed. */
  scoped: boolean;
  listing: ListedTool;
  /** The credentials it sends, from the operation table. */
  credentials: CredentialNeeds;
}

export interface Inventory {
  entries: readonly InventoryEntry[];
  byName: ReadonlyMap<string, InventoryEntry>;
  environmentId?: string;
  /** Things worth a warning at start (e.g. a named tool that --read-only removed). */
  notes: readonly string[];
}

/** What a tool needs: its operation's credentials, or those of each operation a composite calls. */
export function credentialNeeds(tool: AnyTool): CredentialNeeds {
  const used = isComposite(tool) ? tool.uses : [tool.name];
  return used.map((name) => operations[name].credentials);
}

function paramsOf(tool: AnyTool): z.ZodObject {
  return isComposite(tool) ? tool.params : operations[tool.name].params;
}

export function buildInventory(tools: readonly AnyTool[], switches: Switches): Inventory {
  const { chosen, notes } = selectTools(tools, switches);
  const entries = chosen.map((tool) => entry(tool, switches.environmentId));
  return {
    entries,
    byName: new Map(entries.map((e) => [e.tool.name, e])),
    environmentId: switches.environmentId,
    notes,
  };
}

function entry(tool: AnyTool, environmentId: string | undefined): InventoryEntry {
  let params = paramsOf(tool);
  const scoped = environmentId !== undefined && 'environment_id' in params.shape;
  if (scoped) params = params.omit({ environment_id: true });
  const args = params.extend(tool.extras ?? {});
  return {
    tool,
    args,
    scoped,
    credentials: credentialNeeds(tool),
    listing: {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: inputJsonSchema(args) as ListedTool['inputSchema'],
      outputSchema: outputSchema(tool) as ListedTool['outputSchema'],
      annotations: { ...tool.annotations },
      ...listingMeta(tool),
    },
  };
}

/** `_meta` of a listing: the view link, and the mark of tools that ask a person first. */
function listingMeta(tool: AnyTool): { _meta?: ListedTool['_meta'] } {
  const meta: NonNullable<ListedTool['_meta']> = {
    ...(tool.ui ? { ui: tool.ui } : {}),
    ...(!isComposite(tool) && tool.confirm
      ? { 'anthropic/requiresUserInteraction': true as const }
      : {}),
  };
  return Object.keys(meta).length ? { _meta: meta } : {};
}

/**
 * The API's result, summarised. A dry run or a declined confirmation answers
 * instead with fields of its own (undeclared fields are allowed), so for
 * those tools nothing is required.
 */
function outputSchema(tool: AnyTool): Json {
  if (isComposite(tool)) return outputJsonSchema(tool.output);
  const { required, ...rest } = outputJsonSchema(
    tool.result?.schema ?? operations[tool.name].response,
  );
  return tool.extras?.dry_run || tool.confirm
    ? rest
    : { ...rest, ...(required ? { required } : {}) };
}
