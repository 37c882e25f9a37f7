// The one hook of the call pipeline for what watches calls from outside (the
// audit log, traces): told when a tool call begins, of each API attempt made
// on its behalf, and how it ended. Observers only watch: they cannot change
// a call or its result, and one that throws is ignored.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AttemptRecord } from '../api/client.js';

/** How the call went as far as a person is concerned. */
export type CallMode = 'call' | 'dry_run' | 'confirmed' | 'declined' | 'cancelled' | 'no_answer';

export interface CallInfo {
  tool: string;
  /** False for a tool that changes something (its readOnlyHint). */
  readOnly: boolean;
  /** The arguments as given; observers keep only ids from them. */
  args: Record<string, unknown>;
  /** The token's subject, or "stdio"; never a credential. */
  who: string;
  /** W3C trace context of the request (`_meta` first, then HTTP headers). */
  traceparent?: string;
  tracestate?: string;
}

export interface CallEnd {
  mode: CallMode;
  result: CallToolResult;
  durationMs: number;
}

export interface CallWatch {
  attempt?(record: AttemptRecord): void;
  end(end: CallEnd): void;
}

export interface CallObserver {
  begin(info: CallInfo): CallWatch | undefined;
}

/** Several observers as one; undefined when there are none. */
export function observers(list: readonly (CallObserver | undefined)[]): CallObserver | undefined {
  const all = list.filter((o): o is CallObserver => o !== undefined);
  if (all.length === 0) return undefined;
  if (all.length === 1) return all[0];
  return {
    begin(info) {
      const watches = all
        .map((o) => quietly(() => o.begin(info)))
        .filter((w): w is CallWatch => w !== undefined);
      return {
        attempt(r) {
          for (const w of watches) quietly(() => w.attempt?.(r));
        },
        end(e) {
          for (const w of watches) quietly(() => w.end(e));
        },
      };
    },
  };
}

function quietly<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

// The API client is built once per process and knows nothing of calls: its
// per-attempt hook finds the call it serves through the async context.
const current = new AsyncLocalStorage<CallWatch>();

/** For the client's onAttempt hook: hands the record to the call it belongs to. */
export function attemptObserved(record: AttemptRecord): void {
  const watch = current.getStore();
  if (watch) quietly(() => watch.attempt?.(record));
}

/** Runs one call watched: begin, attempts, end (with a throwing observer ignored). */
export async function watched(
  observer: CallObserver | undefined,
  info: CallInfo,
  run: (mode: { value: CallMode }) => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const mode = { value: 'call' as CallMode };
  const watch = observer ? quietly(() => observer.begin(info)) : undefined;
  if (!watch) return run(mode);
  const started = performance.now();
  const result = await current.run(watch, () => run(mode));
  quietly(() =>
    watch.end({ mode: mode.value, result, durationMs: Math.round(performance.now() - started) }),
  );
  return result;
}
