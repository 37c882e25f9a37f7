#!/usr/bin/env node
// Emulator scale benchmark: ops/s of poll, ack, heartbeat and stats with 10,
// 10,000 and 100,000 items queued in one environment. Every operation is
// O(1) (O(log n) for a lease), so the rates should not fall as the queue
// grows. Measured over HTTP on loopback (one keep-alive connection, as a
// worker uses) and in process (the queue alone, without HTTP).
//
//   node bench/emulator.mjs            (after npm run build)
//   BENCH_CYCLES=2000 node bench/emulator.mjs
import { Pool } from 'undici';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/emulator/', import.meta.url));
if (!existsSync(`${dist}index.js`)) {
  process.stderr.write('bench/emulator.mjs: run `npm run build` first\n');
  process.exit(1);
}
const { startEmulator, manualClock } = await import(`${dist}index.js`);
const { WorkQueue } = await import(`${dist}queue.js`);
const { stamper } = await import(`${dist}clock.js`);

const SIZES = [10, 10_000, 100_000];
const HTTP_CYCLES = Number(process.env.BENCH_CYCLES ?? 500);
const DIRECT_CYCLES = Number(process.env.BENCH_DIRECT_CYCLES ?? 50_000);
const OPS = ['poll', 'ack', 'heartbeat', 'stats'];

const HEADERS = {
  'anthropic-version': '2023-06-01',
  'anthropic-beta': 'managed-agents-2026-04-01',
  authorization: 'Bearer bench-key',
};

/** Runs `cycles` claim cycles, keeping the queue at its size (one new item per item claimed). */
async function measure(cycles, refill, steps) {
  const spent = Object.fromEntries(OPS.map((op) => [op, 0]));
  for (let i = 0; i < cycles; i++) {
    refill();
    let item;
    for (const op of OPS) {
      const t = performance.now();
      item = await steps[op](item);
      spent[op] += performance.now() - t;
    }
  }
  return Object.fromEntries(OPS.map((op) => [op, cycles / (spent[op] / 1000)]));
}

async function overHttp(size) {
  const emulator = await startEmulator({ clock: manualClock() });
  const pool = new Pool(emulator.url, { connections: 1 });
  const request = async (method, path) => {
    const res = await pool.request({ method, path, headers: HEADERS });
    const body = await res.body.json();
    if (res.statusCode !== 200) throw new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(body)}`);
    return body;
  };
  const created = await pool.request({
    method: 'POST',
    path: '/v1/environments',
    headers: { ...HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', config: { type: 'self_hosted' } }),
  });
  const env = (await created.body.json()).id;
  for (let i = 0; i < size; i++) emulator.enqueue(env);
  const base = `/v1/environments/${env}/work`;
  // Warm up (JIT, connection) before timing.
  await measure(200, () => emulator.enqueue(env), steps());
  const rates = await measure(HTTP_CYCLES, () => emulator.enqueue(env), steps());
  await pool.close();
  await emulator.close();
  return rates;

  function steps() {
    return {
      poll: () => request('GET', `${base}/poll?worker_id=bench`),
      ack: (w) => request('POST', `${base}/${w.id}/ack`).then(() => w),
      heartbeat: (w) => request('POST', `${base}/${w.id}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT`).then(() => w),
      stats: () => request('GET', `${base}/stats`),
    };
  }
}

async function inProcess(size) {
  const clock = manualClock();
  const queue = new WorkQueue('env_bench', { clock, stamp: stamper(clock) });
  for (let i = 0; i < size; i++) queue.enqueue();
  const steps = {
    poll: () => queue.poll({ workerId: 'bench' }),
    ack: (w) => (queue.ack(w.id), w),
    heartbeat: (w) => (queue.heartbeat(w.id, { expected: 'NO_HEARTBEAT' }), w),
    stats: () => queue.stats(),
  };
  await measure(10_000, () => queue.enqueue(), steps);
  return measure(DIRECT_CYCLES, () => queue.enqueue(), steps);
}

function table(title, rows) {
  const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(12);
  process.stdout.write(`\n${title}\n${'items queued'.padStart(14)}${OPS.map((op) => op.padStart(12)).join('')}   (ops/s)\n`);
  for (const [size, rates] of rows) {
    process.stdout.write(`${size.toLocaleString('en-US').padStart(14)}${OPS.map((op) => fmt(rates[op])).join('')}\n`);
  }
}

const http = [];
for (const size of SIZES) http.push([size, await overHttp(size)]);
table(`Emulator over HTTP (loopback, 1 connection, ${HTTP_CYCLES} cycles per size)`, http);

const direct = [];
for (const size of SIZES) direct.push([size, await inProcess(size)]);
table(`Emulator work queue in process (no HTTP, ${DIRECT_CYCLES.toLocaleString('en-US')} cycles per size)`, direct);

// The claim the benchmark checks: the largest queue is not much slower than the smallest.
const ratio = (rows) => Math.min(...OPS.map((op) => rows[rows.length - 1][1][op] / rows[0][1][op]));
process.stdout.write(
  `\nslowest op at ${SIZES.at(-1).toLocaleString('en-US')} items vs ${SIZES[0]}: ${(ratio(http) * 100).toFixed(0)}% (HTTP), ` +
    `${(ratio(direct) * 100).toFixed(0)}% (in process) of the rate\n`,
);
