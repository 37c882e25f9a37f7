// Spawns the built CLI over stdio and connects the MCP SDK's own Client to it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface Spawned {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Launch this instead of the built CLI (a host config's command, an installed copy); `args` is then unused. */
  launch?: { command: string; args: string[]; cwd?: string };
  /** Passed to the Client constructor (e.g. elicitation capability). */
  capabilities?: ConstructorParameters<typeof Client>[1];
}

/** A clean environment: no ANTHROPIC_/AGENT_ENVIRONMENTS_ variables leak in from the machine. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('ANTHROPIC_') && !k.startsWith('AGENT_ENVIRONMENTS_'))
      env[k] = v;
  }
  return { ...env, ...extra };
}

export async function spawnServer(opts: SpawnOptions = {}): Promise<Spawned> {
  const transport = new StdioClientTransport({
    command: opts.launch?.command ?? process.execPath,
    args: opts.launch?.args ?? [CLI, ...(opts.args ?? [])],
    cwd: opts.launch?.cwd,
    env: cleanEnv(opts.env),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const client = new Client({ name: 'test', version: '1.0.0' }, opts.capabilities);
  await client.connect(transport);
  return {
    client,
    transport,
    stderr: () => stderr,
    call: (name, args = {}) =>
      client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: () => client.close(),
  };
}

/** The JSON of a tool result's text block. */
export function resultJson(result: CallToolResult): any {
  const first = result.content[0];
  if (first?.type !== 'text') throw new Error('no text content');
  return JSON.parse(first.text);
}
