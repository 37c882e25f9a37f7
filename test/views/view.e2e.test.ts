// The MCP App view in a real browser: headless Chromium loads the test host
// page (scripts/view-host), which speaks the host side with ext-apps'
// AppBridge and forwards the view's tool calls to the built server over
// stdio; the server talks to the emulator. The emulator's clock is set five
// minutes back while the stuck items are made, then moved to now.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAcked, seedStuck, startViewHost, type ViewHost } from '../../scripts/view-host.mjs';
import {
  EMULATOR_API_KEY,
  EMULATOR_ENVIRONMENT_KEY,
  manualClock,
  startEmulator,
  type EmulatorHandle,
} from '../../src/emulator/index.js';
import { launchBrowser, pngDifference, type LaunchedBrowser } from '../support/browser.js';
import { cleanEnv } from '../support/mcp.js';

const MINUTES_AGO = 5;
const REFRESH_MS = 3000;
const env = cleanEnv({
  ANTHROPIC_API_KEY: EMULATOR_API_KEY,
  ANTHROPIC_ENVIRONMENT_KEY: EMULATOR_ENVIRONMENT_KEY,
});

let emulator: EmulatorHandle;
let host: ViewHost;
let readOnlyHost: ViewHost;
let browser: LaunchedBrowser;
/** main: queued work and two stuck items, acted on by the tests; still: two stuck items and no queue, for screenshots and --read-only. */
const envs: Record<'main' | 'still', { id: string; lost: string; stuck: string }> = {} as never;
/** Acked 45 s before now (emulator time) and never heartbeated, in envs.still. */
let acked: string;
const ACKED_AGO_S = 45;

async function createSelfHosted(name: string): Promise<string> {
  const r = await host.client.callTool({
    name: 'create_environment',
    arguments: { name, config: { type: 'self_hosted' } },
  });
  return (r.structuredContent as { id: string }).id;
}

async function tool(name: string, args: Record<string, unknown>): Promise<any> {
  const r = await host.client.callTool({ name, arguments: args });
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  return r.structuredContent;
}

beforeAll(async () => {
  emulator = await startEmulator({ clock: manualClock(Date.now() - MINUTES_AGO * 60_000) });
  const args = ['--base-url', emulator.url];
  [host, readOnlyHost, browser] = await Promise.all([
    startViewHost({ args, env }),
    startViewHost({ args: [...args, '--read-only'], env }),
    launchBrowser(),
  ]);
  for (const key of ['main', 'still'] as const) {
    const id = await createSelfHosted(`view ${key}`);
    envs[key] = { id, ...(await seedStuck(emulator, id)) };
  }
  emulator.clock.advance(MINUTES_AGO * 60_000 - ACKED_AGO_S * 1000);
  acked = await seedAcked(emulator, envs.still.id);
  emulator.clock.advance(ACKED_AGO_S * 1000);
  for (let i = 0; i < 3; i++) emulator.enqueue(envs.main.id);
}, 60_000);

afterAll(async () => {
  await Promise.all([browser?.close(), host?.close(), readOnlyHost?.close()]);
  await emulator?.close();
});

async function open(
  h: ViewHost,
  toolName: string,
  args: Record<string, unknown>,
  theme = 'light',
): Promise<{ page: Page; view: FrameLocator }> {
  const page = await browser.context.newPage();
  await page.goto(
    `${h.url}/?tool=${toolName}&args=${encodeURIComponent(JSON.stringify(args))}&theme=${theme}`,
  );
  const view = page.frameLocator('iframe');
  await view
    .locator('[data-testid=status]')
    .filter({ hasText: 'live' })
    .waitFor({ timeout: 15_000 });
  return { page, view };
}

const text = async (view: FrameLocator, testid: string) =>
  (await view.locator(`[data-testid=${testid}] .value`).textContent())?.trim();
const snapshots = (h: ViewHost) => h.calls.filter((c) => c.name === 'work_queue_snapshot').length;

