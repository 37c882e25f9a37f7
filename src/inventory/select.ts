// Which tools exist, decided from the switches: the one place every filter
// is applied. Plain data in, names out, and no schema library: the stdio
// start answers tools/list from the build-time catalog through this same
// code before zod or the MCP SDK are loaded (see ../transports/stdio.ts).
import { ConfigError, type Values } from '../config/config.js';
import { ENVIRONMENT_ID_EXAMPLE, ID_PATTERN, idRule } from '../shapes/ids.js';
import { TOOLSETS, type Toolset } from '../tools/define.js';

export interface Switches {
  readOnly: boolean;
  toolsets?: readonly Toolset[];
  tools?: readonly string[];
  excludeTools?: readonly string[];
  /** Scope: every call addresses this environment; tools that address others are gone. */
  environmentId?: string;
}

/** What selection needs to know of a tool. */
export interface Selectable {
  name: string;
  toolset: Toolset;
  annotations: { readOnlyHint: boolean };
}

/** Tools that address environments other than one: gone when the server is scoped. */
export const UNSCOPED = new Set(['create_environment', 'list_environments']);

function isToolset(name: string): name is Toolset {
  return (TOOLSETS as readonly string[]).includes(name);
}

const ENV_FLAG = '--environment-id (AGENT_ENVIRONMENTS_ENVIRONMENT_ID)';

/** Reads and checks the switches from the parsed configuration values; a bad one is a start error. */
export function readSwitches(values: Values, tools: readonly Selectable[]): Switches {
  const names = tools.map((t) => t.name);
  const names_ = names.join(', ');
  const checkNames = (given: string[] | undefined, flag: string): string[] | undefined => {
    if (given === undefined) return undefined;
    if (given.length === 0)
      throw new ConfigError(`${flag}: name at least one tool (valid: ${names_})`);
    const unknown = given.filter((n) => !names.includes(n));
    if (unknown.length)
      throw new ConfigError(`${flag}: unknown tool ${unknown.join(', ')} (valid: ${names_})`);
    return given;
  };
  let toolsets: Toolset[] | undefined;
  if (values.toolsets !== undefined) {
    const given = values.toolsets;
    const known = given.filter(isToolset);
    const unknown = given.filter((s) => !isToolset(s));
    if (given.length === 0 || unknown.length) {
      throw new ConfigError(
        `--toolsets: ${unknown.length ? `unknown toolset ${unknown.join(', ')}` : 'name at least one'} (valid: ${TOOLSETS.join(', ')})`,
      );
    }
    toolsets = known;
  }
  let environmentId: string | undefined;
  if (values.environmentId !== undefined) {
    const id = values.environmentId;
    if (!ID_PATTERN.test(id))
      throw new ConfigError(`${ENV_FLAG}: ${idRule(ENVIRONMENT_ID_EXAMPLE)}`);
    environmentId = id;
  }
  return {
    readOnly: values.readOnly ?? false,
    toolsets,
    tools: checkNames(values.tools, '--tools'),
    excludeTools: checkNames(values.excludeTools, '--exclude-tools'),
    environmentId,
  };
}

/** The tools to register, in their given order, and notes on named tools a switch removed. */
export function selectTools<T extends Selectable>(
  tools: readonly T[],
  switches: Switches,
): { chosen: T[]; notes: string[] } {
  const notes: string[] = [];
  const named = new Set(switches.tools ?? []);
  // --tools alone is the exact set; with --toolsets it adds to them.
  const fromSets = switches.toolsets ?? (switches.tools ? [] : TOOLSETS);
  let chosen = tools.filter((t) => fromSets.includes(t.toolset) || named.has(t.name));
  chosen = chosen.filter((t) => !switches.excludeTools?.includes(t.name));
  const dropped = (why: string, keep: (t: T) => boolean) => {
    const gone = chosen.filter((t) => !keep(t) && named.has(t.name)).map((t) => t.name);
    if (gone.length) notes.push(`${gone.join(', ')} not registered: ${why}`);
    chosen = chosen.filter(keep);
  };
  if (switches.environmentId)
    dropped(
      'the server is scoped to one environment (--environment-id)',
      (t) => !UNSCOPED.has(t.name),
    );
  // Last, so that it wins over every other switch.
  if (switches.readOnly)
    dropped('--read-only registers only read-only tools', (t) => t.annotations.readOnlyHint);
  if (chosen.length === 0) {
    throw new ConfigError(
      'no tool is left to register with these switches (--read-only, --toolsets, --tools, --exclude-tools, --environment-id)',
    );
  }
  return { chosen, notes };
}
