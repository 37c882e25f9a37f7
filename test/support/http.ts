// Runs the built CLI in --http mode as a process and connects the MCP SDK's
// own Client to it over StreamableHTTPClientTransport (real loopback sockets).
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  type StreamableHTTPClientTransportOptions,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI, cleanEnv } from './mcp.js';

export interface HttpServer {
  /** The MCP endpoint, as the server printed it. */
  url: string;
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface HttpOptions {
  args?: string[];
  env?: Record<string, string>;
}

/** Runs the CLI to its end (for refusals at start). */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const proc = spawn(process.execPath, [CLI, ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
  return { code, stderr };
}

export async function startHttp(opts: HttpOptions = {}): Promise<HttpServer> {
  const proc = spawn(process.execPath, [CLI, '--http', '--port', '0', ...(opts.args ?? [])], {
    env: cleanEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  proc.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line within 15 s; stderr: ${stderr}`)),
      15_000,
    );
    proc.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening; stderr: ${stderr}`));
    });
  });
  return {
    url,
    proc,
    stderr: () => stderr,
    exited: exited.then((code) => {
      // HTTP mode must keep stdout clean too: logs belong on stderr.
      if (stdout !== '') throw new Error(`unexpected stdout: ${stdout.slice(0, 200)}`);
      return code;
    }),
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export interface Connected {
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** An MCP client session over Streamable HTTP; `headers` go on every request. */
export async function connectHttp(
  url: string,
  headers: Record<string, string> = {},
  options: Omit<StreamableHTTPClientTransportOptions, 'requestInit'> = {},
): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...options,
    requestInit: { headers },
  });
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    call: (name, args = {}) =>
      client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: () => client.close(),
  };
}

/** The access-log lines the server wrote to stderr. */
export function accessLog(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'http');
}
