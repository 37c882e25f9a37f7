// The command line, spawned as a user's host would: malformed settings stop
// the start with one line naming the variable or flag (exit 2), a missing
// credential does not, flags win over their environment twins, and the
// process ends cleanly when the host lets go of it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/config/settings.js';
import { CLI, cleanEnv, resultJson, spawnServer } from './support/mcp.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import {
  API_KEY,
  ENV_ID,
  ENVIRONMENT_KEY,
  environment,
  polledItem,
  TOOL_NAMES,
} from './support/samples.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end; stdin is closed at once, so a server that starts also ends. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

let rec: Recorder;
beforeAll(async () => {
  rec = await startRecorder();
});
afterAll(async () => {
  await rec?.close();
});
beforeEach(() => {
  rec.reset();
});

describe('malformed settings stop the start', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      'a base URL that is not a URL',
      [],
      { ANTHROPIC_BASE_URL: 'api.anthropic.com/v1 x' },
      /^ANTHROPIC_BASE_URL: not a URL$/,
    ],
    [
      'http:// to a non-loopback host',
      [],
      { ANTHROPIC_BASE_URL: 'http://api.example.com' },
      /^ANTHROPIC_BASE_URL: must be https:\/\//,
    ],
    [
      'http:// to a private address, by flag',
      ['--base-url', 'http://10.0.0.7:8080'],
      {},
      /^--base-url: must be https:\/\//,
    ],
    [
      'a base URL with a password',
      [],
      { ANTHROPIC_BASE_URL: 'https://u:p@api.example.com' },
      /^ANTHROPIC_BASE_URL: must not contain a user name or password$/,
    ],
    [
      'a non-integer timeout',
      [],
      { AGENT_ENVIRONMENTS_TIMEOUT_MS: '1.5' },
      /^AGENT_ENVIRONMENTS_TIMEOUT_MS: must be a whole number, got "1.5"$/,
    ],
    [
      'a non-integer timeout, by flag',
      ['--timeout-ms=soon'],
      {},
      /^--timeout-ms: must be a whole number, got "soon"$/,
    ],
    [
      'retries out of range',
      [],
      { AGENT_ENVIRONMENTS_MAX_RETRIES: '11' },
      /^AGENT_ENVIRONMENTS_MAX_RETRIES: must be between 0 and 10, got 11$/,
    ],
    [
      'a bad boolean',
      [],
      { AGENT_ENVIRONMENTS_REVEAL_WORK_SECRET: 'maybe' },
      /^AGENT_ENVIRONMENTS_REVEAL_WORK_SECRET: must be true or false, got "maybe"$/,
    ],
    [
      'a bad log level',
      ['--log-level', 'loud'],
      {},
      /^--log-level: must be one of debug, info, warning, error$/,
    ],
    [
      'a bad beta name',
      [],
      { ANTHROPIC_BETA: 'ok-beta,no spaces' },
      /^ANTHROPIC_BETA: "no spaces" is not a beta name$/,
    ],
    ['an unknown flag', ['--api-key', 'x'], {}, /^unknown flag --api-key \(see --help\)$/],
    ['a flag without its value', ['--timeout-ms'], {}, /^--timeout-ms needs a value$/],
    ['an unknown command', ['serve'], {}, /^unknown command "serve" \(see --help\)$/],
  ];
  // Short-lived processes: run side by side.
  it.concurrent.for(cases)(
    '%s: exit 2, one line on stderr',
    async ([, args, env, line], { expect }) => {
      const r = await run(args, env);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^agent-environments-mcp: /);
      expect(lines[0]!.slice('agent-environments-mcp: '.length)).toMatch(line);
    },
  );

  it('a malformed credential is named without being shown', async () => {
    const r = await run([], { ANTHROPIC_API_KEY: 'sk-ant secret-with-space' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ANTHROPIC_API_KEY');
    expect(r.stderr).not.toContain('secret-with-space');
  });
});

