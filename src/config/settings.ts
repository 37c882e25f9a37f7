// Every switch of the server, declared once: its flag, its environment
// variable twin, how its text is read, and its help line. `--help` is printed
// from this table, so the two cannot drift apart, and the type of the parsed
// values (`Values`) is derived from it, so no reader casts.

export type Kind = 'string' | 'boolean' | 'integer' | 'list';

/** What a setting of each kind reads as. */
export interface KindValue {
  string: string;
  boolean: boolean;
  integer: number;
  list: string[];
}

export interface Setting<K extends string = string, T extends Kind = Kind> {
  /** Key in the parsed configuration. */
  key: K;
  /** Long flag without the dashes; absent for values that must not sit on a command line. */
  flag?: string;
  env: string;
  kind: T;
  help: string;
  min?: number;
  max?: number;
  secret?: boolean;
}

/** The parsed values of a table of settings: each key typed by its kind, absent when not set. */
export type ValuesOf<T extends readonly Setting[]> = {
  [S in T[number] as S['key']]?: KindValue[S['kind']];
};

/** `timeout-ms` → `timeoutMs`, in types as `own` does it in values. */
type Camel<S extends string> = S extends `${infer H}-${infer R}`
  ? `${H}${Capitalize<Camel<R>>}`
  : S;

/** `--read-only` ↔ `AGENT_ENVIRONMENTS_READ_ONLY`. */
function own<F extends string, T extends Kind>(
  flag: F,
  kind: T,
  help: string,
  extra: Partial<Omit<Setting, 'key' | 'kind'>> = {},
): Setting<Camel<F>, T> {
  const key = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as Camel<F>;
  return {
    key,
    flag,
    env: `AGENT_ENVIRONMENTS_${flag.toUpperCase().replace(/-/g, '_')}`,
    kind,
    help,
    ...extra,
  };
}

/** A setting that is not `own`: an Anthropic variable, or one without a flag. */
function setting<K extends string, T extends Kind>(s: Setting<K, T>): Setting<K, T> {
  return s;
}

export const SETTINGS = [
  // Anthropic's own settings keep the names the official SDKs read. Credentials
  // have no flag: a command line is visible to every user of the machine.
  // `--help` adds to a credential's line the tools that take it (../cli.ts).
  setting({
    key: 'apiKey',
    env: 'ANTHROPIC_API_KEY',
    kind: 'string',
    secret: true,
    help: 'Claude API key',
  }),
  setting({
    key: 'authToken',
    env: 'ANTHROPIC_AUTH_TOKEN',
    kind: 'string',
    secret: true,
    help: 'OAuth-style bearer token, used where the API key is (if no API key)',
  }),
  setting({
    key: 'environmentKey',
    env: 'ANTHROPIC_ENVIRONMENT_KEY',
    kind: 'string',
    secret: true,
    help: 'Self-hosted environment key',
  }),
  setting({
    key: 'baseUrl',
    flag: 'base-url',
    env: 'ANTHROPIC_BASE_URL',
    kind: 'string',
    help: 'API base URL (default https://api.anthropic.com; http:// only to loopback)',
  }),
  setting({
    key: 'apiVersion',
    flag: 'api-version',
    env: 'ANTHROPIC_VERSION',
    kind: 'string',
    help: 'anthropic-version header (default 2023-06-01)',
  }),
  setting({
    key: 'betas',
    flag: 'beta',
    env: 'ANTHROPIC_BETA',
    kind: 'list',
    help: 'Extra anthropic-beta values, comma-separated',
  }),
  setting({
    key: 'workspaceId',
    flag: 'workspace-id',
    env: 'ANTHROPIC_WORKSPACE_ID',
    kind: 'string',
    help: 'anthropic-workspace-id for management calls',
  }),
  own('timeout-ms', 'integer', 'Time limit of one HTTP attempt (default 30000)', {
    min: 100,
    max: 600_000,
  }),
  own(
    'deadline-ms',
    'integer',
    'Time limit of a whole tool call, retries included (default 60000)',
    { min: 100, max: 3_600_000 },
  ),
  own('max-retries', 'integer', 'Retries of a failed request (default 2)', { min: 0, max: 10 }),
  own('max-response-bytes', 'integer', 'Largest API response accepted (default 10485760)', {
    min: 1024,
    max: 1_073_741_824,
  }),
  own('reveal-work-secret', 'boolean', 'Show work items\' secret instead of "[redacted]"'),
  own('log-level', 'string', 'stderr log level: debug, info, warning, error (default warning)'),
  own('emulator', 'boolean', 'Serve against an in-process emulator of the API; nothing is real'),
  // Which tools exist and how they behave (read by ../inventory and ../server/start.ts).
  own('read-only', 'boolean', 'Register only read-only tools (wins over the switches below)'),
  own('toolsets', 'list', 'Tool groups to register: environments, work, worker (default all)'),
  own('tools', 'list', 'Register exactly these tools (added to --toolsets when both are given)'),
  own('exclude-tools', 'list', 'Do not register these tools'),
  own(
    'environment-id',
    'string',
    'Scope to one environment (env_…): environment_id is filled in; create/list environments are gone. doctor tests the environment key against it',
  ),
  own(
    'confirm',
    'boolean',
    'Ask a person before delete, archive and forced stop, when the client can (default true; --no-confirm)',
  ),
  own(
    'response-budget-bytes',
    'integer',
    'Largest list result; longer ones are cut with a next_page (default 65536)',
    { min: 1024, max: 10_485_760 },
  ),
  // The stdio front (src/transports/stdio.ts); off, every message goes to the SDK session.
  own(
    'stdio-front',
    'boolean',
    'Stdio: answer initialize and tools/list before loading the SDK (default true; --no-stdio-front to debug a host)',
  ),
  // Streamable HTTP mode (src/transports/http*.ts); ignored on stdio.
  own('http', 'boolean', 'Serve MCP over Streamable HTTP instead of stdio'),
  own(
    'host',
    'string',
    'HTTP: address to bind (default 127.0.0.1; anything but loopback needs an access token)',
  ),
  own('port', 'integer', 'HTTP: port to listen on (default 3000; 0 picks a free one)', {
    min: 0,
    max: 65_535,
  }),
  own('path', 'string', 'HTTP: path of the MCP endpoint (default /mcp)'),
  own(
    'http-token-file',
    'string',
    'HTTP: file holding the access token clients must send as Authorization: Bearer',
  ),
  setting({
    key: 'httpToken',
    env: 'AGENT_ENVIRONMENTS_HTTP_TOKEN',
    kind: 'string',
    secret: true,
    help: 'HTTP: the access token itself (instead of --http-token-file)',
  }),
  own(
    'allowed-hosts',
    'list',
    'HTTP: Host names accepted besides loopback names and the bound address, comma-separated',
  ),
  own(
    'allowed-origins',
    'list',
    'HTTP: browser Origins accepted besides the same origin, comma-separated',
  ),
  own(
    'credentials',
    'string',
    "HTTP: whose Anthropic keys: env (default, the server's own) or from-request (x-anthropic-* headers)",
  ),
  own('http-max-body-bytes', 'integer', 'HTTP: largest request body accepted (default 1048576)', {
    min: 1024,
    max: 67_108_864,
  }),
  own(
    'http-request-timeout-ms',
    'integer',
    'HTTP: time limit of one MCP request (default 120000)',
    { min: 1000, max: 3_600_000 },
  ),
] as const;

/** The server's parsed settings by key. */
export type Values = ValuesOf<typeof SETTINGS>;
