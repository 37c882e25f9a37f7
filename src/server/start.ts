// Assembles the stdio server: configuration → tool inventory → API client →
// MCP server.
import { closeAllPools, createApiClient } from '../api/client.js';
import type { Config } from '../config/config.js';
import { buildInventory, readSwitches } from '../inventory/inventory.js';
import { allTools } from '../tools/index.js';
import { serveStdio } from '../transports/stdio.js';
import { createLogger } from './logger.js';
import { redactor } from './results.js';
import { attemptLogger, createMcpServer } from './server.js';

export const DEFAULT_RESPONSE_BUDGET_BYTES = 65_536;

/** `values` are the parsed settings by key (../config); a bad tool switch throws a ConfigError. */
export async function startServer(config: Config, pkg: { name: string; version: string }, values: Record<string, unknown> = {}): Promise<void> {
  // First, so that a bad switch stops the start before anything runs.
  const inventory = buildInventory(allTools, readSwitches(values, allTools));
  const logger = createLogger(config.logLevel);
  for (const note of inventory.notes) logger.log('warning', { message: note });
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
  const server = createMcpServer({
    config,
    client,
    inventory,
    confirm: (values.confirm as boolean | undefined) ?? true,
    responseBudgetBytes: (values.responseBudgetBytes as number | undefined) ?? DEFAULT_RESPONSE_BUDGET_BYTES,
    name: pkg.name,
    version: pkg.version,
    logger,
  });
  await serveStdio(server, cleanup);
}
