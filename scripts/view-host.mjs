// A small local host for the MCP App views: serves the test host page
// (./view-host/page.ts, bundled here with esbuild) on a loopback port and
// forwards its MCP requests to the built server (dist/cli.js), spawned over
// stdio and driven by the MCP SDK's Client. The server's confirmations
// (elicitation) go to the page as events and come back as the person's answer.
//
// Used by the browser tests (test/views) and by `npm run view`, which runs it
// against an emulator seeded with a queue worth looking at.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const PAGE = new URL('./view-host/', import.meta.url);
// A person may take a while to answer a confirmation.
const CALL_TIMEOUT_MS = 10 * 60_000;
const MAX_BODY = 1 << 20;

async function pageHtml() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('page.ts', PAGE))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
  });
  const js = result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  return readFileSync(new URL('page.html', PAGE), 'utf8').replace('/*SCRIPT*/', () => js);
}

/**
 * Starts the built server with `args` and `env` and serves the host page on
 * 127.0.0.1. Open `${url}/?tool=NAME&args=JSON&theme=dark|light`.
 */
export async function startViewHost({ args = [], env = {}, port = 0 } = {}) {
  const html = await pageHtml();
  let stderr = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (c) => {
    stderr += c.toString('utf8');
  });
  const client = new Client(
    { name: 'view-test-host', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } } },
  );

  /** Every tool call the page forwarded, in order. */
  const calls = [];
  /** Every question the server asked. */
  const questions = [];
  const waiting = new Map();
  const streams = new Set();
  let nextQuestion = 1;
  const broadcast = (q) => {
    for (const res of streams) res.write(`event: elicit\ndata: ${JSON.stringify(q)}\n\n`);
  };
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    const q = { id: nextQuestion++, message: String(request.params.message) };
    questions.push(q);
    return new Promise((resolve) => {
      waiting.set(q.id, { q, resolve });
      broadcast(q);
    });
  });
  await client.connect(transport);

  const forward = async (method, params) => {
    const options = { timeout: CALL_TIMEOUT_MS };
    if (method === 'tools/list') return client.listTools(params, options);
    if (method === 'tools/call') {
      calls.push({ name: params.name, arguments: params.arguments ?? {}, at: Date.now() });
      return client.callTool(params, undefined, options);
    }
    if (method === 'resources/read') return client.readResource(params, options);
    if (method === 'resources/list') return client.listResources(params, options);
    throw new Error(`the host does not forward ${method}`);
  };

  const readBody = (req) =>
    new Promise((resolve, reject) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
        if (body.length > MAX_BODY) reject(new Error('body too large'));
      });
      req.on('end', () => resolve(body ? JSON.parse(body) : {}));
      req.on('error', reject);
    });

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (req.method === 'GET' && path === '/') return send(200, 'text/html; charset=utf-8', html);
      if (path === '/favicon.ico') return send(204, 'text/plain', '');
      if (req.method === 'GET' && path === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write(': open\n\n');
        streams.add(res);
        for (const { q } of waiting.values())
          res.write(`event: elicit\ndata: ${JSON.stringify(q)}\n\n`);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (req.method === 'POST' && path === '/mcp') {
        const { method, params } = await readBody(req);
        try {
          return send(
            200,
            'application/json',
            JSON.stringify({ result: await forward(method, params ?? {}) }),
          );
        } catch (err) {
          return send(
            200,
            'application/json',
            JSON.stringify({ error: { message: String(err?.message ?? err) } }),
          );
        }
      }
      if (req.method === 'POST' && path === '/answer') {
        const { id, action, content } = await readBody(req);
        const w = waiting.get(id);
        if (!w) return send(404, 'text/plain', 'no such question');
        waiting.delete(id);
        w.resolve({ action, ...(content ? { content } : {}) });
        return send(200, 'application/json', '{}');
      }
      send(404, 'text/plain', 'not found');
    } catch (err) {
      send(400, 'text/plain', String(err?.message ?? err));
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    client,
    calls,
    questions,
    stderr: () => stderr,
    async close() {
      for (const res of streams) res.end();
      for (const { resolve } of waiting.values()) resolve({ action: 'cancel' });
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
      await client.close();
    },
  };
}

