// Assembles the stdio server: configuration → API client → tools → MCP server.
import { closeAllPools, createApiClient } from '../api/client.js';
import type { Config } from '../config/config.js';
import { allTools } from '../tools/index.js';
import { serveStdio } from '../transports/stdio.js';
import { createLogger } from './logger.js';
import { redactor } from './results.js';
import { attemptLogger, createMcpServer } from './server.js';

export async function startServer(config: Config, pkg: { name: string; version: string }): Promise<void> {
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
  const client = createApiClient(config, { onAttempt: attemptLogger(logger), userAgent: `${pkg.name}/${pkg.version}` });
  logger.setRedactor(redactor(client.secrets));
  const server = createMcpServer({ config, client, tools: allTools, name: pkg.name, version: pkg.version, logger });
  await serveStdio(server, cleanup);
}
