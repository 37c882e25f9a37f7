// The contract of a tool: what the model sees and how its result is shaped.
// Declarations only: execution lives in ../calls (which hands composite
// tools their context), the HTTP request in ../api/operations. The stdio
// front loads this module before any schema library (test/lean-start.test.ts
// fences it): type imports only.
import type { z } from 'zod';
import type { OperationName, ParamsOf, ResponseOf } from '../api/operations.js';
import { plainText, quoted } from '../text/display.js';

export const TOOLSETS = ['environments', 'work', 'worker'] as const;
export type Toolset = (typeof TOOLSETS)[number];

/** Every hint is required, so no tool can ship without saying what it does. */
export interface SafetyHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ResultContext {
  revealWorkSecret: boolean;
}

/**
 * Tool-level arguments that are not API parameters (dry_run, wait_ms, all,
 * max_items): validated with the rest, then taken out before the API call.
 */
export type Extras = Readonly<Record<string, z.ZodType>>;

/** What the confirmation names: looked up before asking a person. */
export interface ConfirmTarget {
  environmentId?: string;
  environmentName?: string;
  workId?: string;
  workState?: string;
  /** For an environment: how much work it holds, or why that is unknown. */
  workSummary?: string;
}

/**
 * The MCP Apps link of a tool (the io.modelcontextprotocol/ui extension):
 * shown to hosts as `_meta.ui`. resourceUri names the view a host may open
 * with the tool's result; visibility ['app'] keeps a tool for views alone
 * (hosts leave it out of what the model sees). Types follow McpUiToolMeta
 * of @modelcontextprotocol/ext-apps, restated here so the server needs no
 * browser package.
 */
export interface ToolUi {
  resourceUri?: string;
  visibility?: readonly ('model' | 'app')[];
}

interface ToolCommon {
  title: string;
  description: string;
  toolset: Toolset;
  annotations: SafetyHints;
  extras?: Extras;
  ui?: ToolUi;
}

/** A tool that is one API operation; its name is the operation's name. */
export interface ToolDefinition<N extends OperationName = OperationName> extends ToolCommon {
  kind?: undefined;
  name: N;
  /** Shapes the API's JSON into the tool's structured result (defaults to as-is). */
  result?: {
    schema: z.ZodObject;
    from: (data: ResponseOf<N>, ctx: ResultContext) => Record<string, unknown>;
  };
  /** A person confirms before the call runs (when the client can ask and --no-confirm is off). */
  confirm?: {
    /** Only when this holds (e.g. a forced stop); always when absent. */
    when?: (params: ParamsOf<N>) => boolean;
    question: (target: ConfirmTarget) => string;
  };
}

/** Operations that answer a page of a list (`data` and `next_page`). */
export type ListOperation = {
  [N in OperationName]: ResponseOf<N> extends { data: unknown[]; next_page: string | null }
    ? N
    : never;
}[OperationName];

/** A whole list, as far as it was read. */
export interface CollectedList<N extends ListOperation> {
  items: ResponseOf<N>['data'];
  /** Where the list goes on after the last item read; null when it was read to its end. */
  next: string | null;
  /** Why the walk stopped before the end (a cursor that repeats, the page cap, the deadline). */
  stopped?: string;
}

/** What a composite tool may do: read through the API client, report progress, suggest calls. */
export interface CompositeContext {
  call<N extends OperationName>(name: N, params: ParamsOf<N>): Promise<ResponseOf<N>>;
  /** Every page of a list in order, up to maxItems (progress reported), as the list tools' `all` does. */
  collect<N extends ListOperation>(
    name: N,
    params: ParamsOf<N>,
    opts: { maxItems: number },
  ): Promise<CollectedList<N>>;
  progress(progress: number, total: number | undefined, message: string): void;
  /** A follow-up call as the model would make it here (scope filled in), or why it cannot. */
  suggest(tool: string, args: Record<string, unknown>): SuggestedCall;
}

export interface SuggestedCall {
  tool: string;
  arguments: Record<string, unknown>;
  /** Set when the tool is not registered on this server (e.g. --read-only). */
  unavailable?: string;
}

/** A tool built from several reads (e.g. diagnose_work_queue), not one API operation. */
export interface CompositeTool extends ToolCommon {
  kind: 'composite';
  name: string;
  /** The operations it calls through its context: its credentials are theirs (README: Tools). */
  uses: readonly OperationName[];
  params: z.ZodObject;
  output: z.ZodObject;
  run(params: Record<string, unknown>, ctx: CompositeContext): Promise<Record<string, unknown>>;
}

export type AnyTool = ToolDefinition | CompositeTool;

export function defineTool<N extends OperationName>(tool: ToolDefinition<N>): ToolDefinition<N> {
  return tool;
}

export function defineComposite(tool: Omit<CompositeTool, 'kind'>): CompositeTool {
  return { kind: 'composite', ...tool };
}

export function isComposite(tool: AnyTool): tool is CompositeTool {
  return tool.kind === 'composite';
}

export const READ: SafetyHints = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/**
 * How a confirmation ends: the environment's name, which is API data, comes
 * last, quoted and escaped, plain and bounded (../text/display.ts), after
 * what the server knows itself (action, id, counts). Empty without a name.
 */
export function environmentName(t: ConfirmTarget): string {
  return t.environmentName !== undefined
    ? ` The environment's name: ${quoted(t.environmentName)}.`
    : '';
}

/** A work item's state as the API gave it, made plain and short for a question. */
export function workState(t: ConfirmTarget): string {
  return t.workState !== undefined ? ` (state ${quoted(plainText(t.workState, 32))})` : '';
}
