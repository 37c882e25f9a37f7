#!/usr/bin/env node
// `npm run demo`: the server in emulator mode, driven by the MCP SDK's Client
// through the life of a self-hosted environment. No account needed; nothing
// is real. Prints each tool call and a compact view of its result.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const red = paint('31');
const cyan = paint('36');
const yellow = paint('33');
const out = (line = '') => process.stdout.write(`${line}\n`);

// The build writes dist/cli.js and dist/catalog.json (the tools/list the server starts with).
if (!existsSync(cli) || !existsSync(new URL('../dist/catalog.json', import.meta.url))) {
  out(dim('Building first (npm run build)…'));
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// A clean environment: the demo must never reach a real account.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.startsWith('ANTHROPIC_') && !k.startsWith('AGENT_ENVIRONMENTS_'),
  ),
);
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [cli, '--emulator'],
  env,
  stderr: 'pipe',
});
let stderr = '';
transport.stderr?.on('data', (chunk) => {
  stderr += chunk.toString('utf8');
});
const client = new Client({ name: 'agent-environments-demo', version: '1.0.0' });

// ---- compact views of results ------------------------------------------

const meta = (m) => {
  const entries = Object.entries(m ?? {});
  return entries.length ? `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}` : '{}';
};
const envLine = (e) =>
  `${cyan(e.id)} "${e.name}" ${e.config?.type}${e.description ? ` · ${dim(e.description)}` : ''} · metadata ${meta(e.metadata)}` +
  (e.archived_at ? ` · ${yellow(`archived ${e.archived_at}`)}` : '');
const workLine = (w) =>
  `${cyan(w.id)} ${dim(`(${w.data?.type} ${w.data?.id})`)} state ${bold(w.state)}${Object.keys(w.metadata ?? {}).length ? ` · metadata ${meta(w.metadata)}` : ''}`;

const VIEWS = {
  create_environment: envLine,
  get_environment: envLine,
  update_environment: envLine,
  archive_environment: envLine,
  delete_environment: (r) => `${cyan(r.id)} ${r.type}`,
  list_environments: (r) =>
    `${r.data.length} environment${r.data.length === 1 ? '' : 's'}${r.data.map((e) => `\n      ${envLine(e)}`).join('')}${r.next_page ? '\n      (more: next_page)' : ''}`,
  list_work_items: (r) =>
    `${r.data.length} work item${r.data.length === 1 ? '' : 's'}${r.data.map((w) => `\n      ${workLine(w)}`).join('')}`,
  get_work_item: workLine,
  update_work_item: workLine,
  stop_work_item: workLine,
  ack_work_item: workLine,
  poll_work_item: (r) =>
    r.work ? `claimed ${workLine(r.work)} · secret ${r.work.secret}` : 'no work waiting',
  heartbeat_work_item: (r) =>
    `state ${bold(r.state)} · lease ${r.lease_extended ? 'extended' : 'NOT extended'} · ttl ${r.ttl_seconds}s · last_heartbeat ${dim(r.last_heartbeat)}`,
  get_work_queue_stats: (r) =>
    `depth ${bold(r.depth)} · pending ${bold(r.pending)} · oldest queued ${r.oldest_queued_at ?? '—'} · workers polling ${r.workers_polling ?? 'unknown'}`,
};

const showArgs = (args) => (Object.keys(args).length ? dim(JSON.stringify(args)) : '');

let step = 0;
async function call(name, args = {}, { expectError = false } = {}) {
  out(`${bold(`${String(++step).padStart(2)}.`)} ${bold(name)} ${showArgs(args)}`);
  const result = await client.callTool({ name, arguments: args });
  const text = result.content?.[0]?.text ?? '';
  if (result.isError) {
    const e = JSON.parse(text).error ?? {};
    out(
      `    ${expectError ? yellow('✗ (expected)') : red('✗')} ${e.status ?? ''} ${e.type}: ${e.message}${e.request_id ? dim(` (${e.request_id})`) : ''}`,
    );
    if (!expectError) throw new Error(`${name} failed`);
    return e;
  }
  if (expectError) throw new Error(`${name} was expected to fail`);
  out(`    ${green('✓')} ${VIEWS[name]?.(result.structuredContent) ?? text}`);
  return result.structuredContent;
}

function note(text) {
  out(`    ${dim(`— ${text}`)}`);
}

