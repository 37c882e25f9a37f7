// `npm run soak`: the long forms of the reliability suites (npm test runs
// CI-sized ones).
//   memory  SOAK_CALLS (10,000) sequential tool calls on one stdio session
//           against the emulator; heap and resident memory read after a
//           forced full GC as they go; fails unless both settle
//   fuzz    the fuzz suite with FUZZ_RUNS (3,000) cases per tool and a fresh
//           seed each run (printed; FUZZ_SEED=… reproduces it)
//   load    the load suite with LOAD_CALLS (10,000) concurrent calls
// `node bench/soak.mjs memory` runs one part. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'undici';
import { startEmulator } from '../dist/emulator/index.js';
import { round, stdioProcess } from './lib.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const CLI = here('../dist/cli.js');
const ROOT = here('..');
const mib = (kib) => `${round(kib / 1024)} MiB`;

/** The environment the reads in the mix look at. */
let base;

/** Call i of the mix: successes, an API error, a refused argument; each checked. */
function nth(i) {
  switch (i % 5) {
    case 0:
      return [
        { name: 'get_environment', arguments: { environment_id: base.id } },
        (r) => r.structuredContent?.name === 'soak-base',
      ];
    case 1:
      return [
        {
          name: 'create_environment',
          arguments: { name: `soak-${i}`, metadata: { i: String(i) } },
        },
        (r) => r.structuredContent?.name === `soak-${i}`,
      ];
    case 2:
      return [
        { name: 'list_environments', arguments: { limit: 10 } },
        (r) => Array.isArray(r.structuredContent?.data),
      ];
    case 3:
      return [
        { name: 'get_environment', arguments: { environment_id: 'env_missing' } },
        (r) => r.isError && r.content[0].text.includes('not_found_error'),
      ];
    default:
      return [
        { name: 'get_environment', arguments: { environment_id: `../${i}` } },
        (r) => r.isError && r.content[0].text.includes('invalid_arguments'),
      ];
  }
}

/**
 * The server under test, with the inspector on a loopback port so the soak
 * can force a full garbage collection before each reading: then the heap and
 * resident figures are what is really kept, not garbage waiting for a GC.
 */
async function inspectedServer(env) {
  const server = stdioProcess(process.execPath, ['--inspect=127.0.0.1:0', CLI], env, [
    'pipe',
    'pipe',
    'pipe',
  ]);
  const wsUrl = await new Promise((resolve, reject) => {
    let err = '';
    server.child.stderr.setEncoding('utf8');
    server.child.stderr.on('data', (c) => {
      err += c;
      const m = /ws:\/\/\S+/.exec(err);
      if (m) resolve(m[0]);
    });
    server.child.once('exit', () => reject(new Error(`server exited: ${err}`)));
  });
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const waiting = new Map();
  let id = 0;
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    waiting.get(msg.id)?.(msg.result);
    waiting.delete(msg.id);
  };
  const inspect = (method, params = {}) =>
    new Promise((resolve) => {
      waiting.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    server,
    /** Heap in use after a full GC, and resident memory, in KiB. */
    async settled() {
      await inspect('HeapProfiler.collectGarbage');
      const { usedSize } = await inspect('Runtime.getHeapUsage');
      return { heapKiB: usedSize / 1024, rssKiB: server.memory().rssKiB };
    },
    close: () => ws.close(),
  };
}

async function memory() {
  const calls = Number(process.env.SOAK_CALLS ?? 10_000);
  const api = await startEmulator();
  const { server, settled, close } = await inspectedServer({
    ANTHROPIC_API_KEY: 'soak-key',
    ANTHROPIC_BASE_URL: api.url,
  });
  await server.initialize();
  await server.request('tools/list');
  base = (
    await server.request('tools/call', {
      name: 'create_environment',
      arguments: { name: 'soak-base' },
    })
  ).msg.result.structuredContent;
  const run = async (from, to) => {
    for (let i = from; i < to; i++) {
      const [params, ok] = nth(i);
      const { msg } = await server.request('tools/call', params);
      if (!msg.result || !ok(msg.result))
        throw new Error(`call ${i} (${params.name}) got ${JSON.stringify(msg).slice(0, 300)}`);
    }
  };
  await run(0, 1000); // warm-up: JIT, pools, caches
  const every = Math.max(1, Math.floor(calls / 20));
  const samples = [{ calls: 0, ...(await settled()) }];
  const started = performance.now();
  for (let done = 0; done < calls; done += every) {
    await run(1000 + done, 1000 + Math.min(calls, done + every));
    samples.push({ calls: Math.min(calls, done + every), ...(await settled()) });
  }
  const seconds = (performance.now() - started) / 1000;
  close();
  await server.stop();
  await api.close();

  console.log(
    `soak memory: ${calls} sequential calls in ${round(seconds)} s (${round(calls / seconds, 0)} calls/s, GC pauses included); after a full GC:`,
  );
  console.log(
    samples
      .map(
        (s) =>
          `  after ${String(s.calls).padStart(6)} calls: heap ${mib(s.heapKiB).padStart(9)}, resident ${mib(s.rssKiB)}`,
      )
      .join('\n'),
  );
  // Settled: over the second half, the heap kept after a full GC has no
  // upward trend (least-squares slope), and resident memory is not above the
  // second quarter by more than allocator noise.
  const half = samples.slice(Math.floor(samples.length / 2));
  const slope = leastSquaresSlope(half.map((s) => [s.calls, s.heapKiB])); // KiB per call
  const heapGrowthPer10k = slope * 10_000;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const q = Math.floor(samples.length / 4);
  const rssEarly = median(samples.slice(q, 2 * q).map((s) => s.rssKiB));
  const rssLate = median(samples.slice(3 * q).map((s) => s.rssKiB));
  const heapFlat = heapGrowthPer10k < 512;
  const rssFlat = rssLate - rssEarly < Math.max(4096, rssEarly * 0.05);
  console.log(
    `soak memory: heap trend ${round(heapGrowthPer10k)} KiB per 10,000 calls (allowed < 512) → ${heapFlat ? 'FLAT' : 'GROWING'}`,
  );
  console.log(
    `soak memory: resident ${mib(rssEarly)} in the second quarter, ${mib(rssLate)} in the last → ${rssFlat ? 'FLAT' : 'GROWING'}`,
  );
  return heapFlat && rssFlat;
}

function leastSquaresSlope(points) {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

function vitest(files, env) {
  const r = spawnSync(
    process.execPath,
    [here('../node_modules/vitest/vitest.mjs'), 'run', ...files],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    },
  );
  return r.status === 0;
}

const parts = {
  memory,
  fuzz: () =>
    vitest(['test/fuzz.test.ts'], {
      FUZZ_RUNS: process.env.FUZZ_RUNS ?? '3000',
      FUZZ_SEED: process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31),
    }),
  load: () => vitest(['test/load.test.ts'], { LOAD_CALLS: process.env.LOAD_CALLS ?? '10000' }),
};
const wanted = process.argv.slice(2).filter((a) => a in parts);
let ok = true;
for (const name of wanted.length ? wanted : Object.keys(parts)) {
  process.stderr.write(`soak: ${name}…\n`);
  ok = (await parts[name]()) && ok;
}
process.exit(ok ? 0 : 1);
