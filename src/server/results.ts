// The one place that turns outcomes into MCP tool results. Every text that
// leaves goes through the redactor, so a credential the API (or a proxy)
// echoes back never reaches the model.
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { ApiError, MissingCredentialError, TransportError } from '../api/errors.js';

export type Redact = (text: string) => string;

/**
 * The forms a credential takes once echoed back: as is, JSON-escaped (an API
 * error quoting a header, then our own JSON around it), URL-encoded and
 * HTML-escaped (a proxy's error page).
 */
function echoedForms(secret: string): string[] {
  const json1 = JSON.stringify(secret).slice(1, -1);
  const json2 = JSON.stringify(json1).slice(1, -1);
  const html = secret.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
  return [secret, json1, json2, encodeURIComponent(secret), html];
}

export function redactor(secrets: () => readonly string[]): Redact {
  let key: string | undefined;
  let pattern: RegExp | undefined;
  return (text) => {
    const current = secrets().filter((s) => s.length >= 4);
    const now = current.join('\0');
    if (now !== key) {
      key = now;
      const forms = [...new Set(current.flatMap(echoedForms))];
      // Longest first, so a secret (or form) containing another is replaced whole.
      forms.sort((a, b) => b.length - a.length);
      pattern = forms.length ? new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : undefined;
    }
    return pattern ? text.replace(pattern, '[redacted]') : text;
  };
}

export function success(structured: Record<string, unknown>, redact: Redact): CallToolResult {
  const raw = JSON.stringify(structured);
  const text = redact(raw);
  if (text === raw) return { content: [{ type: 'text', text }], structuredContent: structured };
  // Parse back only when redaction changed something (rare): keeps the hot path cheap.
  try {
    return { content: [{ type: 'text', text }], structuredContent: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return failure({ type: 'redacted', message: 'The API answer held a credential and was withheld.' }, redact);
  }
}

export function failure(error: Record<string, unknown>, redact: Redact): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: redact(JSON.stringify({ error })) }] };
}

/** Argument errors, named by field and rule, before any request is made. */
export function invalidArguments(tool: string, issues: readonly z.core.$ZodIssue[], allowed: readonly string[], redact: Redact): CallToolResult {
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
  return failure({ type: 'invalid_arguments', tool, message: `Invalid arguments for ${tool}: ${problems.join('; ')}`, problems }, redact);
}

/** A 2xx whose JSON the tool's output schema does not allow: shown, not passed off as a result. */
export function unexpectedResponse(tool: string, problems: readonly string[], response: unknown, redact: Redact): CallToolResult {
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
  401: 'The credential was refused. Check ANTHROPIC_API_KEY (management tools) or ANTHROPIC_ENVIRONMENT_KEY (work list and worker tools) in the server\'s env.',
  403: 'The credential may not do this: a work endpoint may need the other kind of key, or environments may be turned off for the organization.',
  404: 'Check the id: list_environments lists environments, list_work_items lists work items.',
  409: 'The item is already in that state (e.g. stopped).',
  412: 'Another heartbeat won: use details.current_state.last_heartbeat as expected_last_heartbeat, or stop if the state is stopping/stopped.',
  429: 'Rate limited: wait before calling again.',
  529: 'The API is overloaded: wait and try again.',
};

export function errorResult(err: unknown, tool: string, redact: Redact): CallToolResult {
  if (err instanceof ApiError) {
    return failure(
      {
        status: err.status,
        type: err.type,
        message: err.message,
        request_id: err.requestId ?? null,
        ...(err.details !== undefined ? { details: err.details } : {}),
        ...(err.retryAfterSeconds !== undefined ? { retry_after_seconds: err.retryAfterSeconds } : {}),
        ...(HINTS[err.status] ? { hint: HINTS[err.status] } : {}),
      },
      redact,
    );
  }
  if (err instanceof TransportError) {
    return failure(
      {
        type: err.failure,
        message: err.message,
        outcome_unknown: err.outcomeUnknown,
        request_id: err.requestId ?? null,
      },
      redact,
    );
  }
  if (err instanceof MissingCredentialError) {
    return failure({ type: 'missing_credential', message: err.message, variables: err.variables }, redact);
  }
  // A bug of ours: say so without a stack trace.
  return failure({ type: 'internal_error', message: `${tool} failed unexpectedly: ${(err as Error)?.message ?? String(err)}` }, redact);
}
