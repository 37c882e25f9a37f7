// The one place that decides which tools exist and what their arguments are,
// from the switches, before the server connects. Pure: tool definitions and
// switch values in, the exact list to register out. A tool that is not in
// the inventory does not exist for the model: it is absent from tools/list
// and an unknown tool when called.
import { z } from 'zod';
import { operations } from '../api/operations.js';
import { ConfigError } from '../config/config.js';
import { EnvironmentId } from '../shapes/common.js';
import { isComposite, TOOLSETS, type AnyTool, type SafetyHints, type SuggestedCall, type Toolset } from '../tools/define.js';
import { inputJsonSchema, outputJsonSchema } from '../tools/schemas.js';

export interface Switches {
  readOnly: boolean;
  toolsets?: readonly Toolset[];
  tools?: readonly string[];
  excludeTools?: readonly string[];
  /** Scope: every call addresses this environment; tools that address others are gone. */
  environmentId?: string;
}

type Json = Record<string, unknown>;

/** A tools/list entry (the MCP Tool shape, without importing MCP here). */
export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: Json & { type: 'object' };
  outputSchema: Json & { type: 'object' };
  annotations: SafetyHints & { title: string };
}

export interface InventoryEntry {
  tool: AnyTool;
  /** What the model passes: the tool's parameters (environment_id gone when scoped) and its extras. */
  args: z.ZodObject;
  /** environment_id is filled in from the scope rather than passed. */
  scoped: boolean;
  listing: ListedTool;
}

export interface Inventory {
  entries: readonly InventoryEntry[];
  byName: ReadonlyMap<string, InventoryEntry>;
  environmentId?: string;
  /** Things worth a warning at start (e.g. a named tool that --read-only removed). */
  notes: readonly string[];
}

/** Tools that address environments other than one: gone when the server is scoped. */
const UNSCOPED = new Set(['create_environment', 'list_environments']);

function paramsOf(tool: AnyTool): z.ZodObject {
  return isComposite(tool) ? tool.params : operations[tool.name].params;
}

const ENV_FLAG = '--environment-id (AGENT_ENVIRONMENTS_ENVIRONMENT_ID)';

/** Reads and checks the switches from the parsed configuration values; a bad one is a start error. */
export function readSwitches(values: Record<string, unknown>, tools: readonly AnyTool[]): Switches {
  const names = tools.map((t) => t.name);
  const names_ = names.join(', ');
  const checkNames = (list: unknown, flag: string): string[] | undefined => {
    if (list === undefined) return undefined;
    const given = list as string[];
    if (given.length === 0) throw new ConfigError(`${flag}: name at least one tool (valid: ${names_})`);
    const unknown = given.filter((n) => !names.includes(n));
    if (unknown.length) throw new ConfigError(`${flag}: unknown tool ${unknown.join(', ')} (valid: ${names_})`);
    return given;
  };
  let toolsets: Toolset[] | undefined;
  if (values.toolsets !== undefined) {
    const given = values.toolsets as string[];
    const unknown = given.filter((s) => !(TOOLSETS as readonly string[]).includes(s));
    if (given.length === 0 || unknown.length) {
      throw new ConfigError(`--toolsets: ${unknown.length ? `unknown toolset ${unknown.join(', ')}` : 'name at least one'} (valid: ${TOOLSETS.join(', ')})`);
    }
    toolsets = given as Toolset[];
  }
  let environmentId: string | undefined;
  if (values.environmentId !== undefined) {
    const parsed = EnvironmentId.safeParse(values.environmentId);
    if (!parsed.success) throw new ConfigError(`${ENV_FLAG}: ${parsed.error.issues[0]?.message}`);
    environmentId = parsed.data;
  }
  return {
    readOnly: (values.readOnly as boolean | undefined) ?? false,
    toolsets,
    tools: checkNames(values.tools, '--tools'),
    excludeTools: checkNames(values.excludeTools, '--exclude-tools'),
    environmentId,
  };
}

export function buildInventory(tools: readonly AnyTool[], switches: Switches): Inventory {
  const notes: string[] = [];
  const named = new Set(switches.tools ?? []);
  // --tools alone is the exact set; with --toolsets it adds to them.
  const fromSets = switches.toolsets ?? (switches.tools ? [] : TOOLSETS);
  let chosen = tools.filter((t) => fromSets.includes(t.toolset) || named.has(t.name));
  chosen = chosen.filter((t) => !switches.excludeTools?.includes(t.name));
  const dropped = (why: string, keep: (t: AnyTool) => boolean) => {
    const gone = chosen.filter((t) => !keep(t) && named.has(t.name)).map((t) => t.name);
    if (gone.length) notes.push(`${gone.join(', ')} not registered: ${why}`);
    chosen = chosen.filter(keep);
  };
  if (switches.environmentId) dropped('the server is scoped to one environment (--environment-id)', (t) => !UNSCOPED.has(t.name));
  // Last, so that it wins over every other switch.
  if (switches.readOnly) dropped('--read-only registers only read-only tools', (t) => t.annotations.readOnlyHint);
  if (chosen.length === 0) {
    throw new ConfigError('no tool is left to register with these switches (--read-only, --toolsets, --tools, --exclude-tools, --environment-id)');
  }
  const entries = chosen.map((tool) => entry(tool, switches.environmentId));
  return { entries, byName: new Map(entries.map((e) => [e.tool.name, e])), environmentId: switches.environmentId, notes };
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
    listing: {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: inputJsonSchema(args) as ListedTool['inputSchema'],
      outputSchema: outputSchema(tool) as ListedTool['outputSchema'],
      annotations: { title: tool.title, ...tool.annotations },
    },
  };
}

/**
 * The API's result, summarised. A dry run or a declined confirmation answers
 * instead with fields of its own (undeclared fields are allowed), so for
 * those tools nothing is required.
 */
function outputSchema(tool: AnyTool): Json {
  if (isComposite(tool)) return outputJsonSchema(tool.output);
  const { required, ...rest } = outputJsonSchema(tool.result?.schema ?? operations[tool.name].response);
  return tool.extras?.dry_run || tool.confirm ? rest : { ...rest, ...(required ? { required } : {}) };
}

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

/** A follow-up call as the model makes it on this server: scope left out, or why the tool is missing. */
export function suggestCall(inventory: Inventory, tool: string, args: Record<string, unknown>): SuggestedCall {
  const { environment_id, ...rest } = args;
  const arguments_ = inventory.environmentId && environment_id === inventory.environmentId ? rest : args;
  if (inventory.byName.has(tool)) return { tool, arguments: arguments_ };
  return { tool, arguments: arguments_, unavailable: 'not registered on this server (--read-only, --toolsets, --tools or --exclude-tools)' };
}
