#!/usr/bin/env node
// The command line: parse the configuration once, then run the chosen mode.
// What only some modes need (the emulator) is imported only in those modes.
import { createRequire } from 'node:module';
import { ConfigError, helpText, parseConfig } from './config/config.js';

const BIN = 'agent-environments-mcp';
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

function fail(message: string): never {
  process.stderr.write(`${BIN}: ${message}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    // The tools each credential serves, from the build-time catalog (the operation table's credentials).
    const { loadCatalog } = await import('./inventory/catalog.js');
    const { credentialUses } = await import('./inventory/credential-use.js');
    process.stdout.write(`${helpText(BIN, credentialUses(loadCatalog().tools))}\n`); // stdout-ok: CLI help, not the MCP mode
    return;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${pkg.version}\n`); // stdout-ok: CLI version, not the MCP mode
    return;
  }
  const command = argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined;
  if (command === 'emulator') {
    const { runEmulatorCommand } = await import('./emulator/command.js');
    await runEmulatorCommand(argv.slice(1));
    return;
  }
  if (command === 'doctor') {
    const { runDoctor } = await import('./doctor/doctor.js');
    process.exitCode = await runDoctor(argv.slice(1), { pkg });
    return;
  }
  if (command !== undefined) fail(`unknown command "${command.slice(0, 40)}" (see --help)`);

  try {
    const { config, values } = parseConfig(argv);
    if (values.http) {
      // Lazy: the HTTP transport's modules stay out of the stdio start.
      const { startHttpServer } = await import('./transports/http.js');
      await startHttpServer(config, values, pkg);
      return;
    }
    if (values.credentials === 'from-request')
      fail('--credentials from-request needs --http (on stdio the keys come from the environment)');
    const { serveStdio } = await import('./transports/stdio.js');
    await serveStdio(config, values, pkg);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${BIN}: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
