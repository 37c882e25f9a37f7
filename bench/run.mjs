// `npm run bench`: every figure of BENCHMARKS.md, each a median over
// interleaved runs with its min and max, and each as a ratio to its floor
// measured in the same run. Prints a table and writes bench/results/latest.json.
//   node bench/run.mjs [start] [size] [calls] [emulator] [memory]
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { OPENINGS, quantile, round, stdioProcess, summary } from './lib.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const CLI = here('../dist/cli.js');
const FLOOR = here('./floor.mjs');
const SDK = here('./sdk-minimal.mjs');
const node = process.execPath;
const quick = process.env.BENCH_QUICK === '1';

const results = { machine: machine(), date: new Date().toISOString() };
const rows = [];
const row = (figure, value, floor, ratio, goal) => rows.push({ figure, value, floor, ratio, goal });

function machine() {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    node: process.version,
    platform: process.platform,
  };
}

// ---------------------------------------------------------------- cold start
async function coldStartOnce(args, env, opening) {
  const p = stdioProcess(node, args, env);
  const list = await OPENINGS[opening](p);
  if (!list.msg.result?.tools?.length)
    throw new Error(
      `${args.join(' ')}: no tools after the ${opening} opening: ${JSON.stringify(list.msg).slice(0, 200)}`,
    );
  const mem = p.memory();
  await p.stop();
  return { listMs: list.at - p.started, peakKiB: mem.peakKiB };
}

const OPENING_LABELS = {
  initialize: 'initialize first',
  discover: 'server/discover first',
  modern: '2026-07-28, no opening',
};

async function start() {
  const runs = quick ? 5 : 21;
  const subjects = {
    floor: [[FLOOR], {}],
    sdk: [[SDK], {}],
    ours: [[CLI], { ANTHROPIC_API_KEY: 'bench-key' }],
  };
  const openings = Object.keys(OPENINGS);
  const samples = Object.fromEntries(
    Object.keys(subjects).map((k) => [k, Object.fromEntries(openings.map((o) => [o, []]))]),
  );
  // Interleaved, so machine noise hits every subject and opening alike.
  for (let i = 0; i < runs + 1; i++) {
    for (const opening of openings) {
      for (const [name, [args, env]] of Object.entries(subjects)) {
        const s = await coldStartOnce(args, env, opening);
        if (i > 0) samples[name][opening].push(s); // the first round warms the disk cache
      }
    }
  }
  results.start = {};
  for (const name of Object.keys(subjects)) {
    results.start[name] = {};
    for (const opening of openings) {
      const fig = (key) => summary(samples[name][opening].map((s) => s[key]));
      results.start[name][opening] = { listMs: fig('listMs'), peakKiB: fig('peakKiB') };
    }
  }
  for (const name of ['ours', 'sdk']) {
    const tag = name === 'ours' ? '' : ' (SDK v2, 1 tool)';
    for (const opening of openings) {
      const s = results.start[name][opening];
      const f = results.start.floor[opening];
      row(
        `spawn → tools/list, ${OPENING_LABELS[opening]}${tag}`,
        ms(s.listMs),
        ms(f.listMs),
        ratio(s.listMs.median, f.listMs.median),
        name === 'ours' ? '≤ 1.3×' : '',
      );
    }
    const worst = openings.map(
      (o) => results.start[name][o].peakKiB.median / results.start.floor[o].peakKiB.median,
    );
    const at = openings[worst.indexOf(Math.max(...worst))];
    const s = results.start[name][at];
    row(
      `peak memory after tools/list (worst opening: ${OPENING_LABELS[at]})${tag}`,
      kib(s.peakKiB),
      kib(results.start.floor[at].peakKiB),
      `${round(Math.max(...worst), 2)}×`,
      name === 'ours' ? '≤ 1.1×' : '',
    );
  }
}

