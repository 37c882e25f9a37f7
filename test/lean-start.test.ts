// The lean start, fenced: what the built stdio front loads before the first
// message it does not answer itself (src/transports/stdio.ts) must not pull in
// zod, the MCP SDK or undici, which would cost every host window a slower
// start (BENCHMARKS.md). This walks the static import closure of dist/ from
// the CLI through the stdio front; the full session (stdio-session.js) is a
// dynamic import and starts a closure of its own.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRaw, type RawServer } from './support/raw.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
// The MCP SDK: v2 (server, core, client) and 1.x.
const HEAVY = [
  /^zod(\/|$)/,
  /^@modelcontextprotocol\/(sdk|server|core|client)(\/|$)/,
  /^undici(\/|$)/,
];

/** Specifiers of a built module's static imports and re-exports (type imports are gone in dist). */
function staticImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm))
    found.push(m[1]!);
  for (const m of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) found.push(m[1]!);
  return found;
}

function dynamicImports(source: string): string[] {
  return [...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

/** Every module reached from the roots by static imports: files of dist/ and packages, each with who imports it. */
function closure(roots: string[]): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const todo = roots.map((r) => join(DIST, r));
  while (todo.length) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.set(spec, relative(DIST, file));
    }
  }
  return { files, packages };
}

describe('the lean stdio start', () => {
  it('the CLI reaches the stdio front by a dynamic import (the roots below are the real start path)', () => {
    expect(dynamicImports(readFileSync(join(DIST, 'cli.js'), 'utf8'))).toContain(
      './transports/stdio.js',
    );
    expect(dynamicImports(readFileSync(join(DIST, 'transports/stdio.js'), 'utf8'))).toContain(
      './stdio-session.js',
    );
  });

  it('loads neither zod, the MCP SDK nor undici before the first message the front does not answer', () => {
    const { files, packages } = closure(['cli.js', 'transports/stdio.js']);
    // The walk did find the front's own modules: a walk that found nothing would prove nothing.
    expect([...files].map((f) => relative(DIST, f))).toEqual(
      expect.arrayContaining([
        'cli.js',
        'transports/stdio.js',
        'inventory/select.js',
        'tools/define.js',
      ]),
    );
    const heavy = [...packages].filter(([spec]) => HEAVY.some((h) => h.test(spec)));
    expect(heavy.map(([spec, by]) => `${spec} (imported by dist/${by})`)).toEqual([]);
  });

  it('the full session does load them (so the fence above looks at the right imports)', () => {
    const { packages } = closure(['transports/stdio-session.js']);
    expect([...packages.keys()].some((spec) => HEAVY[1]!.test(spec))).toBe(true);
  });
});

// The same fence at run time: the built server, preloaded with a tracer of
// every module it resolves (test/support/trace-loads.mjs), driven over stdio.
describe('what a running stdio server has loaded', () => {
  const INIT = {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'lean', version: '1' },
  };
  const TRACER = new URL('./support/trace-loads.mjs', import.meta.url).href;
  const running: RawServer[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const s of running.splice(0)) s.kill();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function traced(env: Record<string, string> = {}, args: string[] = []) {
    const dir = mkdtempSync(join(tmpdir(), 'lean-start-'));
    dirs.push(dir);
    const file = join(dir, 'loads.txt');
    const s = spawnRaw(
      {
        ANTHROPIC_API_KEY: 'sk-lean-test',
        TRACE_LOADS_FILE: file,
        NODE_OPTIONS: `--import=${TRACER}`,
        ...env,
      },
      args,
    );
    running.push(s);
    const heavy = () => {
      const loads = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
      return loads.filter((url) =>
        /\/node_modules\/(zod|@modelcontextprotocol\/(sdk|server|core|client)|undici)\//.test(url),
      );
    };
    return { s, heavy };
  }

  it('answers initialize and tools/list without them, and loads them for the first other message', async () => {
    const { s, heavy } = traced();
    expect((await s.request('initialize', INIT)).result.serverInfo).toBeDefined();
    expect((await s.request('tools/list')).result.tools.length).toBeGreaterThan(0);
    expect(heavy()).toEqual([]);
    expect((await s.request('logging/setLevel', { level: 'error' })).result).toEqual({});
    expect(heavy().length).toBeGreaterThan(0);
    s.assertJsonOnly();
  });

  it('answers server/discover and 2026-07-28 tools/list without them too', async () => {
    const { s, heavy } = traced();
    const _meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'lean', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    expect((await s.request('server/discover', { _meta })).result.supportedVersions).toEqual([
      '2026-07-28',
    ]);
    expect((await s.request('tools/list', { _meta })).result.tools.length).toBeGreaterThan(0);
    expect(heavy()).toEqual([]);
    expect((await s.request('prompts/list', { _meta })).result.prompts).toBeDefined();
    expect(heavy().length).toBeGreaterThan(0);
    s.assertJsonOnly();
  });

  it.each([
    ['AGENT_ENVIRONMENTS_STDIO_FRONT=false', { AGENT_ENVIRONMENTS_STDIO_FRONT: 'false' }, []],
    ['--no-stdio-front', {}, ['--no-stdio-front']],
  ] as const)(
    '%s turns the front off: the SDK session answers from the first message',
    async (_, env, args) => {
      const { s, heavy } = traced(env, [...args]);
      const init = await s.request('initialize', INIT);
      expect(init.result.serverInfo.name).toBe('agent-environments-mcp');
      expect(heavy().length).toBeGreaterThan(0);
      expect((await s.request('tools/list')).result.tools.length).toBeGreaterThan(0);
      s.assertJsonOnly();
    },
  );
});
