// Assembles the server: configuration → tool inventory → API client → MCP
// server. `assemble` is shared by stdio and HTTP mode, so both serve the same tools.
import {
  closeAllPools,
  createApiClient,
  type ApiClient,
  type ClientOptions,
} from '../api/client.js';
import type { Config, Values } from '../config/config.js';
import { buildInventory, readSwitches } from '../inventory/inventory.js';
import { allTools } from '../tools/index.js';
import { createLogger, type Logger } from './logger.js';
import { redactor } from '../api/redact.js';
import { attemptLogger, type Serving } from './server.js';

export const DEFAULT_RESPONSE_BUDGET_BYTES = 65_536;

export interface Assembled {
  /** The configuration in effect (in emulator mode: pointed at the emulator). */
  config: Config;
  logger: Logger;
  client: ApiClient;
  /** For clients built later with other credentials (HTTP, per request). */
  clientOptions: ClientOptions;
  serving: Serving;
  cleanup: () => Promise<void>;
}

/** `values` are the parsed settings by key (../config); a bad tool switch throws a ConfigError. */
export async function assemble(
  config: Config,
  pkg: { name: string; version: string },
  values: Values = {},
  opts: { notesLogged?: boolean } = {},
): Promise<Assembled> {
  // First, so that a bad switch stops the start before anything runs.
  const serving: Serving = {
    inventory: buildInventory(allTools, readSwitches(values, allTools)),
    confirm: values.confirm ?? true,
    responseBudgetBytes: values.responseBudgetBytes ?? DEFAULT_RESPONSE_BUDGET_BYTES,
  };
  const logger = createLogger(config.logLevel);
  if (!opts.notesLogged)
    for (const note of serving.inventory.notes) logger.log('warning', { message: note });
  let cleanup = closeAllPools;
  if (config.emulator) {
    const { startEmulator, EMULATOR_API_KEY, EMULATOR_ENVIRONMENT_KEY } = await import(
      '../emulator/index.js'
    );
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
    process.stderr.write(
      `agent-environments-mcp: emulator mode: serving against a local emulator at ${emulator.url}; nothing is real.\n`,
    );
  }
  const clientOptions: ClientOptions = {
    onAttempt: attemptLogger(logger),
    userAgent: `${pkg.name}/${pkg.version}`,
  };
  const client = createApiClient(config, clientOptions);
  logger.setRedactor(redactor(client.secrets));
  return { config, logger, client, clientOptions, serving, cleanup };
}