describe('work-queue view', () => {
  it('shows the numbers get_work_queue_stats gives, the items by state, and loads nothing from the network', async () => {
    const requests: string[] = [];
    const page = await browser.context.newPage();
    page.on('request', (r) =>
      requests.push(`${r.frame() === page.mainFrame() ? 'host' : 'view'} ${r.url()}`),
    );
    await page.goto(
      `${host.url}/?tool=get_work_queue_stats&args=${encodeURIComponent(JSON.stringify({ environment_id: envs.main.id }))}`,
    );
    const view = page.frameLocator('iframe');
    await view
      .locator('[data-testid=status]')
      .filter({ hasText: 'live' })
      .waitFor({ timeout: 15_000 });
    const stats = await tool('get_work_queue_stats', { environment_id: envs.main.id });
    expect(stats.depth).toBe(3);
    expect(await text(view, 'depth')).toBe(String(stats.depth));
    expect(await text(view, 'pending')).toBe(String(stats.pending));
    expect(await text(view, 'workers')).toBe(String(stats.workers_polling));
    expect(await view.locator('[data-testid=oldest]').getAttribute('title')).toBe(
      stats.oldest_queued_at,
    );
    const list = await tool('list_work_items', { environment_id: envs.main.id });
    for (const state of ['queued', 'active', 'stopping']) {
      const n = list.data.filter((w: { state: string }) => w.state === state).length;
      expect(await view.locator(`.legend li[data-state=${state}] b`).textContent()).toBe(String(n));
    }
    // The host left the app-only tool out of what the model sees, by its _meta.ui.visibility.
    const modelTools = (await page.locator('#model-tools').textContent())!.split(', ');
    expect(modelTools).toContain('get_work_queue_stats');
    expect(modelTools).not.toContain('work_queue_snapshot');
    expect(host.calls.some((c) => c.name === 'work_queue_snapshot')).toBe(true);
    // Everything the page fetched went to the host; the view itself asked for nothing.
    expect(requests.filter((r) => r.startsWith('view'))).toEqual([]);
    expect(requests.every((r) => r.startsWith(`host ${host.url}/`))).toBe(true);
    await page.close();
  });

  it('follows an enqueue on the emulator within one refresh', async () => {
    const { page, view } = await open(host, 'get_work_queue_stats', {
      environment_id: envs.main.id,
    });
    const before = Number(await text(view, 'depth'));
    emulator.enqueue(envs.main.id);
    const calls = snapshots(host);
    await expect
      .poll(() => text(view, 'depth'), { timeout: REFRESH_MS * 3, interval: 100 })
      .toBe(String(before + 1));
    // At most the refresh in flight when the item came, and the next one.
    expect(snapshots(host) - calls).toBeLessThanOrEqual(2);
    await page.close();
  });

  it('lists the stuck items in the attention table, oldest first, with the lease the diagnosis was given', async () => {
    const { page, view } = await open(host, 'diagnose_work_queue', {
      environment_id: envs.still.id,
      lease_seconds: 30,
    });
    const rows = view.locator('[data-testid=attention] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-work-id'))),
    ).toEqual([envs.still.lost, envs.still.stuck, acked]);
    expect(await rows.nth(0).textContent()).toContain('Heartbeat expired');
    expect(await rows.nth(1).textContent()).toContain('Stuck stopping');
    expect(await rows.nth(2).textContent()).toContain('Acked, never heartbeated');
    // The refreshes keep that lease: the snapshot is asked with it, and the acked item stays.
    const calls = snapshots(host);
    await expect.poll(() => snapshots(host), { timeout: REFRESH_MS * 2 }).toBeGreaterThan(calls);
    expect(host.calls.filter((c) => c.name === 'work_queue_snapshot').at(-1)!.arguments).toEqual({
      environment_id: envs.still.id,
      lease_seconds: 30,
    });
    expect(await rows.count()).toBe(3);
    await page.close();
  });

  it('force stop asks for a confirmation first: declined, nothing changes; accepted, the item is stopped', async () => {
    const { page, view } = await open(host, 'diagnose_work_queue', {
      environment_id: envs.main.id,
    });
    const dialog = page.locator('#confirm');
    const stopCalls = () => host.calls.filter((c) => c.name === 'stop_work_item').length;

    await view.locator(`tr[data-work-id=${envs.main.stuck}] [data-action=force-stop]`).click();
    await dialog.waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-text').textContent()).toContain(
      `Force-stop work item ${envs.main.stuck}`,
    );
    await page.locator('#confirm-no').click();
    await expect
      .poll(() => view.locator('[data-testid=notice]').textContent())
      .toMatch(/Nothing was done: the confirmation was declined/);
    expect(
      (await tool('get_work_item', { environment_id: envs.main.id, work_id: envs.main.stuck }))
        .state,
    ).toBe('stopping');

    await view.locator(`tr[data-work-id=${envs.main.lost}] [data-action=force-stop]`).click();
    await dialog.waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-text').textContent()).toContain(
      `Force-stop work item ${envs.main.lost} (state "active")`,
    );
    // Asked, not yet done.
    expect(
      (await tool('get_work_item', { environment_id: envs.main.id, work_id: envs.main.lost }))
        .state,
    ).toBe('active');
    await page.locator('#confirm-yes').click();
    await expect
      .poll(() => view.locator('[data-testid=notice]').textContent())
      .toMatch(new RegExp(`force-stopped ${envs.main.lost}; it is now stopped`));
    expect(
      (await tool('get_work_item', { environment_id: envs.main.id, work_id: envs.main.lost }))
        .state,
    ).toBe('stopped');
    expect(stopCalls()).toBe(2);
    expect(host.questions.map((q) => q.message)).toEqual([
      expect.stringContaining(envs.main.stuck),
      expect.stringContaining(envs.main.lost),
    ]);
    // The view told the model what the person did (ui/update-model-context), and the row is gone on the refresh.
    await expect
      .poll(() => page.locator('#model-context li').allTextContents())
      .toEqual([
        expect.stringMatching(/Nothing was done/),
        expect.stringContaining(`force-stopped ${envs.main.lost}`),
      ]);
    await expect
      .poll(() => view.locator(`tr[data-work-id=${envs.main.lost}]`).count(), {
        timeout: REFRESH_MS * 3,
      })
      .toBe(0);
    await page.close();
  });

  it('with --read-only shows the same attention table and no write buttons', async () => {
    const { page, view } = await open(readOnlyHost, 'diagnose_work_queue', {
      environment_id: envs.still.id,
    });
    await expect.poll(() => view.locator('[data-testid=attention] tbody tr').count()).toBe(2);
    expect(await view.locator('[data-action=stop], [data-action=force-stop]').count()).toBe(0);
    expect(await view.locator('[data-action=diagnose]').count()).toBe(1);
    // On the server with write tools, the same table has them.
    const { page: page2, view: view2 } = await open(host, 'diagnose_work_queue', {
      environment_id: envs.still.id,
    });
    await expect.poll(() => view2.locator('[data-action=force-stop]').count()).toBe(2);
    await Promise.all([page.close(), page2.close()]);
  });

  it('re-runs the diagnosis through diagnose_work_queue and tells the model', async () => {
    const { page, view } = await open(readOnlyHost, 'get_work_queue_stats', {
      environment_id: envs.still.id,
    });
    const before = readOnlyHost.calls.length;
    await view.locator('[data-action=diagnose]').click();
    await expect
      .poll(() => view.locator('[data-testid=notice]').textContent())
      .toMatch(/re-ran the diagnosis: 1 problem\(s\), 2 warning\(s\)/);
    expect(
      readOnlyHost.calls.slice(before).filter((c) => c.name === 'diagnose_work_queue'),
    ).toHaveLength(1);
    await expect.poll(() => page.locator('#model-context li').count()).toBe(1);
    await page.close();
  });

  it('pauses refreshing while scrolled out of sight and picks up again when back', async () => {
    const { page, view } = await open(readOnlyHost, 'get_work_queue_stats', {
      environment_id: envs.still.id,
    });
    await page.locator('#hide').click();
    await expect.poll(() => view.locator('[data-testid=status]').textContent()).toBe('paused');
    const hiddenAt = snapshots(readOnlyHost);
    await new Promise((r) => setTimeout(r, REFRESH_MS * 2 + 500));
    expect(snapshots(readOnlyHost)).toBe(hiddenAt);
    await page.locator('#hide').click();
    await expect
      .poll(() => snapshots(readOnlyHost), { timeout: REFRESH_MS * 2 })
      .toBeGreaterThan(hiddenAt);
    await view.locator('[data-testid=status]').filter({ hasText: 'live' }).waitFor();
    await page.close();
  });
});

