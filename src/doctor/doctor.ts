// `agent-environments-mcp doctor`: a first-run check for a person at a
// terminal. It reads the configuration the way the server does, reaches the
// API, makes one read call with each configured credential, and prints what
// works and what to fix. It is a CLI command, so its report goes to stdout.
import { closeAllPools, createApiClient } from '../api/client.js';
import { ConfigError, parseConfig, type Config } from '../config/config.js';
import { SETTINGS } from '../config/settings.js';
import { redactor } from '../api/redact.js';
import { EnvironmentId } from '../shapes/common.js';
import {
  checkApiKey,
  checkEnvironment,
  checkEnvironmentKey,
  checkNetwork,
  describeSecret,
  type Finding,
} from './checks.js';

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  write?: (text: string) => void;
  pkg: { name: string; version: string };
}

// A doctor should answer in seconds, not wait out the server's generous limits.
const DOCTOR_TIMEOUT_MS = 10_000;
const DOCTOR_DEADLINE_MS = 20_000;

const variable = (key: string) => SETTINGS.find((s) => s.key === key)!.env;

/** Runs every check and prints the report; resolves to the exit code (0: all is well). */
export async function runDoctor(argv: readonly string[], opts: DoctorOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const write = opts.write ?? ((t: string) => process.stdout.write(t)); // stdout-ok: doctor is a CLI report
  const findings: Finding[] = [];
  let secrets: string[] = [];
  try {
    const { config, environmentId } = readConfiguration(argv, env, findings);
    if (config) {
      secrets = [config.apiKey, config.authToken, config.environmentKey].filter(
        (s): s is string => !!s,
      );
      await checkAll(config, environmentId, env, findings, opts.pkg);
    }
  } finally {
    await closeAllPools();
  }
  write(redactor(() => secrets)(report(findings, opts.pkg)));
  return findings.some((f) => f.status === 'fail') ? 1 : 0;
}

function readConfiguration(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  findings: Finding[],
): { config?: Config; environmentId?: string } {
  const name = 'configuration';
  try {
    const { config, positional, values } = parseConfig(argv, env);
    if (positional.length)
      throw new ConfigError(`unexpected argument "${positional[0]!.slice(0, 40)}" (see --help)`);
    const { environmentId } = values;
    if (environmentId !== undefined) {
      const ok = EnvironmentId.safeParse(environmentId);
      if (!ok.success)
        throw new ConfigError(
          `--environment-id / ${variable('environmentId')}: ${ok.error.issues[0]?.message}`,
        );
    }
    const parts = [`base URL ${config.baseUrl}`, `anthropic-version ${config.apiVersion}`];
    if (config.workspaceId) parts.push(`workspace ${config.workspaceId}`);
    if (environmentId) parts.push(`environment ${environmentId}`);
    findings.push({ status: 'ok', name, detail: `${parts.join(', ')}.` });
    return { config, environmentId };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    findings.push({
      status: 'fail',
      name,
      detail: err.message,
      fix: "Correct that value in the env of this server in your host's config (or on the command line); --help lists every switch.",
    });
    return {};
  }
}

async function checkAll(
  config: Config,
  environmentId: string | undefined,
  env: NodeJS.ProcessEnv,
  findings: Finding[],
  pkg: DoctorOptions['pkg'],
): Promise<void> {
  if (config.emulator) {
    findings.push({
      status: 'ok',
      name: 'emulator',
      detail:
        'emulator mode: the server talks to its built-in emulator; no key or network is needed, and nothing is real.',
    });
    return;
  }
  const network = await checkNetwork(config, Math.min(config.timeoutMs, DOCTOR_TIMEOUT_MS), env);
  findings.push(network);
  const reachable = network.status !== 'fail';
  const client = createApiClient(
    {
      ...config,
      timeoutMs: Math.min(config.timeoutMs, DOCTOR_TIMEOUT_MS),
      deadlineMs: Math.min(config.deadlineMs, DOCTOR_DEADLINE_MS),
    },
    { userAgent: `${pkg.name}/${pkg.version} (doctor)` },
  );
  const apiKeyVar = config.apiKey
    ? variable('apiKey')
    : config.authToken
      ? variable('authToken')
      : undefined;
  const envKeyVar = variable('environmentKey');
  const unreachable = (name: string): Finding => ({
    status: 'skip',
    name,
    detail: 'not tried: the API is not reachable (see above).',
  });

  let apiKeyWorks = false;
  if (!apiKeyVar) {
    findings.push(
      config.environmentKey
        ? {
            status: 'warn',
            name: 'API key',
            detail: `${variable('apiKey')} is not set: the environment tools and work get/update/stop/stats will answer "missing credential".`,
            fix: `Set ${variable('apiKey')} if you want those tools; a worker-only setup needs just ${envKeyVar}.`,
          }
        : {
            status: 'fail',
            name: 'API key',
            detail: `no credential is set: neither ${variable('apiKey')} nor ${envKeyVar}.`,
            fix: `Set ${variable('apiKey')} (Claude Console → Settings → API keys) in the env of this server in your host's config, then restart the server.`,
          },
    );
  } else if (!reachable) {
    findings.push(unreachable('API key'));
  } else {
    const label = `${apiKeyVar} (${describeSecret((config.apiKey ?? config.authToken)!)})`;
    const found = await checkApiKey(client, label);
    apiKeyWorks = found.status === 'ok';
    findings.push(found);
  }

  if (environmentId && apiKeyWorks) findings.push(await checkEnvironment(client, environmentId));

  if (!config.environmentKey) {
    findings.push({
      status: 'skip',
      name: 'environment key',
      detail: `${envKeyVar} is not set: only list_work_items and the worker tools (poll, ack, heartbeat) need it.`,
    });
  } else if (!environmentId) {
    findings.push({
      status: 'warn',
      name: 'environment key',
      detail: `${envKeyVar} is ${describeSecret(config.environmentKey)} but not tested: a check needs the environment it belongs to.`,
      fix: 'Run doctor again with --environment-id env_… (the self-hosted environment of this key; list_environments lists them).',
    });
  } else if (!reachable) {
    findings.push(unreachable('environment key'));
  } else {
    findings.push(
      await checkEnvironmentKey(
        client,
        `${envKeyVar} (${describeSecret(config.environmentKey)})`,
        environmentId,
      ),
    );
  }
}

const MARK: Record<Finding['status'], string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: '-' };

function report(findings: readonly Finding[], pkg: DoctorOptions['pkg']): string {
  const lines = [`${pkg.name} ${pkg.version} doctor`, ''];
  for (const f of findings) {
    lines.push(`  ${MARK[f.status].padEnd(5)} ${f.name.padEnd(16)} ${f.detail}`);
    if (f.fix) lines.push(`  ${''.padEnd(5)} ${''.padEnd(16)} fix: ${f.fix}`);
  }
  const failed = findings.filter((f) => f.status === 'fail').length;
  const warned = findings.filter((f) => f.status === 'warn').length;
  lines.push('');
  if (failed)
    lines.push(
      `${failed} problem${failed > 1 ? 's' : ''} to fix (FAIL above). Restart the server in your host after changing its config.`,
    );
  else if (warned)
    lines.push(
      `No problem found; ${warned} thing${warned > 1 ? 's' : ''} to look at (warn above).`,
    );
  else lines.push('All is well.');
  return `${lines.join('\n')}\n`;
}