describe('help and version', () => {
  it('--help prints every flag and variable and exits 0', async () => {
    const r = await run(['--help'], { ANTHROPIC_BASE_URL: 'not checked for --help' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const s of SETTINGS) {
      expect(r.stdout).toContain(s.env);
      if (s.flag) expect(r.stdout).toContain(`--${s.flag}`);
    }
    // One row per switch, and the columns line up however long a flag or variable is.
    expect(new Set(SETTINGS.map((s) => s.env)).size).toBe(SETTINGS.length);
    const lines = r.stdout.split('\n');
    const column = (env: string) => lines.find((l) => l.includes(` ${env} `))?.indexOf(` ${env} `);
    expect(new Set(SETTINGS.map((s) => column(s.env))).size).toBe(1);
  });

  it('--version prints the package version and exits 0', async () => {
    const r = await run(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('starting', () => {
  it('starts without credentials; the tool that needs one names the variable', async () => {
    const s = await spawnServer({ env: { ANTHROPIC_BASE_URL: rec.url } });
    try {
      expect((await s.client.listTools()).tools).toHaveLength(TOOL_NAMES.length);
      const env = await s.call('get_environment', { environment_id: ENV_ID });
      expect(env.isError).toBe(true);
      expect(resultJson(env).error).toMatchObject({
        type: 'missing_credential',
        variables: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'],
      });
      expect(resultJson(env).error.message).toContain('ANTHROPIC_API_KEY');
      const work = await s.call('list_work_items', { environment_id: ENV_ID });
      expect(resultJson(work).error).toMatchObject({
        type: 'missing_credential',
        variables: ['ANTHROPIC_ENVIRONMENT_KEY'],
      });
      expect(rec.requests).toHaveLength(0);
    } finally {
      await s.close();
    }
  });

  it('flags win over their environment twins', async () => {
    const s = await spawnServer({
      env: {
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', // nothing listens there
        ANTHROPIC_VERSION: 'env-version',
        ANTHROPIC_WORKSPACE_ID: 'wrkspc_env',
        AGENT_ENVIRONMENTS_REVEAL_WORK_SECRET: 'true',
        ANTHROPIC_API_KEY: API_KEY,
        ANTHROPIC_ENVIRONMENT_KEY: ENVIRONMENT_KEY,
      },
      args: [
        '--base-url',
        rec.url,
        '--api-version=flag-version',
        '--workspace-id',
        'wrkspc_flag',
        '--no-reveal-work-secret',
      ],
    });
    try {
      rec.respond(json(200, environment), json(200, polledItem));
      expect((await s.call('get_environment', { environment_id: ENV_ID })).isError).toBeFalsy();
      const polled = await s.call('poll_work_item', { environment_id: ENV_ID });
      expect(polled.structuredContent).toMatchObject({ work: { secret: '[redacted]' } });
      expect(rec.requests).toHaveLength(2);
      expect(rec.requests[0]!.headers['anthropic-version']).toBe('flag-version');
      expect(rec.requests[0]!.headers['anthropic-workspace-id']).toBe('wrkspc_flag');
    } finally {
      await s.close();
    }
  });
});

describe('ending', () => {
  /** Starts the server with open pipes and waits until it answered initialize, so its handlers are in place. */
  async function started() {
    const child = spawn(process.execPath, [CLI], {
      env: cleanEnv({ ANTHROPIC_BASE_URL: rec.url }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    const answered = new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c;
        if (out.includes('\n')) resolve(out);
      });
    });
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`,
    );
    const line = JSON.parse((await answered).split('\n')[0]!);
    expect(line).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: { serverInfo: { name: 'agent-environments-mcp', version: pkg.version } },
    });
    return { child, exit };
  }

  it('exits 0 when stdin ends', async () => {
    const { child, exit } = await started();
    child.stdin.end();
    expect(await exit).toEqual({ code: 0, signal: null });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s', async (signal) => {
    const { child, exit } = await started();
    child.kill(signal);
    expect(await exit).toEqual({ code: 0, signal: null });
  });
});
