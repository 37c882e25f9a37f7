// The built `emulator` command as a user runs it, and `npm run demo`.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv } from '../support/mcp.js';
import { API_HEADERS } from './support.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

async function runEmulator(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'emulator', ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  return { child, url: first, stderr: () => stderr };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

describe('agent-environments-mcp emulator', () => {
  it('prints its base URL as the first stdout line, serves the API, and ends cleanly on SIGTERM', async () => {
    const { child, url, stderr } = await runEmulator(['--port', '0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/v1/environments`, {
      headers: { ...API_HEADERS, 'x-api-key': 'k' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: [], next_page: null });
    expect(stderr()).toContain('lenient auth');
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });

  it('ends cleanly on SIGINT too, and logs requests on stderr without credentials', async () => {
    const { child, url, stderr } = await runEmulator([]);
    await fetch(`${url}/v1/environments`, {
      headers: { ...API_HEADERS, 'x-api-key': 'sk-secret-value' },
    });
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(0);
    expect(stderr()).toMatch(/GET \/v1\/environments 200 \d+ms req_/);
    expect(stderr()).not.toContain('sk-secret-value');
  });

  it('--strict-auth (or its env twin) enforces the keys from ANTHROPIC_API_KEY / ANTHROPIC_ENVIRONMENT_KEY', async () => {
    const { child, url, stderr } = await runEmulator([], {
      AGENT_ENVIRONMENTS_EMULATOR_STRICT_AUTH: 'true',
      ANTHROPIC_API_KEY: 'sk-configured',
      ANTHROPIC_ENVIRONMENT_KEY: 'env-configured',
    });
    const get = (key: string) =>
      fetch(`${url}/v1/environments`, { headers: { ...API_HEADERS, 'x-api-key': key } }).then(
        (r) => r.status,
      );
    expect(await get('sk-configured')).toBe(200);
    expect(await get('env-configured')).toBe(403);
    expect(await get('emulator-api-key')).toBe(401);
    expect(stderr()).toContain('strict auth');
    expect(stderr()).not.toContain('sk-configured');
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });

  it('--strict-auth without keys accepts the placeholders', async () => {
    const { child, url } = await runEmulator(['--strict-auth']);
    const res = await fetch(`${url}/v1/environments`, {
      headers: { ...API_HEADERS, 'x-api-key': 'emulator-api-key' },
    });
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });

  it.each([
    [['--port', '70000'], /--port: must be between 0 and 65535/],
    [['--colour'], /unknown flag --colour/],
    [['extra'], /unexpected argument "extra"/],
  ])('refuses %j with exit code 2 and one line naming the problem', async (args, message) => {
    const child = spawn(process.execPath, [CLI, 'emulator', ...args], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it('reads --port from AGENT_ENVIRONMENTS_EMULATOR_PORT; a port in use is exit 1', async () => {
    const first = await runEmulator([]);
    const port = new URL(first.url).port;
    const second = spawn(process.execPath, [CLI, 'emulator'], {
      env: cleanEnv({ AGENT_ENVIRONMENTS_EMULATOR_PORT: port }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(second);
    let stderr = '';
    second.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    expect(await exitOf(second)).toBe(1);
    expect(stderr).toContain('EADDRINUSE');
    first.child.kill('SIGTERM');
    await exitOf(first.child);
  });
});

describe('npm run demo', () => {
  it('walks the whole lifecycle and exits 0', async () => {
    const script = fileURLToPath(new URL('../../scripts/demo.mjs', import.meta.url));
    const child = spawn(process.execPath, [script], {
      env: cleanEnv({ NO_COLOR: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await exitOf(child);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const tool of [
      'create_environment',
      'list_environments',
      'get_work_queue_stats',
      'poll_work_item',
      'ack_work_item',
      'heartbeat_work_item',
      'stop_work_item',
      'update_environment',
      'archive_environment',
      'delete_environment',
    ]) {
      expect(stdout).toContain(tool);
    }
    expect(stdout).toContain('POST /_emulator/environments/');
    expect(stdout).toMatch(/state stopped/);
    expect(stdout).toMatch(/Done: \d+ steps/);
    expect(stdout).not.toMatch(/\x1b\[/);
  });
});
