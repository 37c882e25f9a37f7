// Assembles the server: configuration → API client → tools → MCP server.
// `assemble` is shared by stdio and HTTP mode, so both serve the same tools.
import { closeAllPools, createApiClient, type ApiClient, type ClientOptions } from '../api/client.js';
import type { Config } from '../config/config.js';
import { allTools, type ToolDefinition } from '../tools/index.js';
import { serveStdio } from '../transports/stdio.js';
import { createLogger, type Logger } from './logger.js';
import { redactor } from './results.js';
import { attemptLogger, createMcpServer } from './server.js';

export interface Assembled {
  /** The configuration in effect (in emulator mode: pointed at the emulator). */
  config: Config;
  logger: Logger;
  client: ApiClient;
  /** For clients built later with other credentials (HTTP, per request). */
  clientOptions: ClientOptions;
  tools: readonly ToolDefinition[];
  cleanup: () => Promise<void>;
}

export async function assemble(config: Config, pkg: { name: string; version: string }): Promise<Assembled> {
  const logger = createLogger(config.logLevel);
  let cleanup = closeAllPools;
  if (config.emulator) {
    const { startEmulator, EMULATOR_API_KEY, EMULATOR_ENVIRONMENT_KEY } = await import('../emulator/index.js');
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    // Placeholder credentials: the emulator accepts any non-empty one.
    config = {
      ...config,
      baseUrl: emulator.url,
      apiKey: config.apiKey ?? EMULATOR_API_KEY,
      environmentKey: config.environmentKey ?? EMULATOR_ENVIRONMENT_KEY,
    };
    cleanup = async () => {
      await closeAllPools();
      await emulator.close();
    };
    process.stderr.write(`agent-environments-mcp: emulator mode: serving against a local emulator at ${emulator.url}; nothing is real.\n`);
  }
  const clientOptions: ClientOptions = { onAttempt: attemptLogger(logger), userAgent: `${pkg.name}/${pkg.version}` };
  const client = createApiClient(config, clientOptions);
  logger.setRedactor(redactor(client.secrets));
  return { config, logger, client, clientOptions, tools: allTools, cleanup };
}

export async function startServer(config: Config, pkg: { name: string; version: string }): Promise<void> {
  const a = await assemble(config, pkg);
  const server = createMcpServer({ config: a.config, client: a.client, tools: a.tools, name: pkg.name, version: pkg.version, logger: a.logger });
  await serveStdio(server, a.cleanup);
}
