// How each host config we ship launches the server, read from the files
// themselves, with the substitutions a host makes. Tests start the server
// exactly that way, so a config that would not start fails a test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run.js';

export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export const pkg = readJson(join(ROOT, 'package.json')) as {
  name: string;
  version: string;
  mcpName: string;
  bin: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The one server entry of mcp.json, as written. */
export function mcpJsonLaunch(): Launch & { name: string } {
  const servers = readJson(join(ROOT, 'mcp.json')).mcpServers as Record<string, Launch>;
  const [name, entry] = Object.entries(servers)[0]!;
  return { name, command: entry.command, args: entry.args ?? [], env: entry.env ?? {} };
}

/**
 * The npm package of server.json as a registry client launches it: its
 * runtimeHint (`npx`) with the identifier, and the environment variables it
 * declares filled from `values` (else their default).
 */
export function serverJsonLaunch(values: Record<string, string>): Launch {
  const npmPackage = readJson(join(ROOT, 'server.json')).packages[0];
  const env: Record<string, string> = {};
  for (const v of npmPackage.environmentVariables as { name: string; default?: string }[]) {
    const value = values[v.name] ?? v.default;
    if (value !== undefined) env[v.name] = value;
  }
  return { command: npmPackage.runtimeHint, args: ['-y', npmPackage.identifier], env };
}

export type UserConfig = Record<string, string | boolean | undefined>;

/**
 * manifest.json's mcp_config as an MCP Bundle host runs it: `${__dirname}` is
 * the unpacked bundle, `${user_config.x}` what the user typed, else the
 * field's default. A blank field without a default becomes "" (`blank:
 * 'empty'`) or, as some hosts do, stays the literal placeholder.
 */
export function manifestLaunch(
  dir: string,
  userConfig: UserConfig,
  blank: 'empty' | 'placeholder' = 'empty',
): Launch {
  const manifest = readJson(join(dir, 'manifest.json'));
  const fields = manifest.user_config as Record<string, { default?: string | boolean }>;
  const fill = (text: string) =>
    text
      .replaceAll('${__dirname}', dir)
      .replace(/\$\{user_config\.([^}]+)\}/g, (whole, key: string) => {
        const value = userConfig[key] ?? fields[key]?.default;
        return value === undefined || value === ''
          ? blank === 'empty'
            ? ''
            : whole
          : String(value);
      });
  const config = manifest.server.mcp_config as Launch;
  return {
    // The host runs its own Node for server.type "node"; here, this one.
    command: config.command === 'node' ? process.execPath : config.command,
    args: (config.args ?? []).map(fill),
    env: Object.fromEntries(Object.entries(config.env ?? {}).map(([k, v]) => [k, fill(v)])),
  };
}

/**
 * Points an `npx [-y] <this package>` launch at the local build: what npx runs
 * is the package's bin, here `node <bin>` in the work tree. Other launches are
 * returned unchanged.
 */
export function atLocalBuild(launch: Launch): Launch {
  const npxArgs = launch.args.filter((a) => a !== '-y' && a !== '--yes');
  if (launch.command === 'npx' && npxArgs[0] === pkg.name) {
    return {
      ...launch,
      command: process.execPath,
      args: [join(ROOT, pkg.bin[pkg.name]!), ...npxArgs.slice(1)],
    };
  }
  return launch;
}