describe('environments view', () => {
  it('lists name, type, scope, archived and the depth of self-hosted ones; a row opens its work queue', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${host.url}/?tool=list_environments&args={}`);
    const view = page.frameLocator('iframe');
    const row = view.locator(`tr[data-environment-id=${envs.main.id}]`);
    await row.waitFor({ timeout: 15_000 });
    const stats = await tool('get_work_queue_stats', { environment_id: envs.main.id });
    await expect
      .poll(() => row.locator('[data-testid=env-depth]').textContent())
      .toBe(String(stats.depth));
    expect(await row.textContent()).toContain('view main');
    expect(await row.textContent()).toContain('self_hosted');
    await row.click();
    await view
      .locator('[data-testid=status]')
      .filter({ hasText: 'live' })
      .waitFor({ timeout: 15_000 });
    expect(await view.locator('.env').textContent()).toBe(envs.main.id);
    expect(await view.locator('[data-action=back]').count()).toBe(1);
    await page.close();
  });
});

describe('what the view may not do', () => {
  it('shows API text as text: markup stays literal, bidi overrides and controls are gone', async () => {
    const name = 'evil\u202egnp.exe <img src=x onerror="parent.pwned=1"><b>bold</b>\u0007';
    const r = await host.client.callTool({
      name: 'create_environment',
      arguments: { name, config: { type: 'cloud' } },
    });
    const id = (r.structuredContent as { id: string }).id;
    const page = await browser.context.newPage();
    await page.goto(`${host.url}/?tool=list_environments&args={}`);
    const row = page.frameLocator('iframe').locator(`tr[data-environment-id=${id}]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('.name').textContent()).toBe(
      'evil gnp.exe <img src=x onerror="parent.pwned=1"><b>bold</b> ',
    );
    expect(await row.locator('.name img, .name b').count()).toBe(0);
    await page.close();
  });

  it('on a scoped server it watches the scoped environment, and its calls stay inside it', async () => {
    const scoped = await startViewHost({
      args: ['--base-url', emulator.url, '--environment-id', envs.still.id],
      env,
    });
    try {
      const { page, view } = await open(scoped, 'get_work_queue_stats', {});
      expect(await view.locator('.env').textContent()).toBe(envs.still.id);
      await expect.poll(() => view.locator('[data-testid=attention] tbody tr').count()).toBe(2);
      const viewCalls = scoped.calls.slice(1);
      expect(viewCalls.length).toBeGreaterThan(0);
      // The first refresh leaves environment_id out (the tool input had none) and the server fills in its scope.
      expect(
        viewCalls
          .map((c) => c.arguments.environment_id ?? 'scope')
          .filter((e) => e !== 'scope' && e !== envs.still.id),
      ).toEqual([]);
      // list_environments addresses other environments: a scoped server does not have it, nor its view.
      const { tools } = await scoped.client.listTools();
      expect(tools.map((t) => t.name)).not.toContain('list_environments');
      await page.close();
    } finally {
      await scoped.close();
    }
  });
});

