// `agent-environments-mcp emulator`: serve the emulated API until a signal.
// The base URL is the first line on stdout, so scripts can read it; all else
// goes to stderr.
import { ConfigError, isLoopbackHost, readSettings } from '../config/config.js';
import { SETTINGS, type Setting, type ValuesOf } from '../config/settings.js';
import { EMULATOR_API_KEY, EMULATOR_ENVIRONMENT_KEY, startEmulator } from './index.js';

/** The command's own switches; env twins are AGENT_ENVIRONMENTS_EMULATOR_<FLAG>. */
export const EMULATOR_SETTINGS = [
  {
    key: 'host',
    flag: 'host',
    env: 'AGENT_ENVIRONMENTS_EMULATOR_HOST',
    kind: 'string',
    help: 'Interface to listen on (default 127.0.0.1)',
  },
  {
    key: 'port',
    flag: 'port',
    env: 'AGENT_ENVIRONMENTS_EMULATOR_PORT',
    kind: 'integer',
    min: 0,
    max: 65_535,
    help: 'Port (default 0: any free port)',
  },
  {
    key: 'strictAuth',
    flag: 'strict-auth',
    env: 'AGENT_ENVIRONMENTS_EMULATOR_STRICT_AUTH',
    kind: 'boolean',
    help: 'Enforce credentials per endpoint (keys from ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN / ANTHROPIC_ENVIRONMENT_KEY, else the emulator placeholders)',
  },
  // The keys strict mode accepts: the same variables the server and the SDKs read.
  ...SETTINGS.filter(
    (s) => s.key === 'apiKey' || s.key === 'authToken' || s.key === 'environmentKey',
  ),
] as const satisfies readonly Setting[];

const NAME = 'agent-environments-mcp emulator';

export async function runEmulatorCommand(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  let values: ValuesOf<typeof EMULATOR_SETTINGS>;
  try {
    const read = readSettings(EMULATOR_SETTINGS, argv, env);
    if (read.positional.length > 0)
      throw new ConfigError(
        `unexpected argument "${read.positional[0]!.slice(0, 40)}" (see --help)`,
      );
    values = read.values;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${NAME}: ${err.message}\n`);
    process.exit(2);
  }
  const host = values.host ?? '127.0.0.1';
  const strict = values.strictAuth === true;
  const apiKeys = [values.apiKey, values.authToken].filter(
    (k): k is string => typeof k === 'string',
  );
  const environmentKeys = typeof values.environmentKey === 'string' ? [values.environmentKey] : [];

  const emulator = await startEmulator({
    host,
    port: values.port ?? 0,
    strictAuth: strict
      ? {
          apiKeys: apiKeys.length ? apiKeys : [EMULATOR_API_KEY],
          environmentKeys: environmentKeys.length ? environmentKeys : [EMULATOR_ENVIRONMENT_KEY],
        }
      : false,
    log: (line) => process.stderr.write(`${line}\n`),
  }).catch((err: NodeJS.ErrnoException) => {
    process.stderr.write(
      `${NAME}: cannot listen on ${host}:${String(values.port ?? 0)}: ${err.code ?? err.message}\n`,
    );
    process.exit(1);
  });

  process.stdout.write(`${emulator.url}\n`); // stdout-ok: the emulator command's contract: base URL first
  const auth = strict
    ? `strict auth: API key from ${apiKeys.length ? 'ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN' : `the placeholder "${EMULATOR_API_KEY}"`}, ` +
      `environment key from ${environmentKeys.length ? 'ANTHROPIC_ENVIRONMENT_KEY' : `the placeholder "${EMULATOR_ENVIRONMENT_KEY}"`}`
    : 'lenient auth: any non-empty credential';
  process.stderr.write(
    `${NAME}: serving the Environments and Work API at ${emulator.url} (${auth}). Nothing is real; state is lost on exit.\n` +
      `  enqueue work: POST ${emulator.url}/_emulator/environments/{environment_id}/work\n` +
      '  stop with Ctrl-C\n',
  );
  if (!isLoopbackHost(host)) {
    process.stderr.write(
      `${NAME}: warning: ${host} is not a loopback address; anyone who can reach it can use the emulator.\n`,
    );
  }

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void emulator.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
