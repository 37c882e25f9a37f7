// `npm run soak` part "hostile": the built server over stdio against a
// hostile HTTPS proxy (hangs up after CONNECT; accepts it and never answers)
// and a hostile API (cursors that never end or stand still, bodies that
// trickle, answers that never come, polls that never block). Each scenario
// runs SOAK_HOSTILE_CALLS (20) calls at once, several rounds; it passes when
// every call ends by --deadline-ms (plus slack for a loaded machine), the
// traffic per call stays within its bound, and none goes on once the calls
// have ended. Needs `npm run build` first.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { round, stdioProcess } from './lib.mjs';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CALLS = Number(process.env.SOAK_HOSTILE_CALLS ?? 20);
const ROUNDS = Number(process.env.SOAK_HOSTILE_ROUNDS ?? 3);
const TIMEOUT_MS = 500;
const DEADLINE_MS = 2000;
const MAX_RETRIES = 2;
const SLACK_MS = 2500;
const ENV_ID = 'env_hostile01';

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A proxy that counts CONNECTs and hangs up on each, or holds each open. */
async function hostileProxy(mode) {
  const sockets = new Set();
  const proxy = createServer((_req, res) => res.writeHead(405).end());
  const counter = { traffic: 0 };
  proxy.on('connect', (_req, socket) => {
    counter.traffic++;
    socket.on('error', () => {});
    if (mode === 'hang_up') return void socket.destroy();
    sockets.add(socket);
    socket.on('end', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(proxy);
  return {
    counter,
    open: () => sockets.size,
    env: {
      ANTHROPIC_BASE_URL: 'https://api.hostile.invalid',
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      https_proxy: `http://127.0.0.1:${port}`,
      NO_PROXY: '',
      no_proxy: '',
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => proxy.close(r));
    },
  };
}

/** An API whose every answer is `respond(req, res)`; counts requests. */
async function hostileApi(respond) {
  const open = new Set();
  const counter = { traffic: 0 };
  const api = createServer((req, res) => {
    counter.traffic++;
    respond(req, res);
  });
  api.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  const port = await listen(api);
  return {
    counter,
    open: () => 0,
    env: { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` },
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise((r) => api.close(r));
    },
  };
}

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const environment = {
  id: ENV_ID,
  type: 'environment',
  name: 'hostile',
  config: { type: 'self_hosted' },
};

const SCENARIOS = [
  {
    name: 'proxy hangs up after CONNECT',
    target: () => hostileProxy('hang_up'),
    call: { name: 'get_environment', arguments: { environment_id: ENV_ID } },
    perCall: MAX_RETRIES + 1,
  },
  {
    name: 'proxy never answers CONNECT',
    target: () => hostileProxy('silent'),
    call: { name: 'get_environment', arguments: { environment_id: ENV_ID } },
    perCall: MAX_RETRIES + 1,
  },
  {
    name: 'API list never ends',
    target: () =>
      hostileApi((req, res) => {
        const n = Number(new URL(req.url, 'http://x').searchParams.get('page')?.slice(2) ?? 0);
        send(res, 200, { data: [environment], next_page: `p_${n + 1}` });
      }),
    call: { name: 'list_environments', arguments: { all: true, max_items: 10_000 } },
    perCall: 200,
  },
  {
    name: 'API cursor stands still',
    target: () =>
      hostileApi((_req, res) => send(res, 200, { data: [environment], next_page: 'same' })),
    call: { name: 'list_environments', arguments: { all: true } },
    perCall: 2,
  },
  {
    name: 'API body trickles',
    target: () =>
      hostileApi((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"');
        const timer = setInterval(() => res.write('x'), 50);
        res.on('close', () => clearInterval(timer));
      }),
    call: { name: 'get_environment', arguments: { environment_id: ENV_ID } },
    perCall: MAX_RETRIES + 1,
  },
  {
    name: 'API never answers',
    target: () => hostileApi(() => {}),
    call: { name: 'get_environment', arguments: { environment_id: ENV_ID } },
    perCall: MAX_RETRIES + 1,
  },
  {
    name: 'API poll never blocks',
    target: () => hostileApi((_req, res) => send(res, 200, null)),
    call: { name: 'poll_work_item', arguments: { environment_id: ENV_ID, wait_ms: 60_000 } },
    // One poll per block (999 ms) until a second before the deadline.
    perCall: Math.ceil(DEADLINE_MS / 999) + 1,
  },
];

async function scenario(s) {
  const target = await s.target();
  const server = stdioProcess(process.execPath, [CLI], {
    ANTHROPIC_API_KEY: 'sk-ant-soak-hostile-0123456789',
    ANTHROPIC_ENVIRONMENT_KEY: 'env-key-soak-hostile-0123456789',
    AGENT_ENVIRONMENTS_TIMEOUT_MS: String(TIMEOUT_MS),
    AGENT_ENVIRONMENTS_DEADLINE_MS: String(DEADLINE_MS),
    AGENT_ENVIRONMENTS_MAX_RETRIES: String(MAX_RETRIES),
    ...target.env,
  });
  let ok = true;
  let slowest = 0;
  let traffic = 0;
  try {
    await server.initialize();
    for (let round = 0; round < ROUNDS; round++) {
      const before = target.counter.traffic;
      const started = performance.now();
      // The soak itself ends on time even when the server does not (a build without the fix).
      const answers = await Promise.race([
        Promise.all(Array.from({ length: CALLS }, () => server.request('tools/call', s.call))),
        sleep(DEADLINE_MS + 30_000).then(() => {
          throw new Error(`${s.name}: calls still running 30 s after their deadline`);
        }),
      ]);
      const ms = Math.max(...answers.map((a) => a.at - started));
      slowest = Math.max(slowest, ms);
      if (answers.some((a) => !a.msg.result)) {
        console.log(
          `  ${s.name}: a call got no tool result: ${JSON.stringify(answers[0].msg).slice(0, 200)}`,
        );
        ok = false;
      }
      const during = target.counter.traffic - before;
      await sleep(1000);
      const after = target.counter.traffic - before - during;
      traffic += during + after;
      if (during > CALLS * s.perCall || after > 0 || target.open() > 0) {
        console.log(
          `  ${s.name}: ${during} requests for ${CALLS} calls (bound ${CALLS * s.perCall}), ${after} after they ended, ${target.open()} tunnels open`,
        );
        ok = false;
      }
    }
  } finally {
    await server.stop();
    await target.close();
  }
  const onTime = slowest <= DEADLINE_MS + SLACK_MS;
  console.log(
    `soak hostile: ${s.name.padEnd(30)} ${ROUNDS}×${CALLS} calls, slowest ${round(slowest / 1000, 2)} s (deadline ${DEADLINE_MS / 1000} s), ` +
      `${round(traffic / (ROUNDS * CALLS), 1)} requests per call (bound ${s.perCall}) → ${ok && onTime ? 'OK' : 'FAILED'}`,
  );
  return ok && onTime;
}

export async function hostile() {
  let ok = true;
  for (const s of SCENARIOS) {
    const passed = await scenario(s).catch((err) => {
      console.log(`soak hostile: ${err.message} → FAILED`);
      return false;
    });
    ok = passed && ok;
  }
  return ok;
}
