// The server factory in this process, on the SDK's in-memory transport, with
// the emulator on a loopback port behind it: a change to src/calls or
// src/server is tested from source in seconds, without a build. The
// end-to-end suites (./mcp.ts) still drive the built CLI over stdio.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { parseConfig } from '../../src/config/config.js';
import {
  EMULATOR_API_KEY,
  EMULATOR_ENVIRONMENT_KEY,
  startEmulator,
  type EmulatorHandle,
} from '../../src/emulator/index.js';
import { createMcpServer } from '../../src/server/server.js';
import { assemble } from '../../src/server/start.js';

const PKG = { name: 'agent-environments-mcp', version: '0.0.0-in-process' };

export interface InProcess {
  client: Client;
  emulator: EmulatorHandle;
  close(): Promise<void>;
}

export interface InProcessOptions {
  /** Flags, as on the command line (e.g. ['--toolsets', 'worker']). */
  argv?: string[];
  /** Environment variables besides the emulator's URL and keys (set to '' to leave one out). */
  env?: Record<string, string>;
  capabilities?: ClientCapabilities;
  /** Answers the server's elicitation requests (with capabilities.elicitation). */
  elicit?: (message: string) => {
    action: 'accept' | 'decline' | 'cancel';
    content?: Record<string, unknown>;
  };
}

export async function inProcess(opts: InProcessOptions = {}): Promise<InProcess> {
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
  const { config, values } = parseConfig(opts.argv ?? [], {
    ANTHROPIC_BASE_URL: emulator.url,
    ANTHROPIC_API_KEY: EMULATOR_API_KEY,
    ANTHROPIC_ENVIRONMENT_KEY: EMULATOR_ENVIRONMENT_KEY,
    AGENT_ENVIRONMENTS_LOG_LEVEL: 'error',
    ...opts.env,
  });
  const a = await assemble(config, PKG, values);
  const server = createMcpServer({
    ...a.serving,
    config: a.config,
    client: a.client,
    ...PKG,
    logger: a.logger,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(
    { name: 'in-process-test', version: '1.0.0' },
    { capabilities: opts.capabilities ?? {} },
  );
  if (opts.elicit) {
    const { ElicitRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
    const answer = opts.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (request) =>
      answer(request.params.message),
    );
  }
  await client.connect(clientSide);
  return {
    client,
    emulator,
    async close() {
      await client.close();
      await server.close();
      await a.cleanup();
      await emulator.close();
    },
  };
}
