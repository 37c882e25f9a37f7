// Helpers shared by the benchmarks: a raw JSON-RPC stdio driver (the same
// for every server measured, so client overhead is equal), statistics, and
// memory readings from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const PROTOCOL = '2025-06-18';
export const MODERN_PROTOCOL = '2026-07-28';
/** The per-request _meta envelope of a 2026-07-28 client. */
export const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL,
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/**
 * How a client opens a connection before its first tools/list: a 2025-11-25
 * initialize; a server/discover probe first (as Claude Code and the 2.x SDK
 * clients send it); or a 2026-07-28 client that knows the server already and
 * sends no opening at all.
 */
export const OPENINGS = {
  initialize: async (p) => {
    await p.initialize();
    return p.request('tools/list');
  },
  discover: async (p) => {
    await p.request('server/discover', { _meta: ENVELOPE });
    return p.request('tools/list', { _meta: ENVELOPE });
  },
  modern: (p) => p.request('tools/list', { _meta: ENVELOPE }),
};

/** Spawns a stdio server and returns a minimal JSON-RPC driver for it. */
export function stdioProcess(command, args, env = {}, stdio = ['pipe', 'pipe', 'ignore']) {
  const started = performance.now();
  const child = spawn(command, args, { stdio, env: { ...cleanEnv(), ...env } });
  const pending = new Map();
  let nextId = 1;
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      const msg = JSON.parse(line);
      const p = pending.get(msg.id);
      if (p) {
        pending.delete(msg.id);
        p({ msg, at: performance.now(), bytes: line.length });
      }
    }
  });
  return {
    child,
    started,
    request(method, params = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    },
    notify(method, params = {}) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`);
    },
    async initialize() {
      const r = await this.request('initialize', {
        protocolVersion: PROTOCOL,
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      });
      this.notify('notifications/initialized');
      return r;
    },
    memory() {
      return readMemory(child.pid);
    },
    async stop() {
      child.stdin.end();
      await new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', r);
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      });
    },
  };
}

/** Resident and peak resident memory of a process, in KiB. */
export function readMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssKiB: kib('VmRSS'), peakKiB: kib('VmHWM') };
}

export function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('ANTHROPIC_') && !k.startsWith('AGENT_ENVIRONMENTS_')) env[k] = v;
  }
  return env;
}

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function summary(values) {
  return { median: quantile(values, 0.5), min: Math.min(...values), max: Math.max(...values) };
}

export const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
