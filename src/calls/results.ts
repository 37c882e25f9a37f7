// The one place that turns outcomes into MCP tool results. Every text that
// leaves goes through the redactor (../api/redact.ts), so a credential the
// API (or a proxy) echoes back never reaches the model.
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { ApiError } from '../api/errors.js';
import { failureFacts } from '../api/failure.js';
import type { Redact } from '../api/redact.js';

export type { Redact } from '../api/redact.js';

export function success(structured: Record<string, unknown>, redact: Redact): CallToolResult {
  const raw = JSON.stringify(structured);
  const text = redact(raw);
  if (text === raw) return { content: [{ type: 'text', text }], structuredContent: structured };
  // Parse back only when redaction changed something (rare): keeps the hot path cheap.
  try {
    return {
      content: [{ type: 'text', text }],
      structuredContent: JSON.parse(text) as Record<string, unknown>,
    };
  } catch {
    return failure(
      { type: 'redacted', message: 'The API answer held a credential and was withheld.' },
      redact,
    );
  }
}

export function failure(error: Record<string, unknown>, redact: Redact): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: redact(JSON.stringify({ error })) }] };
}

/** Argument errors, named by field and rule, before any request is made. */
export function invalidArguments(
  tool: string,
  issues: readonly z.core.$ZodIssue[],
  allowed: readonly string[],
  redact: Redact,
): CallToolResult {
  const problems = issues.map((i) => {
    if (i.code === 'unrecognized_keys') {
      // Names are the caller's and may be huge: quote a short, bounded list.
      const shown = i.keys.slice(0, 5).map((k) => (k.length > 64 ? `${k.slice(0, 64)}…` : k));
      const more = i.keys.length > shown.length ? ` and ${i.keys.length - shown.length} more` : '';
      return `${shown.join(', ')}${more}: unknown argument${i.keys.length > 1 ? 's' : ''} (allowed: ${allowed.join(', ')})`;
    }
    const field = i.path.length ? i.path.join('.') : '(arguments)';
    return `${field}: ${i.message}`;
  });
  return failure(
    {
      type: 'invalid_arguments',
      tool,
      message: `Invalid arguments for ${tool}: ${problems.join('; ')}`,
      problems,
    },
    redact,
  );
}

/** A 2xx whose JSON the tool's output schema does not allow: shown, not passed off as a result. */
export function unexpectedResponse(
  tool: string,
  problems: readonly string[],
  response: unknown,
  redact: Redact,
): CallToolResult {
  return failure(
    {
      type: 'unexpected_response',
      tool,
      message: `${tool}: the API answered with JSON of an unexpected shape (${problems.join('; ')}); it is in "response".`,
      problems,
      response,
    },
    redact,
  );
}

const HINTS: Record<number, string> = {
  401: "The credential was refused. Check ANTHROPIC_API_KEY (management tools) or ANTHROPIC_ENVIRONMENT_KEY (work list and worker tools) in the server's env.",
  403: 'The credential may not do this: a work endpoint may need the other kind of key, or environments may be turned off for the organization.',
  404: 'Check the id: list_environments lists environments, list_work_items lists work items.',
  409: 'The item is already in that state (e.g. stopped).',
  412: 'Another heartbeat won: use details.current_state.last_heartbeat as expected_last_heartbeat, or stop if the state is stopping/stopped.',
  429: 'Rate limited: wait before calling again.',
  529: 'The API is overloaded: wait and try again.',
};

export function errorResult(err: unknown, tool: string, redact: Redact): CallToolResult {
  const facts = failureFacts(err);
  if (facts) {
    const hint = err instanceof ApiError ? HINTS[err.status] : undefined;
    return failure({ ...facts, ...(hint ? { hint } : {}) }, redact);
  }
  // A bug of ours: say so without a stack trace.
  return failure(
    {
      type: 'internal_error',
      message: `${tool} failed unexpectedly: ${(err as Error)?.message ?? String(err)}`,
    },
    redact,
  );
}
