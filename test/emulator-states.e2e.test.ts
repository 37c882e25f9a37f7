// Against the API emulator: every stuck state it can produce is found by
// diagnose_work_queue, acting on a finding clears it, and a long poll wakes
// when work is enqueued.
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startEmulator, type EmulatorHandle } from '../src/emulator/index.js';
import { spawnServer, type Spawned } from './support/mcp.js';

const KEYS = {
  ANTHROPIC_API_KEY: 'sk-ant-emulated',
  ANTHROPIC_ENVIRONMENT_KEY: 'env-key-emulated',
};

async function ok(s: Spawned, name: string, args: Record<string, unknown>): Promise<any> {
  const r = await s.call(name, args);
  if (r.isError) throw new Error(`${name} failed: ${(r.content[0] as { text: string }).text}`);
  return r.structuredContent;
}

async function selfHosted(s: Spawned, name: string): Promise<string> {
  return (await ok(s, 'create_environment', { name, config: { type: 'self_hosted' } })).id;
}

describe('diagnosis of emulator states', () => {
  // The emulator's clock stands ten minutes in the past, so every item it
  // touches looks ten minutes old to the diagnosis while no lease lapses.
  let emu: EmulatorHandle;
  let s: Spawned;
  beforeAll(async () => {
    emu = await startEmulator({ clock: manualClock(Date.now() - 10 * 60_000) });
    s = await spawnServer({ args: ['--base-url', emu.url], env: KEYS });
  });
  afterAll(async () => {
    await s?.close();
    await emu?.close();
  });

  /** Enqueues one item and takes it as far as `to`, through the worker tools. */
  async function itemIn(env: string, to: 'starting' | 'active' | 'stopping'): Promise<string> {
    emu.enqueue(env, {});
    const { work } = await ok(s, 'poll_work_item', { environment_id: env, worker_id: 'worker-1' });
    await ok(s, 'ack_work_item', { environment_id: env, work_id: work.id });
    if (to !== 'starting')
      await ok(s, 'heartbeat_work_item', {
        environment_id: env,
        work_id: work.id,
        expected_last_heartbeat: 'NO_HEARTBEAT',
      });
    if (to === 'stopping') await ok(s, 'stop_work_item', { environment_id: env, work_id: work.id });
    return work.id;
  }

  it('finds acked-never-heartbeated, expired heartbeat, stuck stopping and the backlog; acting on a finding clears it', async () => {
    const env = await selfHosted(s, 'busy workers');
    const acked = await itemIn(env, 'starting');
    const active = await itemIn(env, 'active');
    const stopping = await itemIn(env, 'stopping');
    const queued = emu.enqueue(env, {}).id as string;

    const out = await ok(s, 'diagnose_work_queue', { environment_id: env });
    const byCode = Object.fromEntries(out.findings.map((f: any) => [f.code, f]));
    expect(Object.keys(byCode).sort()).toEqual([
      'acked_never_heartbeated',
      'heartbeat_expired',
      'queue_backlog',
      'stuck_stopping',
    ]);
    expect(byCode.acked_never_heartbeated.items.map((i: any) => i.work_id)).toEqual([acked]);
    expect(byCode.heartbeat_expired.items.map((i: any) => i.work_id)).toEqual([active]);
    expect(byCode.stuck_stopping.items.map((i: any) => i.work_id)).toEqual([stopping]);
    expect(byCode.queue_backlog).toMatchObject({ count: 1, items: [{ work_id: queued }] });
    expect(byCode.queue_backlog.summary).toMatch(
      /1 item queued; the oldest has waited (9|10|11) min/,
    );
    expect(out.stats).toMatchObject({ depth: 1, workers_polling: 1 });

    // The suggested call is a real call on this server: make it, and the finding goes.
    const next = byCode.stuck_stopping.next_call;
    expect(next).toEqual({
      tool: 'stop_work_item',
      arguments: { environment_id: env, work_id: stopping, force: true },
    });
    await ok(s, next.tool, next.arguments);
    const after = await ok(s, 'diagnose_work_queue', { environment_id: env });
    expect(after.findings.map((f: any) => f.code)).not.toContain('stuck_stopping');
    expect(after.findings.map((f: any) => f.code)).toContain('heartbeat_expired');
  });

  it('finds a queue no worker polls', async () => {
    const env = await selfHosted(s, 'idle workers');
    emu.enqueue(env, {});
    emu.enqueue(env, {});
    const out = await ok(s, 'diagnose_work_queue', { environment_id: env });
    expect(out.findings.map((f: any) => [f.code, f.severity])).toEqual([
      ['no_worker_polling', 'problem'],
      ['queue_backlog', 'warning'],
    ]);
    expect(out.findings[0].summary).toMatch(/2 items wait/);
  });

  it('a healthy queue (long lease assumed) has no findings', async () => {
    const env = await selfHosted(s, 'healthy workers');
    await itemIn(env, 'active');
    const out = await ok(s, 'diagnose_work_queue', { environment_id: env, lease_seconds: 3600 });
    expect(out.findings).toEqual([]);
    expect(out.summary).toBe('No problems found.');
  });
});

describe('long poll against the emulator', () => {
  let emu: EmulatorHandle;
  let s: Spawned;
  beforeAll(async () => {
    emu = await startEmulator();
    s = await spawnServer({ args: ['--base-url', emu.url], env: KEYS });
  });
  afterAll(async () => {
    await s?.close();
    await emu?.close();
  });

  it('wakes when work is enqueued while it waits', async () => {
    const env = await selfHosted(s, 'waiting workers');
    const progress: Progress[] = [];
    const started = Date.now();
    const call = s.client.callTool(
      {
        name: 'poll_work_item',
        arguments: { environment_id: env, wait_ms: 30_000, worker_id: 'waiter' },
      },
      CallToolResultSchema,
      { onprogress: (p) => progress.push(p), timeout: 45_000 },
    );
    // Several empty polls go by first (each blocks up to 999 ms in the emulator).
    for (let i = 0; i < 600 && progress.length < 2; i++) await sleep(25);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const enqueued = emu.enqueue(env, { session_id: 'session_wake' });
    const r = await call;
    expect(r.structuredContent).toMatchObject({
      work: { id: enqueued.id, data: { id: 'session_wake' }, secret: '[redacted]' },
    });
    // Woken, not timed out: far less than the 30 s it was allowed.
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});
