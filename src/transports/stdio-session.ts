// The full MCP session behind the stdio front: the SDK's stdio entry
// (serveStdio, which picks the protocol generation from the opening message
// and pins one server for the connection) with every tool, loaded on the
// first message the front does not answer itself. The front hands over each
// message's JSON; here it is checked as JSON-RPC and given to the SDK, and the
// SDK's answers go back out.
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Config, Values } from '../config/config.js';
import { assemble } from '../server/start.js';
import { createMcpServer } from '../server/server.js';
import { refuseNonMessage, type Message } from './lines.js';

// The ids of replayed requests: their answers were already sent by the front.
const REPLAYED = '__agent_environments_replayed__';

export interface SessionOptions {
  config: Config;
  values: Values;
  pkg: { name: string; version: string };
  send: (message: Message) => void;
  refused: (reason: string) => void;
  /**
   * The messages the front answered that set the connection's generation (an
   * initialize and its initialized, or a 2026-07-28 request), replayed first
   * so the SDK is where the front was.
   */
  opening: readonly Message[];
  /** The front already logged the start notes (tools a switch removed). */
  notesLogged: boolean;
}

export interface Session {
  deliver(value: unknown): void;
  close(): Promise<void>;
}

function isMessage(value: unknown): value is JSONRPCMessage {
  return (
    isJSONRPCRequest(value) ||
    isJSONRPCNotification(value) ||
    isJSONRPCResultResponse(value) ||
    isJSONRPCErrorResponse(value)
  );
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const a = await assemble(opts.config, opts.pkg, opts.values, { notesLogged: opts.notesLogged });
  const transport: Transport = {
    async start() {},
    async send(message: JSONRPCMessage) {
      if ('id' in message && typeof message.id === 'string' && message.id.startsWith(REPLAYED))
        return;
      opts.send(message as unknown as Message);
    },
    async close() {
      transport.onclose?.();
    },
  };
  const handle = serveStdio(
    () =>
      createMcpServer({
        ...a.serving,
        config: a.config,
        client: a.client,
        name: opts.pkg.name,
        version: opts.pkg.version,
        logger: a.logger,
      }),
    { transport, onerror: (err) => a.logger.log('debug', { message: err.message }) },
  );
  const receive = (message: JSONRPCMessage) => transport.onmessage?.(message);
  for (const [i, m] of opts.opening.entries()) {
    receive(('id' in m ? { ...m, id: `${REPLAYED}${i}` } : m) as unknown as JSONRPCMessage);
  }
  return {
    deliver(value) {
      if (isMessage(value)) receive(value);
      else refuseNonMessage(value, opts);
    },
    async close() {
      await Promise.allSettled([handle.close(), a.cleanup()]);
    },
  };
}