// ---------------------------------------------------------- tools/list size
const SWITCHES = [
  ['default', []],
  ['--read-only', ['--read-only']],
  ['--toolsets environments', ['--toolsets', 'environments']],
  ['--toolsets work,worker', ['--toolsets', 'work,worker']],
  ['--environment-id', ['--environment-id', 'env_011CZkZ9X2dpNyB7HsEFoRfW']],
  [
    '--environment-id --read-only',
    ['--environment-id', 'env_011CZkZ9X2dpNyB7HsEFoRfW', '--read-only'],
  ],
];

async function size() {
  results.size = {};
  for (const [label, args] of SWITCHES) {
    const p = stdioProcess(node, [CLI, ...args], { ANTHROPIC_API_KEY: 'bench-key' });
    const ready = await Promise.race([
      p.initialize().then(() => true),
      new Promise((r) => p.child.once('exit', () => r(false))),
    ]);
    if (!ready) {
      results.size[label] = null; // switch not supported by this build
      continue;
    }
    const list = await p.request('tools/list');
    await p.stop();
    const tools = list.msg.result.tools;
    const bytes = Buffer.byteLength(JSON.stringify(list.msg.result));
    results.size[label] = {
      tools: tools.length,
      bytes,
      tokens: Math.round(bytes / 4),
      perTool: Math.round(bytes / tools.length),
    };
    row(
      `tools/list ${label}`,
      `${bytes} B ≈ ${Math.round(bytes / 4)} tok, ${tools.length} tools, ${Math.round(bytes / tools.length)} B/tool`,
      '',
      '',
      label === 'default' ? '≤ 14,000 B' : 'smaller than default',
    );
  }
}

