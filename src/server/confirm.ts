// Asking a person before a destructive call, in the way each protocol
// generation allows:
// - 2026-07-28 (per-request _meta, no session): multi-round-trip. The first
//   call answers `input_required` with the question; the client asks the
//   person and calls again with the answer (`inputResponses`) and our
//   `requestState` echoed back. Nothing is held between the two calls, so any
//   stdio session or HTTP replica can answer the second.
// - 2025-11-25 (initialize, a session): an `elicitation/create` request to the
//   client, answered within the same call.
// A client that cannot be asked is not asked (tool annotations and
// `_meta["anthropic/requiresUserInteraction"]` tell the host instead).
import { createHash } from 'node:crypto';
import {
  inputRequired,
  inputResponse,
  type InputRequiredResult,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Answer } from '../calls/run.js';

// A person may take a while to answer; past this the call does nothing.
export const CONFIRM_TIMEOUT_MS = 10 * 60_000;

/** The key of our one question in `inputRequests`/`inputResponses`. */
export const CONFIRM_KEY = 'confirm';

const REQUESTED_SCHEMA = {
  type: 'object' as const,
  properties: { confirm: { type: 'boolean' as const, title: 'Go ahead', default: true } },
};

/** Envelope keys of a 2026-07-28 request: its revision and the client's capabilities. */
const PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

/** Form elicitation declared; an empty `elicitation: {}` means form, as the MCP spec has it. */
function canElicitForm(elicitation: unknown): boolean {
  if (elicitation === null || typeof elicitation !== 'object') return false;
  const modes = elicitation as Record<string, unknown>;
  return modes.form !== undefined || Object.keys(modes).length === 0;
}

/** A form answered with the box unticked is a no. */
function answerOf(
  action: 'accept' | 'decline' | 'cancel',
  content: Record<string, unknown> | undefined,
): Answer {
  return action === 'accept' && content?.confirm === false ? 'decline' : action;
}

/**
 * What the question is about, as the echoed `requestState`: the tool and its
 * arguments. It is not a secret and needs no signature: whoever can answer the
 * question can also just say yes, so a forged state gains nothing; it only
 * stops an answer given for one call from being read as the answer for
 * another (changed arguments are asked again).
 */
export function stateFor(tool: string, args: unknown): string {
  return `confirm:v1:${createHash('sha256')
    .update(JSON.stringify([tool, canonical(args)]))
    .digest('base64url')}`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** How one tools/call may ask, or undefined when this client cannot be asked. */
export interface Asking {
  ask: (question: string) => Promise<Answer>;
  /** After the call: the input_required answer to send instead of its result, when a question is pending. */
  pending: () => InputRequiredResult | undefined;
}

/** Thrown by a modern `ask` that has no answer yet; the call's own result is then discarded. */
class QuestionPending extends Error {}

export function asking(
  server: Server,
  ctx: ServerContext,
  call: { tool: string; args: unknown },
  opts: { redact: (text: string) => string; log: (answer: Answer) => void },
): Asking | undefined {
  // The SDK types the lifted envelope as {}; its keys are the reserved _meta names.
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  if (envelope?.[PROTOCOL_VERSION] !== undefined) {
    // 2026-07-28: the capabilities come with each request.
    const caps = envelope[CLIENT_CAPABILITIES] as { elicitation?: unknown } | undefined;
    if (!canElicitForm(caps?.elicitation)) return undefined;
    const state = stateFor(call.tool, call.args);
    let question: string | undefined;
    return {
      async ask(q) {
        const view = inputResponse(ctx.mcpReq.inputResponses, CONFIRM_KEY);
        if (ctx.mcpReq.requestState() === state) {
          // The retry of the call we asked about: the answer, or none given.
          const answer = view.kind === 'elicit' ? answerOf(view.action, view.content) : 'no_answer';
          opts.log(answer);
          return answer;
        }
        question = opts.redact(q);
        throw new QuestionPending('asking');
      },
      pending: () =>
        question === undefined
          ? undefined
          : inputRequired({
              inputRequests: {
                [CONFIRM_KEY]: inputRequired.elicit({
                  message: question,
                  requestedSchema: REQUESTED_SCHEMA,
                }),
              },
              requestState: state,
            }),
    };
  }
  // 2025-11-25: the capabilities the client declared in initialize.
  if (!canElicitForm(server.getClientCapabilities()?.elicitation)) return undefined;
  return {
    async ask(q) {
      let answer: Answer;
      try {
        const r = await server.elicitInput(
          { mode: 'form', message: opts.redact(q), requestedSchema: REQUESTED_SCHEMA },
          { signal: ctx.mcpReq.signal, timeout: CONFIRM_TIMEOUT_MS },
        );
        answer = answerOf(r.action, r.content as Record<string, unknown> | undefined);
      } catch {
        answer = 'no_answer';
      }
      opts.log(answer);
      return answer;
    },
    pending: () => undefined,
  };
}