describe('themes', () => {
  // References are checked in (docs/views, shown in the README); UPDATE_VIEW_SCREENSHOTS=1 rewrites them.
  it.each(['light', 'dark'])(
    '%s: follows the host theme and matches the reference screenshot',
    async (theme) => {
      const { page, view } = await open(
        host,
        'diagnose_work_queue',
        { environment_id: envs.still.id },
        theme,
      );
      await expect.poll(() => view.locator('[data-testid=attention] tbody tr').count()).toBe(2);
      const background = await view
        .locator('body')
        .evaluate((b) => (globalThis as any).getComputedStyle(b).backgroundColor as string);
      expect(background).toBe(theme === 'dark' ? 'rgb(38, 38, 36)' : 'rgb(255, 255, 255)');
      // Let the frame take the height the view asked for, then picture it.
      await page.waitForTimeout(300);
      const shot = await page.locator('#frame').screenshot({ animations: 'disabled' });
      const reference = new URL(`../../docs/views/work-queue-${theme}.png`, import.meta.url);
      if (process.env.UPDATE_VIEW_SCREENSHOTS === '1') writeFileSync(reference, shot);
      expect(existsSync(reference), `missing reference ${reference.pathname}`).toBe(true);
      const difference = await pngDifference(browser.context, shot, readFileSync(reference));
      // Ids, times and the chart's few samples differ from run to run; a wrong theme or layout differs by far more.
      expect(difference).toBeLessThan(0.03);
      await page.close();
    },
  );

  it('follows a theme change the host sends while the view is open', async () => {
    const { page, view } = await open(
      host,
      'get_work_queue_stats',
      { environment_id: envs.still.id },
      'light',
    );
    const background = () =>
      view
        .locator('body')
        .evaluate((b) => (globalThis as any).getComputedStyle(b).backgroundColor as string);
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.locator('#theme').click();
    await expect.poll(background).toBe('rgb(38, 38, 36)');
    expect(await view.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.close();
  });

  it('the two themes differ (the comparison can tell them apart)', () => {
    const light = readFileSync(new URL('../../docs/views/work-queue-light.png', import.meta.url));
    const dark = readFileSync(new URL('../../docs/views/work-queue-dark.png', import.meta.url));
    return expect(pngDifference(browser.context, light, dark)).resolves.toBeGreaterThan(0.3);
  });
});
