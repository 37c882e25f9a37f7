// The built CLI on raw stdio pipes, without the SDK: for feeding it bytes no
// well-behaved client would send, and for watching how the process ends.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI, cleanEnv } from './mcp.js';

export interface RawServer {
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far, parsed (a line that is not JSON fails `assertJsonOnly`). */
  messages: any[];
  stdout: () => string;
  stderr: () => string;
  write(data: string | object): void;
  /** Waits for a stdout message matching `match`. */
  next(match: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Sends a request and waits for the answer with its id. */
  request(method: string, params?: object, id?: number | string): Promise<any>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Throws unless stdout held only complete lines of JSON. */
  assertJsonOnly(): void;
  kill(): void;
}

let nextId = 1000;

export function spawnRaw(env: Record<string, string> = {}, args: string[] = []): RawServer {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env), stdio: 'pipe' });
  let out = '';
  let err = '';
  let parsedUpTo = 0;
  const messages: any[] = [];
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    for (let nl = out.indexOf('\n', parsedUpTo); nl !== -1; nl = out.indexOf('\n', parsedUpTo)) {
      const line = out.slice(parsedUpTo, nl);
      parsedUpTo = nl + 1;
      try {
        messages.push(JSON.parse(line));
      } catch {
        messages.push({ __notJson: line });
      }
    }
    for (const w of waiters) w();
  });
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  // A test that ends early must not leave the child writing into closed pipes.
  child.stdin.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

  const raw: RawServer = {
    child,
    messages,
    stdout: () => out,
    stderr: () => err,
    write(data) {
      child.stdin.write(typeof data === 'string' ? data : `${JSON.stringify(data)}\n`);
    },
    next(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found === undefined) return false;
          clearTimeout(timer);
          waiters.delete(onData);
          resolve(found);
          return true;
        };
        const onData = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(onData);
          reject(
            new Error(`no matching message within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(onData);
      });
    },
    request(method, params, id = nextId++) {
      raw.write({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
      return raw.next((m) => m.id === id && ('result' in m || 'error' in m));
    },
    exited,
    assertJsonOnly() {
      const bad = messages.filter((m) => m && typeof m === 'object' && '__notJson' in m);
      if (bad.length)
        throw new Error(
          `stdout carried non-JSON lines: ${JSON.stringify(bad.slice(0, 3)).slice(0, 500)}`,
        );
      if (out.length && !out.endsWith('\n'))
        throw new Error(`stdout ends in a partial line: ${out.slice(-200)}`);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  return raw;
}

export const INITIALIZE = {
  protocolVersion: '2025-06-18',
  capabilities: {},
  clientInfo: { name: 'raw-test', version: '1.0.0' },
};