// ------------------------------------------------------------- call cost
async function startEmulatorProcess() {
  const child = spawn(node, [CLI, 'emulator', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    child.once('exit', () => reject(new Error('emulator exited')));
  });
  return { url, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

const API_HEADERS = {
  'x-api-key': 'bench-key',
  'anthropic-version': '2023-06-01',
  'anthropic-beta': 'managed-agents-2026-04-01',
  'content-type': 'application/json',
};

async function createEnvironment(pool, body = { name: 'bench', config: { type: 'self_hosted' } }) {
  const res = await pool.request({
    method: 'POST',
    path: '/v1/environments',
    headers: API_HEADERS,
    body: JSON.stringify(body),
  });
  return res.body.json();
}

/** Runs `n` calls of `fn` with `concurrency` in flight; returns per-call latencies (ms). */
async function measure(fn, n, concurrency) {
  const latencies = [];
  let next = 0;
  async function lane() {
    while (next < n) {
      next++;
      const t = performance.now();
      await fn();
      latencies.push(performance.now() - t);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return latencies;
}

async function calls() {
  const emulator = await startEmulatorProcess();
  const origin = new URL(emulator.url);
  const pool = new Pool(origin.origin, { connections: 64 });
  const env = await createEnvironment(pool);
  const ours = stdioProcess(node, [CLI], {
    ANTHROPIC_API_KEY: 'bench-key',
    ANTHROPIC_BASE_URL: emulator.url,
  });
  const sdk = stdioProcess(node, [SDK]);
  await ours.initialize();
  await sdk.initialize();
  const n = quick ? 300 : 2000;
  const subjects = {
    ours: () =>
      ours.request('tools/call', {
        name: 'get_environment',
        arguments: { environment_id: env.id },
      }),
    echo: () => sdk.request('tools/call', { name: 'echo', arguments: { text: env.id } }),
    get: async () => {
      const res = await pool.request({
        method: 'GET',
        path: `/v1/environments/${env.id}`,
        headers: API_HEADERS,
      });
      await res.body.json();
    },
  };
  results.calls = {};
  for (const concurrency of [1, 16]) {
    const lat = { ours: [], echo: [], get: [] };
    // Warm up, then interleave blocks so noise hits all three alike.
    for (const fn of Object.values(subjects)) await measure(fn, 200, concurrency);
    const blocks = 5;
    for (let b = 0; b < blocks; b++) {
      for (const [name, fn] of Object.entries(subjects))
        lat[name].push(...(await measure(fn, n / blocks, concurrency)));
    }
    const q = (name, p) => quantile(lat[name], p);
    const fig = {};
    for (const p of [0.5, 0.99]) {
      const key = p === 0.5 ? 'p50' : 'p99';
      const floor = q('echo', p) + q('get', p);
      fig[key] = {
        ours: q('ours', p),
        echo: q('echo', p),
        get: q('get', p),
        floor,
        ratio: q('ours', p) / floor,
      };
      row(
        `call get_environment ${key} @${concurrency}`,
        `${round(q('ours', p), 2)} ms`,
        `${round(floor, 2)} ms (echo ${round(q('echo', p), 2)} + GET ${round(q('get', p), 2)})`,
        `${round(q('ours', p) / floor, 2)}×`,
        key === 'p50' ? '≤ 1.2×' : '',
      );
    }
    results.calls[`c${concurrency}`] = fig;
  }
  await ours.stop();
  await sdk.stop();
  await pool.close();
  emulator.stop();
}

// ------------------------------------------------------ emulator throughput
async function emulatorThroughput() {
  const emulator = await startEmulatorProcess();
  const origin = new URL(emulator.url);
  const pool = new Pool(origin.origin, { connections: 16 });
  const workHeaders = { ...API_HEADERS, authorization: 'Bearer bench-env-key' };
  delete workHeaders['x-api-key'];
  results.emulator = {};
  const depths = [10, 10_000, 100_000];
  const cycles = quick ? 200 : 1000;
  const cycleOf = {};
  for (const depth of depths) {
    const env = await createEnvironment(pool, {
      name: `depth-${depth}`,
      config: { type: 'self_hosted' },
    });
    const enqueue = (i) =>
      pool
        .request({
          method: 'POST',
          path: `/_emulator/environments/${env.id}/work`,
          headers: API_HEADERS,
          body: JSON.stringify({ metadata: { i: String(i) } }),
        })
        .then((r) => r.body.dump());
    for (let i = 0; i < depth; i += 100)
      await Promise.all(Array.from({ length: Math.min(100, depth - i) }, (_, k) => enqueue(i + k)));
    // One cycle: poll an item, ack it, heartbeat it, read the stats, then put
    // a fresh item in so the queue depth stays where it is.
    cycleOf[depth] = async () => {
      const polled = await pool.request({
        method: 'GET',
        path: `/v1/environments/${env.id}/work/poll`,
        headers: workHeaders,
      });
      const work = await polled.body.json();
      const ack = await pool.request({
        method: 'POST',
        path: `/v1/environments/${env.id}/work/${work.id}/ack`,
        headers: workHeaders,
      });
      await ack.body.dump();
      const hb = await pool.request({
        method: 'POST',
        path: `/v1/environments/${env.id}/work/${work.id}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT`,
        headers: workHeaders,
      });
      await hb.body.dump();
      const stats = await pool.request({
        method: 'GET',
        path: `/v1/environments/${env.id}/work/stats`,
        headers: API_HEADERS,
      });
      await stats.body.dump();
      await enqueue(-1);
    };
  }
  // Warm every path first, then interleave the depths block by block, so JIT
  // warm-up and machine noise hit all three alike; report the median block.
  for (const depth of depths) await measure(cycleOf[depth], 200, 4);
  const rates = Object.fromEntries(depths.map((d) => [d, []]));
  const blocks = 5;
  for (let b = 0; b < blocks; b++) {
    for (const depth of depths) {
      const t = performance.now();
      await measure(cycleOf[depth], cycles / blocks, 4);
      rates[depth].push(((cycles / blocks) * 5) / ((performance.now() - t) / 1000));
    }
  }
  for (const depth of depths)
    results.emulator[depth] = { callsPerSecond: quantile(rates[depth], 0.5), blocks: rates[depth] };
  const base = results.emulator[10].callsPerSecond;
  for (const depth of [10, 10_000, 100_000]) {
    const v = results.emulator[depth].callsPerSecond;
    row(
      `emulator poll+ack+heartbeat+stats+enqueue, ${depth} queued`,
      `${Math.round(v)} calls/s`,
      depth === 10 ? '' : `${Math.round(base)} calls/s at 10`,
      depth === 10 ? '' : `${round(base / v, 2)}× cost`,
      depth === 100_000 ? '≤ 1.1× cost' : '',
    );
  }
  await pool.close();
  emulator.stop();
}

// ------------------------------------------------------------------ memory
async function memory() {
  const emulator = await startEmulatorProcess();
  const origin = new URL(emulator.url);
  const pool = new Pool(origin.origin);
  const env = await createEnvironment(pool);
  const floor = stdioProcess(node, [FLOOR]);
  const ours = stdioProcess(node, [CLI], {
    ANTHROPIC_API_KEY: 'bench-key',
    ANTHROPIC_BASE_URL: emulator.url,
  });
  await floor.initialize();
  await ours.initialize();
  await floor.request('tools/list');
  await ours.request('tools/list');
  await new Promise((r) => setTimeout(r, 200));
  const idle = { ours: ours.memory(), floor: floor.memory() };
  const n = quick ? 1000 : 10_000;
  await measure(
    () =>
      ours.request('tools/call', {
        name: 'get_environment',
        arguments: { environment_id: env.id },
      }),
    n,
    8,
  );
  await measure(
    () => floor.request('tools/call', { name: 'echo', arguments: { text: env.id } }),
    n,
    8,
  );
  const after = { ours: ours.memory(), floor: floor.memory() };
  results.memory = { idle, after, calls: n };
  row(
    'resident memory at idle',
    `${mib(idle.ours.rssKiB)}`,
    mib(idle.floor.rssKiB),
    ratio(idle.ours.rssKiB, idle.floor.rssKiB),
    '',
  );
  row(
    `peak memory after ${n} calls`,
    mib(after.ours.peakKiB),
    mib(after.floor.peakKiB),
    ratio(after.ours.peakKiB, after.floor.peakKiB),
    '',
  );
  await ours.stop();
  await floor.stop();
  await pool.close();
  emulator.stop();
}

const ms = (s) => `${round(s.median)} ms (${round(s.min)}–${round(s.max)})`;
const kib = (s) => `${round(s.median / 1024)} MiB (${round(s.min / 1024)}–${round(s.max / 1024)})`;
const mib = (k) => `${round(k / 1024)} MiB`;
const ratio = (a, b) => `${round(a / b, 2)}×`;

const sections = { start, size, calls, emulator: emulatorThroughput, memory };
const wanted = process.argv.slice(2).filter((a) => a in sections);
for (const name of wanted.length ? wanted : Object.keys(sections)) {
  process.stderr.write(`bench: ${name}…\n`);
  await sections[name]();
}

const widths = ['figure', 'value', 'floor', 'ratio', 'goal'].map((k) =>
  Math.max(k.length, ...rows.map((r) => String(r[k]).length)),
);
const line = (r) =>
  ['figure', 'value', 'floor', 'ratio', 'goal']
    .map((k, i) => String(r[k]).padEnd(widths[i]))
    .join(' | ');
console.log(
  line({ figure: 'figure', value: 'value', floor: 'floor', ratio: 'ratio', goal: 'goal' }),
);
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
mkdirSync(here('./results'), { recursive: true });
writeFileSync(here('./results/latest.json'), JSON.stringify({ ...results, rows }, null, 2));
console.log(
  `\nmachine: ${results.machine.cpus} × ${results.machine.model}, Node ${results.machine.node}; JSON: bench/results/latest.json`,
);
