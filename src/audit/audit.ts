// The audit log: one JSON line per tool call that changes something, and per
// call that was refused, declined or not answered. It says who, what, on
// which ids, how (dry run, confirmed…), with what outcome and how long. It
// holds ids and fixed words only: never a key, a token, a work secret or an
// argument's free text (names, descriptions, config).
import { appendFile } from 'node:fs/promises';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AttemptRecord } from '../api/client.js';
import type { CallMode, CallObserver } from '../calls/observe.js';

export interface AuditLine {
  time: string;
  who: string;
  tool: string;
  target: Record<string, string>;
  mode: CallMode | 'refused';
  outcome: {
    status: 'ok' | 'error' | 'not_done' | 'refused';
    /** The API's HTTP status of the last attempt, when one was made. */
    http_status?: number;
    error_type?: string;
    request_id?: string;
  };
  duration_ms: number;
}

export interface AuditSink {
  write(line: AuditLine): void;
  /** Resolves when every line so far is written (or reported). */
  flush(): Promise<void>;
}

const ID = /^[A-Za-z0-9_-]{1,128}$/;
const WORD = /^[a-z0-9_]{1,64}$/;
/** Arguments that name a target; nothing else of the arguments is kept. */
const TARGET_ARGS = ['environment_id', 'work_id'] as const;

/** Only id-shaped values of the target arguments: free text never reaches the log. */
export function targetIds(args: Record<string, unknown>): Record<string, string> {
  const target: Record<string, string> = {};
  for (const k of TARGET_ARGS) {
    const v = args[k];
    if (typeof v === 'string' && ID.test(v)) target[k] = v;
  }
  return target;
}

/** The error's type, status and request id from a failure result's JSON (see ../server/results.ts). */
function failureOf(result: CallToolResult): { type?: string; status?: number; requestId?: string } {
  const first = result.content?.[0];
  if (!result.isError || first?.type !== 'text') return {};
  try {
    const e = (JSON.parse(first.text) as { error?: Record<string, unknown> }).error ?? {};
    return {
      type: typeof e.type === 'string' && WORD.test(e.type) ? e.type : 'error',
      status: typeof e.status === 'number' ? e.status : undefined,
      requestId:
        typeof e.request_id === 'string' && ID.test(e.request_id) ? e.request_id : undefined,
    };
  } catch {
    return { type: 'error' };
  }
}

const NOT_DONE: ReadonlySet<CallMode> = new Set(['declined', 'cancelled', 'no_answer']);

/** The observer that writes the audit lines; read-only calls are left out. */
export function auditObserver(sink: AuditSink): CallObserver {
  return {
    begin(info) {
      let last: AttemptRecord | undefined;
      return {
        attempt: (r) => (last = r),
        end({ mode, result, durationMs }) {
          // Reads change nothing; their refusals at the gate are written by refusedLine.
          if (info.readOnly) return;
          const f = failureOf(result);
          const target = targetIds(info.args);
          const created = (result.structuredContent as { id?: unknown } | undefined)?.id;
          if (
            !result.isError &&
            typeof created === 'string' &&
            ID.test(created) &&
            !Object.values(target).includes(created)
          ) {
            target.result_id = created;
          }
          const requestId =
            f.requestId ??
            (last?.requestId && ID.test(last.requestId) ? last.requestId : undefined);
          sink.write({
            time: new Date().toISOString(),
            who: info.who,
            tool: info.tool,
            target,
            mode,
            outcome: {
              status: result.isError ? 'error' : NOT_DONE.has(mode) ? 'not_done' : 'ok',
              ...(last?.status !== undefined
                ? { http_status: last.status }
                : f.status !== undefined
                  ? { http_status: f.status }
                  : {}),
              ...(f.type ? { error_type: f.type } : {}),
              ...(requestId ? { request_id: requestId } : {}),
            },
            duration_ms: durationMs,
          });
        },
      };
    },
  };
}

/** A line for a call refused before it ran (e.g. the token lacks the scope). */
export function refusedLine(
  who: string,
  tool: string,
  args: Record<string, unknown>,
  errorType: string,
): AuditLine {
  return {
    time: new Date().toISOString(),
    who,
    tool,
    target: targetIds(args),
    mode: 'refused',
    outcome: { status: 'refused', error_type: errorType },
    duration_ms: 0,
  };
}

/**
 * Lines to stderr, or appended to a file (O_APPEND: whole lines, so replicas
 * may share one file on a local disk). A failed write is reported on stderr
 * with the line itself, so nothing is lost, and never delays a call's result.
 */
export function openAuditLog(
  dest: string,
  stderr: (text: string) => void = (t) => process.stderr.write(t),
): AuditSink {
  let chain = Promise.resolve();
  if (dest === 'stderr') {
    return {
      write: (line) => stderr(`${JSON.stringify({ audit: line })}\n`),
      flush: () => chain,
    };
  }
  return {
    write(line) {
      const text = `${JSON.stringify(line)}\n`;
      chain = chain.then(() =>
        appendFile(dest, text, { mode: 0o600 }).catch((err: NodeJS.ErrnoException) => {
          stderr(
            `${JSON.stringify({ level: 'error', msg: 'audit log write failed', file: dest, error: err.code ?? 'error', audit: line })}\n`,
          );
        }),
      );
    },
    flush: () => chain,
  };
}
