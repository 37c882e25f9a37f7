// One tool call from arguments to result: validate (scope applied), split off
// the tool-level extras, then a dry run, a confirmation, a long poll, a
// whole list or a plain API call, and the result shaped and budgeted.
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ApiClient } from '../api/client.js';
import { TransportError } from '../api/errors.js';
import type { OperationName } from '../api/operations.js';
import type { Inventory, InventoryEntry } from '../inventory/inventory.js';
import { outputProblems } from '../inventory/schemas.js';
import { isComposite, type CompositeContext, type ToolDefinition } from '../tools/define.js';
import { DEFAULT_MAX_ITEMS } from '../tools/extras.js';
import { splitArgs } from './args.js';
import { longPoll } from './long-poll.js';
import { ArgumentError, collectPages, listResult } from './pages.js';
import {
  errorResult,
  invalidArguments,
  success,
  unexpectedResponse,
  type Redact,
} from './results.js';
import { suggestCall } from './suggest.js';
import { confirmTarget, currentState } from './targets.js';

export type Progress = (progress: number, total: number | undefined, message: string) => void;

/** What a person answered; no_answer when the question itself failed or timed out. */
export type Answer = 'accept' | 'decline' | 'cancel' | 'no_answer';

export interface CallEnv {
  client: ApiClient;
  inventory: Inventory;
  responseBudgetBytes: number;
  revealWorkSecret: boolean;
  redact: Redact;
  signal: AbortSignal;
  /** Present when the client gave a progress token. */
  progress?: Progress;
  /** Present when a person can be asked (client capability, confirmations on). */
  ask?: (question: string) => Promise<Answer>;
}

type Call = ApiClient['call'];
type Json = Record<string, unknown>;

/** The result's reason and the note's wording for each answer that is not a yes. */
const NOT_DONE = {
  decline: ['declined', 'declined'],
  cancel: ['cancelled', 'cancelled'],
  no_answer: ['no_answer', 'not answered'],
} as const;

export async function runTool(
  entry: InventoryEntry,
  raw: Json,
  env: CallEnv,
): Promise<CallToolResult> {
  const { tool } = entry;
  const scope = env.inventory.environmentId;
  let args = raw;
  // A model may still pass the environment a scoped server is bound to; any other is refused by name.
  if (entry.scoped && raw.environment_id !== undefined) {
    if (raw.environment_id !== scope) {
      const message = `this server is scoped to ${scope} (--environment-id) and cannot address another environment; leave environment_id out`;
      return invalidArguments(
        tool.name,
        [{ code: 'custom', path: ['environment_id'], message, input: raw.environment_id }],
        [],
        env.redact,
      );
    }
    const { environment_id: _, ...rest } = raw;
    args = rest;
  }
  const parsed = entry.args.safeParse(args);
  if (!parsed.success)
    return invalidArguments(
      tool.name,
      parsed.error.issues,
      Object.keys(entry.args.shape),
      env.redact,
    );
  const { params, extras } = splitArgs(entry, parsed.data as Json, scope);
  const call = ((name: OperationName, p: Json) =>
    env.client.call(name, p as never, { signal: env.signal })) as Call;
  try {
    const structured = isComposite(tool)
      ? await tool.run(params, compositeContext(env, call))
      : await runOperation(tool, params, extras, env, call);
    const problems = outputProblems(structured, entry.listing.outputSchema);
    // `structured`, not the raw API JSON: the poll secret stays redacted here too.
    if (problems.length > 0) return unexpectedResponse(tool.name, problems, structured, env.redact);
    return success(structured, env.redact);
  } catch (err) {
    if (err instanceof ArgumentError) {
      return invalidArguments(
        tool.name,
        [{ code: 'custom', path: [err.field], message: err.message, input: undefined }],
        [],
        env.redact,
      );
    }
    // A wait cut short by cancellation ends with an AbortError of its own.
    if (env.signal.aborted && !(err instanceof TransportError)) {
      return errorResult(
        new TransportError('cancelled', `The ${tool.name} call was cancelled.`),
        tool.name,
        env.redact,
      );
    }
    return errorResult(err, tool.name, env.redact);
  }
}

/** What a composite tool reaches the API and the pipeline through (it imports nothing of ../calls). */
function compositeContext(env: CallEnv, call: Call): CompositeContext {
  return {
    call,
    collect: async (name, params, { maxItems }) => {
      const list = await collectPages((p) => call(name, p as never) as never, params, {
        all: true,
        maxItems,
        signal: env.signal,
        progress: env.progress,
      });
      return { items: list.items as never, next: list.next };
    },
    progress: env.progress ?? (() => {}),
    suggest: (name, a) => suggestCall(env.inventory, name, a),
  };
}

async function runOperation(
  tool: ToolDefinition,
  params: Json,
  extras: Json,
  env: CallEnv,
  call: Call,
): Promise<Json> {
  const asks = tool.confirm !== undefined && (tool.confirm.when?.(params as never) ?? true);
  if (extras.dry_run === true) {
    const { current, error } = await currentState(call, params);
    return {
      dry_run: true,
      request: env.client.describe(tool.name, params as never),
      current,
      ...(error ? { current_error: `The current state could not be read: ${error}` } : {}),
      note:
        `Dry run: nothing was sent. request is what ${tool.name} would send (credentials left out)` +
        `${asks ? ', after a person confirmed it' : ''}; current is the target as it is now.`,
    };
  }
  if (asks && env.ask) {
    const target = await confirmTarget(call, params);
    const question = tool.confirm!.question(target).replace(/\s+/g, ' ').trim();
    const answer = await env.ask(question);
    if (answer !== 'accept') {
      const [reason, how] = NOT_DONE[answer];
      return {
        done: false,
        reason,
        note: `Nothing was done: the confirmation was ${how}. (${question})`,
      };
    }
  }
  // Every answer, a collected list included, is shaped by the tool (e.g. secrets hidden).
  const shape = (data: unknown): Json =>
    tool.result
      ? tool.result.from(data as never, { revealWorkSecret: env.revealWorkSecret })
      : (data as Json);
  if (tool.extras && 'all' in tool.extras) {
    const all = extras.all === true;
    const collected = await collectPages((p) => call(tool.name, p as never) as never, params, {
      all,
      maxItems: (extras.max_items as number | undefined) ?? (all ? DEFAULT_MAX_ITEMS : undefined),
      stopAtBytes: env.responseBudgetBytes,
      signal: env.signal,
      progress: env.progress,
    });
    return shape(listResult(collected, env.responseBudgetBytes));
  }
  const data =
    extras.wait_ms !== undefined
      ? await longPoll((p) => call(tool.name, p as never), params, {
          waitMs: extras.wait_ms as number,
          signal: env.signal,
          progress: env.progress,
        })
      : await call(tool.name, params as never);
  return shape(data);
}
