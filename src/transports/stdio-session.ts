// The full MCP session behind the stdio front: the SDK server with every
// tool, loaded on the first message the front does not answer itself. The
// front hands over each message's JSON; here it is checked as JSON-RPC and
// given to the SDK, and the SDK's answers go back out.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Config, Values } from '../config/config.js';
import { assemble } from '../server/start.js';
import { createMcpServer } from '../server/server.js';
import { refuseNonMessage, type Message } from './lines.js';

// The id of the replayed initialize: its answer was already sent by the front.
const REPLAYED = '__agent_environments_replayed_initialize__';

export interface SessionOptions {
  config: Config;
  values: Values;
  pkg: { name: string; version: string };
  send: (message: Message) => void;
  refused: (reason: string) => void;
  /** The initialize the front answered, and whether `initialized` followed: replayed so the SDK knows the client. */
  initialize?: Record<string, unknown>;
  initialized: boolean;
  /** The front already logged the start notes (tools a switch removed). */
  notesLogged: boolean;
}

export interface Session {
  deliver(value: unknown): void;
  close(): Promise<void>;
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const a = await assemble(opts.config, opts.pkg, opts.values, { notesLogged: opts.notesLogged });
  const server = createMcpServer({
    ...a.serving,
    config: a.config,
    client: a.client,
    name: opts.pkg.name,
    version: opts.pkg.version,
    logger: a.logger,
  });
  const transport: Transport = {
    async start() {},
    async send(message: JSONRPCMessage) {
      if ('id' in message && message.id === REPLAYED) return;
      opts.send(message as Message);
    },
    async close() {
      transport.onclose?.();
    },
  };
  await server.connect(transport);
  const receive = (message: JSONRPCMessage) => transport.onmessage?.(message);
  if (opts.initialize)
    receive({
      jsonrpc: '2.0',
      id: REPLAYED,
      method: 'initialize',
      params: opts.initialize,
    } as JSONRPCMessage);
  if (opts.initialized) receive({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return {
    deliver(value) {
      const parsed = JSONRPCMessageSchema.safeParse(value);
      if (parsed.success) receive(parsed.data);
      else refuseNonMessage(value, opts);
    },
    async close() {
      await Promise.allSettled([server.close(), a.cleanup()]);
    },
  };
}
