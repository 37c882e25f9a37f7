// The clients a host may embed, side by side, against the built server: the
// MCP SDK v2 `Client` in its two modes (2026-07-28 by server/discover, and
// plain 2025-11-25 initialize) and the 1.x SDK `Client` (2025-11-25), over
// stdio (the built CLI spawned) or Streamable HTTP (a URL).
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as HttpV2,
  type CallToolResult as ResultV2,
} from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI, cleanEnv } from './mcp.js';

/** Which client, and which generation it speaks. */
export type ClientKind = 'v2-modern' | 'v2-legacy' | 'v1';
export const CLIENT_KINDS: readonly ClientKind[] = ['v2-modern', 'v2-legacy', 'v1'];

/** What a person answers (as the client's elicitation handler); 'none' declares no elicitation capability. */
export type Person = 'accept' | 'decline' | 'cancel' | 'untick' | 'none';

export interface Driven {
  kind: ClientKind;
  /** The protocol revision the connection speaks. */
  protocol: () => string | undefined;
  /** The server/discover answer of a 2026-07-28 connection. */
  discover?: () => Record<string, unknown> | undefined;
  listTools(): Promise<{ name: string; _meta?: Record<string, unknown> }[]>;
  call(
    name: string,
    args?: Record<string, unknown>,
    opts?: { onprogress?: (p: { progress: number; total?: number }) => void; signal?: AbortSignal },
  ): Promise<CallToolResult>;
  /** The questions the person was asked. */
  asked: string[];
  serverInfo(): { name: string; version: string; icons?: unknown[] } | undefined;
  instructions(): string | undefined;
  /** Server process id (stdio only). */
  pid?: () => number | null;
  stderr: () => string;
  close(): Promise<void>;
}

/**
 * The SDK's own stdio transport probes server/discover on a throwaway sibling
 * process; a transport of its own (as hosts that manage the process have)
 * probes on the one process it starts.
 */
class OneProcessStdio extends StdioV2 {}

export interface DriveOptions {
  person?: Person;
  env?: Record<string, string>;
  args?: string[];
  /** The v2 client's own stdio transport, with its sibling probe (default: one process). */
  siblingProbe?: boolean;
  /** A server/discover answer from before: the v2 client then opens with no round trip at all. */
  prior?: Record<string, unknown>;
}

function answer(person: Person): {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, boolean>;
} {
  if (person === 'untick') return { action: 'accept', content: { confirm: false } };
  if (person === 'accept') return { action: 'accept', content: { confirm: true } };
  return { action: person as 'decline' | 'cancel' };
}

export async function drive(
  kind: ClientKind,
  where: { stdio: true } | { url: string; headers?: Record<string, string> },
  opts: DriveOptions = {},
): Promise<Driven> {
  const person = opts.person ?? 'none';
  const capabilities = person === 'none' ? {} : { elicitation: { form: {} } };
  const asked: string[] = [];
  let stderr = '';
  const stdioParams = {
    command: process.execPath,
    args: [CLI, ...(opts.args ?? [])],
    env: cleanEnv(opts.env),
    stderr: 'pipe' as const,
  };
  if (kind === 'v1') {
    const client = new ClientV1({ name: 'v1-test', version: '1.0.0' }, { capabilities });
    const { ElicitRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
    if (person !== 'none') {
      client.setRequestHandler(ElicitRequestSchema, async (req) => {
        asked.push(req.params.message);
        return answer(person);
      });
    }
    const transport =
      'url' in where
        ? new HttpV1(new URL(where.url), { requestInit: { headers: where.headers ?? {} } })
        : new StdioV1(stdioParams);
    if (transport instanceof StdioV1)
      transport.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    await client.connect(transport);
    return {
      kind,
      protocol: () => (transport instanceof HttpV1 ? transport.protocolVersion : '2025-11-25'),
      listTools: async () => (await client.listTools()).tools,
      call: (name, args = {}, o = {}) =>
        client.callTool({ name, arguments: args }, undefined, o) as Promise<CallToolResult>,
      asked,
      serverInfo: () => client.getServerVersion(),
      instructions: () => client.getInstructions(),
      pid: transport instanceof StdioV1 ? () => transport.pid : undefined,
      stderr: () => stderr,
      close: () => client.close(),
    };
  }
  const client = new ClientV2(
    { name: 'v2-test', version: '1.0.0' },
    {
      capabilities,
      ...(kind === 'v2-modern' ? { versionNegotiation: { mode: 'auto' as const } } : {}),
    },
  );
  if (person !== 'none') {
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(req.params.message);
      return answer(person);
    });
  }
  let transport: HttpV2 | StdioV2;
  if ('url' in where)
    transport = new HttpV2(new URL(where.url), { requestInit: { headers: where.headers ?? {} } });
  else {
    transport = opts.siblingProbe ? new StdioV2(stdioParams) : new OneProcessStdio(stdioParams);
    (transport as StdioV2).stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  }
  await client.connect(
    transport,
    opts.prior ? { prior: { kind: 'modern', discover: opts.prior as never } } : undefined,
  );
  return {
    kind,
    protocol: () => client.getNegotiatedProtocolVersion(),
    discover: () => client.getDiscoverResult() as Record<string, unknown> | undefined,
    listTools: async () => (await client.listTools()).tools,
    call: async (name, args = {}, o = {}) =>
      (await client.callTool(
        { name, arguments: args },
        o,
      )) as ResultV2 as unknown as CallToolResult,
    asked,
    serverInfo: () => client.getServerVersion(),
    instructions: () => client.getInstructions(),
    pid: transport instanceof StdioV2 ? () => (transport as StdioV2).pid : undefined,
    stderr: () => stderr,
    close: () => client.close(),
  };
}
