// Reads the switches from flags and environment variables, once, at start.
// A malformed value is a ConfigError naming the flag or variable; a missing
// credential is not an error here: the tool that needs it says so.
import { SETTINGS, type Setting, type Values, type ValuesOf } from './settings.js';

export type { Values } from './settings.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_API_VERSION = '2023-06-01';
export const REQUIRED_BETA = 'managed-agents-2026-04-01';

const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

export interface Config {
  apiKey?: string;
  authToken?: string;
  environmentKey?: string;
  baseUrl: string;
  apiVersion: string;
  /** All anthropic-beta values, the required one included. */
  betas: string[];
  workspaceId?: string;
  timeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
  maxResponseBytes: number;
  revealWorkSecret: boolean;
  logLevel: LogLevel;
  emulator: boolean;
}

type Raw = Map<string, { text: string; from: string }>;

/**
 * Hosts fill `${user_config.x}` (MCP Bundles) or `${input:x}` (VS Code) from
 * what the user typed; some pass the placeholder through unchanged when an
 * optional field is left blank. That means "not set", not a key or URL.
 */
export function isUnfilledPlaceholder(value: string): boolean {
  return /^\$\{[^}]*\}$/.test(value);
}

/** Collects flag values (which win) over environment values. */
function collect(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  table: readonly Setting[],
): { raw: Raw; positional: string[] } {
  const settingForFlag = (flag: string) => table.find((s) => s.flag === flag);
  const raw: Raw = new Map();
  for (const s of table) {
    const v = env[s.env];
    if (v !== undefined && v !== '' && !isUnfilledPlaceholder(v))
      raw.set(s.key, { text: v, from: s.env });
  }
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let text: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    let setting = settingForFlag(name);
    if (!setting && name.startsWith('no-')) {
      const negated = settingForFlag(name.slice(3));
      if (negated?.kind === 'boolean' && text === undefined) {
        setting = negated;
        name = name.slice(3);
        text = 'false';
      }
    }
    if (!setting) throw new ConfigError(`unknown flag --${name} (see --help)`);
    if (text === undefined) {
      if (setting.kind === 'boolean') text = 'true';
      else {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith('--'))
          throw new ConfigError(`--${name} needs a value`);
        text = next;
        i++;
      }
    }
    raw.set(setting.key, { text, from: `--${name}` });
  }
  return { raw, positional };
}

function convert(s: Setting, text: string, from: string): unknown {
  switch (s.kind) {
    case 'string':
      if (/[\x00-\x1f\x7f]/.test(text))
        throw new ConfigError(`${from}: must not contain control characters`);
      return text;
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(text)) return true;
      if (/^(false|0|no|off)$/i.test(text)) return false;
      throw new ConfigError(`${from}: must be true or false, got "${text.slice(0, 40)}"`);
    case 'integer': {
      if (!/^\d+$/.test(text))
        throw new ConfigError(`${from}: must be a whole number, got "${text.slice(0, 40)}"`);
      const n = Number(text);
      if ((s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max)) {
        throw new ConfigError(`${from}: must be between ${s.min} and ${s.max}, got ${n}`);
      }
      return n;
    }
    case 'list':
      return text
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
  }
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