/** Worker calls straight to the emulator, as a worker's would. */
function workerCalls(emulator, environmentId) {
  const work = `${emulator.url}/v1/environments/${environmentId}/work`;
  const headers = {
    'x-api-key': 'emulator-environment-key',
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'anthropic-beta': 'managed-agents-2026-04-01',
  };
  const call = async (path, body) => {
    const res = await fetch(`${work}${path}`, {
      method: body ? 'POST' : 'GET',
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`seed: ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  /** Enqueues an item and claims it (poll, ack), with a first heartbeat holding a 600-s lease when asked. */
  const claim = async (heartbeat) => {
    const item = emulator.enqueue(environmentId);
    const polled = await call('/poll');
    if (polled?.id !== item.id)
      throw new Error('seed: the poll did not return the item just enqueued');
    await call(`/${item.id}/ack`, {});
    if (heartbeat)
      await call(
        `/${item.id}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT&desired_ttl_seconds=600`,
        {},
      );
    return item.id;
  };
  return { call, claim };
}

/**
 * Gives an emulator environment two items that need attention once time
 * passes: one active item whose worker went quiet (heartbeat expired) and one
 * stuck stopping. Both hold a 600-s lease, so the emulator keeps them while
 * the diagnosis (90-s lease) flags them. Run it on a manual clock set minutes
 * before now, then move the clock forward.
 */
export async function seedStuck(emulator, environmentId) {
  const { call, claim } = workerCalls(emulator, environmentId);
  const lost = await claim(true);
  const stuck = await claim(true);
  await call(`/${stuck}/stop`, {});
  return { lost, stuck };
}

/**
 * An item acked and never heartbeated. The emulator holds it for its default
 * 60-s lease, so it shows as a finding only for a diagnosis lease below that
 * (e.g. lease_seconds 30) within that minute of the emulator's clock.
 */
export async function seedAcked(emulator, environmentId) {
  return workerCalls(emulator, environmentId).claim(false);
}

// `npm run view`: an emulator, a seeded self-hosted environment, the server
// and the host page, until Ctrl-C.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { startEmulator, manualClock, EMULATOR_API_KEY, EMULATOR_ENVIRONMENT_KEY } = await import(
    '../dist/emulator/index.js'
  );
  const minutesAgo = 5;
  const clock = manualClock(Date.now() - minutesAgo * 60_000);
  const emulator = await startEmulator({ clock });
  const env = {
    ...process.env,
    ANTHROPIC_API_KEY: EMULATOR_API_KEY,
    ANTHROPIC_ENVIRONMENT_KEY: EMULATOR_ENVIRONMENT_KEY,
  };
  for (const k of Object.keys(env)) if (k.startsWith('AGENT_ENVIRONMENTS_')) delete env[k];
  const host = await startViewHost({
    args: ['--base-url', emulator.url, ...process.argv.slice(2)],
    env,
    port: Number(process.env.PORT ?? 0),
  });
  const created = await host.client.callTool({
    name: 'create_environment',
    arguments: { name: 'demo workers', config: { type: 'self_hosted' } },
  });
  const environment_id = created.structuredContent?.id;
  await host.client.callTool({
    name: 'create_environment',
    arguments: { name: 'demo cloud', config: { type: 'cloud' } },
  });
  await seedStuck(emulator, environment_id);
  clock.advance(minutesAgo * 60_000);
  for (let i = 0; i < 3; i++) emulator.enqueue(environment_id);
  // From here the emulator's clock follows real time.
  const tick = setInterval(() => clock.advance(1000), 1000);
  const args = encodeURIComponent(JSON.stringify({ environment_id }));
  console.log(`View test host against the emulator at ${emulator.url}:`);
  console.log(`  work queue:   ${host.url}/?tool=get_work_queue_stats&args=${args}`);
  console.log(`  diagnosis:    ${host.url}/?tool=diagnose_work_queue&args=${args}&theme=dark`);
  console.log(`  environments: ${host.url}/?tool=list_environments`);
  console.log('Ctrl-C to stop.');
  const stop = async () => {
    clearInterval(tick);
    await host.close();
    await emulator.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
