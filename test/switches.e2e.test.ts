// Each tool switch, end to end: the built server over stdio, tools/list and
// calls through the SDK Client, requests recorded on a loopback server.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, startHttp } from './support/http.js';
import { CLI, cleanEnv, resultJson, spawnServer, type Spawned } from './support/mcp.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { environment, router } from './support/routes.js';
import { TOOL_NAMES } from './support/samples.js';

const ENV = 'env_scoped01';
const KEY = 'sk-ant-test-switches-key';

let rec: Recorder;
beforeAll(async () => {
  rec = await startRecorder();
  rec.fallback = router({
    'GET /v1/environments/:id': (req, res, raw) =>
      json(200, environment(req.path.split('/')[3]!))(req, res, raw),
    'GET /v1/environments/:id/work/stats': json(200, {
      type: 'work_queue_stats',
      depth: 0,
      pending: 0,
      oldest_queued_at: null,
      workers_polling: 1,
    }),
  });
});
afterAll(() => rec.close());

async function serve(args: string[], env: Record<string, string> = {}): Promise<Spawned> {
  return spawnServer({
    args: ['--base-url', rec.url, ...args],
    env: { ANTHROPIC_API_KEY: KEY, ...env },
  });
}

async function toolNames(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const s = await serve(args, env);
  try {
    return (await s.client.listTools()).tools.map((t) => t.name);
  } finally {
    await s.close();
  }
}

function start(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: cleanEnv(env),
    input: '',
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('tool switches', () => {
  it('--read-only lists only read-only tools, and a write tool is unknown rather than refused', async () => {
    const s = await serve(['--read-only']);
    try {
      const { tools } = await s.client.listTools();
      expect(tools.map((t) => t.name)).toEqual([
        'list_environments',
        'get_environment',
        'list_work_items',
        'get_work_item',
        'get_work_queue_stats',
        'diagnose_work_queue',
        'work_queue_snapshot',
      ]);
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const before = rec.requests.length;
      await expect(s.call('delete_environment', { environment_id: 'env_1' })).rejects.toThrow(
        /Unknown tool: delete_environment/,
      );
      expect(rec.requests.length).toBe(before);
      // Read tools still work.
      expect((await s.call('get_environment', { environment_id: 'env_1' })).isError).toBeFalsy();
    } finally {
      await s.close();
    }
  });

  it('--read-only wins over --tools naming a write tool, and says so on stderr', async () => {
    const s = await serve(['--read-only', '--tools', 'get_environment,delete_environment']);
    try {
      expect((await s.client.listTools()).tools.map((t) => t.name)).toEqual(['get_environment']);
      expect(s.stderr()).toMatch(/delete_environment not registered: --read-only/);
    } finally {
      await s.close();
    }
  });

  it('--toolsets (here through its environment variable) registers whole groups', async () => {
    expect(await toolNames([], { AGENT_ENVIRONMENTS_TOOLSETS: 'worker' })).toEqual([
      'poll_work_item',
      'ack_work_item',
      'heartbeat_work_item',
    ]);
  });

  it('--tools is an exact set and --exclude-tools removes', async () => {
    expect(await toolNames(['--tools', 'get_work_item,get_environment'])).toEqual([
      'get_environment',
      'get_work_item',
    ]);
    const rest = await toolNames(['--exclude-tools', 'delete_environment,archive_environment']);
    expect(rest).toHaveLength(TOOL_NAMES.length - 2);
    expect(rest).not.toContain('delete_environment');
  });

  it('an unknown tool name stops the start with exit 2, naming the valid ones', () => {
    const r = start(['--tools', 'get_enviroment']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /--tools: unknown tool get_enviroment \(valid: create_environment, list_environments, .*diagnose_work_queue, work_queue_snapshot\)/,
    );
    const e = start([], { AGENT_ENVIRONMENTS_EXCLUDE_TOOLS: 'nope' });
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/--exclude-tools: unknown tool nope/);
  });

  it('a malformed --environment-id stops the start with exit 2', () => {
    const r = start(['--environment-id', 'env_1/../x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--environment-id .*must be an id like env_/);
  });

  it('--environment-id removes environment_id everywhere, fills it in, and refuses another environment', async () => {
    const full = await serve([]);
    const scoped = await serve(['--environment-id', ENV]);
    try {
      const all = await full.client.listTools();
      const mine = await scoped.client.listTools();
      const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
      console.log(
        `tools/list over stdio: ${bytes(all)} bytes for all tools, ${bytes(mine)} bytes with --environment-id`,
      );
      expect(bytes(mine)).toBeLessThan(bytes(all));
      const names = mine.tools.map((t) => t.name);
      expect(names).not.toContain('create_environment');
      expect(names).not.toContain('list_environments');
      for (const t of mine.tools)
        expect(JSON.stringify(t.inputSchema), t.name).not.toContain('environment_id');

      const r = await scoped.call('get_environment', {});
      expect(r.isError).toBeFalsy();
      expect(rec.requests.at(-1)!.path).toBe(`/v1/environments/${ENV}`);
      // The same id, passed anyway, is accepted; another is refused before any request.
      expect(
        (await scoped.call('get_work_queue_stats', { environment_id: ENV })).isError,
      ).toBeFalsy();
      expect(rec.requests.at(-1)!.path).toBe(`/v1/environments/${ENV}/work/stats`);
      const before = rec.requests.length;
      const other = await scoped.call('get_environment', { environment_id: 'env_other' });
      expect(other.isError).toBe(true);
      expect(resultJson(other).error.message).toMatch(
        /environment_id: this server is scoped to env_scoped01/,
      );
      expect(rec.requests.length).toBe(before);
      await expect(scoped.call('list_environments', {})).rejects.toThrow(/Unknown tool/);
    } finally {
      await Promise.all([full.close(), scoped.close()]);
    }
  });

  it('HTTP mode serves the same inventory as stdio', async () => {
    const srv = await startHttp({
      args: ['--base-url', rec.url, '--read-only', '--environment-id', ENV],
      env: { ANTHROPIC_API_KEY: KEY },
    });
    const stdio = await serve(['--read-only', '--environment-id', ENV]);
    try {
      const http = await connectHttp(srv.url);
      try {
        const [overHttp, overStdio] = await Promise.all([
          http.client.listTools(),
          stdio.client.listTools(),
        ]);
        expect(overHttp.tools).toEqual(overStdio.tools);
        expect(overHttp.tools.map((t) => t.name)).toEqual([
          'get_environment',
          'list_work_items',
          'get_work_item',
          'get_work_queue_stats',
          'diagnose_work_queue',
          'work_queue_snapshot',
        ]);
        expect((await http.call('get_environment', {})).isError).toBeFalsy();
        expect(rec.requests.at(-1)!.path).toBe(`/v1/environments/${ENV}`);
      } finally {
        await http.close();
      }
    } finally {
      await stdio.close();
      expect(await srv.stop()).toBe(0);
    }
  });
});