function checkBaseUrl(text: string, from: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${from}: not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(
      `${from}: must be https:// (plain http:// only to a loopback host, or the key would travel in clear)`,
    );
  }
  if (url.username || url.password)
    throw new ConfigError(`${from}: must not contain a user name or password`);
  if (url.search || url.hash)
    throw new ConfigError(`${from}: must not contain a query or fragment`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export interface Parsed {
  config: Config;
  /** Words that are not flags, e.g. the `emulator` or `doctor` command. */
  positional: string[];
  /** Every parsed value by key, typed by the settings table, for the modules that read their own. */
  values: Values;
}

/** Reads a table of settings (e.g. a command's own) from flags over environment variables. */
export function readSettings<T extends readonly Setting[]>(
  table: T,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { values: ValuesOf<T>; positional: string[]; raw: Raw } {
  const { raw, positional } = collect(argv, env, table);
  const values: Record<string, unknown> = {};
  for (const s of table) {
    const r = raw.get(s.key);
    if (r) values[s.key] = convert(s, r.text, r.from);
  }
  // `convert` reads each kind as KindValue says, so this is the type the table declares.
  return { values: values as ValuesOf<T>, positional, raw };
}

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Parsed {
  const { values, positional, raw } = readSettings(SETTINGS, argv, env);
  const baseUrlRaw = raw.get('baseUrl');
  const logLevel = values.logLevel ?? 'warning';
  if (!isLogLevel(logLevel)) {
    throw new ConfigError(`${raw.get('logLevel')?.from}: must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const betas = values.betas ?? [];
  for (const b of betas) {
    if (!/^[A-Za-z0-9._-]+$/.test(b))
      throw new ConfigError(`${raw.get('betas')?.from}: "${b.slice(0, 40)}" is not a beta name`);
  }
  const config: Config = {
    apiKey: values.apiKey,
    authToken: values.authToken,
    environmentKey: values.environmentKey,
    baseUrl: baseUrlRaw ? checkBaseUrl(baseUrlRaw.text, baseUrlRaw.from) : DEFAULT_BASE_URL,
    apiVersion: values.apiVersion ?? DEFAULT_API_VERSION,
    betas: [...betas.filter((b) => b !== REQUIRED_BETA), REQUIRED_BETA],
    workspaceId: values.workspaceId,
    timeoutMs: values.timeoutMs ?? 30_000,
    deadlineMs: values.deadlineMs ?? 60_000,
    maxRetries: values.maxRetries ?? 2,
    maxResponseBytes: values.maxResponseBytes ?? 10 * 1024 * 1024,
    revealWorkSecret: values.revealWorkSecret ?? false,
    logLevel,
    emulator: values.emulator ?? false,
  };
  for (const [key, name] of [
    ['apiKey', 'ANTHROPIC_API_KEY'],
    ['authToken', 'ANTHROPIC_AUTH_TOKEN'],
    ['environmentKey', 'ANTHROPIC_ENVIRONMENT_KEY'],
  ] as const) {
    const v = config[key];
    // Header values cannot hold these; say so now rather than on the first call.
    if (v !== undefined && !/^[\x21-\x7e]+$/.test(v))
      throw new ConfigError(`${name}: must be visible ASCII without spaces`);
  }
  for (const key of ['apiVersion', 'workspaceId'] as const) {
    const r = raw.get(key);
    // Sent as header values: anything else would fail every call, not the start.
    if (r && !/^[\x21-\x7e]+$/.test(r.text))
      throw new ConfigError(`${r.from}: must be visible ASCII without spaces`);
  }
  return { config, positional, values };
}

/**
 * `--help`. `uses` names, by credential variable, the tools that take it
 * (../inventory/credential-use.ts, from the operation table), appended to
 * that variable's line.
 */
export function helpText(bin: string, uses: Readonly<Record<string, string>> = {}): string {
  const flagOf = (s: Setting) =>
    s.flag ? `--${s.flag}${s.kind === 'boolean' ? '' : ' <value>'}` : '';
  // Columns as wide as their longest entry, so no long flag or variable breaks the alignment.
  const fw = Math.max(...SETTINGS.map((s) => flagOf(s).length));
  const ew = Math.max(...SETTINGS.map((s) => s.env.length));
  const help = (s: Setting) => (uses[s.env] ? `${s.help}: ${uses[s.env]}` : s.help);
  const rows = SETTINGS.map((s) => `  ${flagOf(s).padEnd(fw)} ${s.env.padEnd(ew)} ${help(s)}`);
  return [
    `Usage: ${bin} [flags]            serve MCP on stdio`,
    `       ${bin} doctor [--environment-id env_…] [flags]   check the setup: configuration, network, each key`,
    `       ${bin} --emulator         serve MCP on stdio against a local emulator (nothing is real)`,
    `       ${bin} --http [--host 127.0.0.1] [--port 3000] [--path /mcp]   serve MCP over Streamable HTTP (README: Running for a team)`,
    `       ${bin} emulator [--host 127.0.0.1] [--port 0] [--strict-auth]   run the API emulator`,
    '',
    'Every flag has an environment variable twin; the flag wins.',
    `  ${'flag'.padEnd(fw)} ${'environment variable'.padEnd(ew)} meaning`,
    ...rows,
    `  ${'--help'.padEnd(fw)} ${''.padEnd(ew)} this text`,
    `  ${'--version'.padEnd(fw)} ${''.padEnd(ew)} print the version`,
  ].join('\n');
}