async function enqueue(emulatorUrl, environmentId, body) {
  out(
    `${bold(`${String(++step).padStart(2)}.`)} ${yellow('emulator')} POST /_emulator/environments/${environmentId}/work ${showArgs(body)}`,
  );
  const res = await fetch(`${emulatorUrl}/_emulator/environments/${environmentId}/work`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const item = await res.json();
  if (!res.ok) throw new Error(`enqueue failed: ${JSON.stringify(item)}`);
  out(`    ${green('✓')} ${workLine(item)} ${dim('(a new session would do this)')}`);
  return item;
}

async function main() {
  await client.connect(transport);
  const emulatorUrl = await waitForEmulatorUrl();
  const { name, version } = client.getServerVersion() ?? {};
  out(bold(`${name} ${version} — demo against the built-in emulator at ${emulatorUrl}`));
  out(dim('Nothing here is real and nothing leaves this machine. Each step is one MCP tool call.'));
  out();

  const created = await call('create_environment', {
    name: 'demo-workers',
    description: 'Sessions run on my own machines',
    config: { type: 'self_hosted' },
    metadata: { team: 'platform', region: 'eu' },
  });
  const environment_id = created.id;
  await call('list_environments');

  const first = await enqueue(emulatorUrl, environment_id, {
    session_id: 'session_demo_first',
    metadata: { ticket: 'OPS-42' },
  });
  await enqueue(emulatorUrl, environment_id, { session_id: 'session_demo_second' });
  await call('get_work_queue_stats', { environment_id });
  await call('list_work_items', { environment_id });

  out();
  note('now acting as a self-hosted worker: claim, acknowledge, keep the lease');
  const polled = await call('poll_work_item', {
    environment_id,
    worker_id: 'demo-worker-1',
    block_ms: 500,
  });
  const work_id = polled.work?.id ?? first.id;
  await call('ack_work_item', { environment_id, work_id });
  const beat = await call('heartbeat_work_item', {
    environment_id,
    work_id,
    expected_last_heartbeat: 'NO_HEARTBEAT',
    desired_ttl_seconds: 60,
  });
  await call(
    'heartbeat_work_item',
    { environment_id, work_id, expected_last_heartbeat: 'NO_HEARTBEAT' },
    { expectError: true },
  );
  note('a stale expected_last_heartbeat means another worker holds the lease');
  await call('get_work_queue_stats', { environment_id });

  out();
  note('stopping: gracefully first (the worker sees it on its next heartbeat), then for good');
  await call('stop_work_item', { environment_id, work_id });
  await call('heartbeat_work_item', {
    environment_id,
    work_id,
    expected_last_heartbeat: beat.last_heartbeat,
  });
  await call('stop_work_item', { environment_id, work_id, force: true });
  await call('update_work_item', {
    environment_id,
    work_id,
    metadata: { ticket: null, outcome: 'done' },
  });

  out();
  note('tidying up the environment');
  await call('update_environment', { environment_id, metadata: { region: null, owner: 'demo' } });
  await call('archive_environment', { environment_id });
  await call('list_environments', { include_archived: true });
  await call('delete_environment', { environment_id });
  await call('get_environment', { environment_id }, { expectError: true });

  out();
  out(`${green(bold(`Done: ${step} steps.`))} Use it from your MCP host: see the README (Setup).`);
  out();
  out(bold('See the live work-queue view (an MCP App) without an account:'));
  out(
    `  ${cyan('npm run view')}   starts an emulator with a stuck queue, this server and a local test host page,`,
  );
  out("                 then prints the page's address (http://127.0.0.1:…) to open in a browser.");
  out(
    '  In a host that renders MCP Apps (Claude Desktop, claude.ai, VS Code, …), call get_work_queue_stats,',
  );
  out(
    '  diagnose_work_queue or list_environments: the view opens beside the result. See the README (Views).',
  );
}

async function waitForEmulatorUrl() {
  const until = Date.now() + 10_000;
  for (;;) {
    const match = /emulator at (http:\/\/[^\s;]+)/.exec(stderr);
    if (match) return match[1];
    if (Date.now() > until)
      throw new Error(`the server did not report its emulator URL; stderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

try {
  await main();
  await client.close();
} catch (err) {
  process.stderr.write(
    `demo failed: ${err?.message ?? err}\n${stderr ? `server stderr:\n${stderr}` : ''}`,
  );
  await client.close().catch(() => {});
  process.exit(1);
}
