// The folder layout is the architecture (docs/adding-an-operation.md): no two
// folders of src/ import each other, directly or round a cycle, and the
// layers only look down. scripts/folder-graph.mjs prints the graph.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/folder-graph.mjs', import.meta.url));

function graph(): { status: number | null; edges: Map<string, string[]>; out: string } {
  const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
  const edges = new Map<string, string[]>();
  for (const line of run.stdout.split('\n')) {
    const m = /^(\S+)\s+→ (.*)$/.exec(line);
    if (m) edges.set(m[1]!, m[2] === '(nothing)' ? [] : m[2]!.split(', '));
  }
  return { status: run.status, edges, out: run.stdout };
}

// What each folder may not import: the layers above it.
const NEVER: Record<string, string[]> = {
  config: [
    'api',
    'shapes',
    'tools',
    'calls',
    'inventory',
    'server',
    'transports',
    'doctor',
    'emulator',
  ],
  shapes: ['api', 'config', 'tools', 'calls', 'inventory', 'server', 'transports'],
  api: ['tools', 'calls', 'inventory', 'server', 'transports', 'doctor', 'emulator'],
  diagnosis: ['api', 'tools', 'calls', 'inventory', 'server', 'transports'],
  tools: ['calls', 'inventory', 'server', 'transports', 'emulator'],
  inventory: ['calls', 'server', 'transports', 'emulator'],
  calls: ['server', 'transports', 'emulator'],
  server: ['transports'],
};

describe('folder layout', () => {
  const g = graph();
  it('has no import cycle between folders', () => {
    expect(g.out).not.toContain('CYCLE');
    expect(g.status).toBe(0);
    // The graph was read: every layer is in it.
    expect([...g.edges.keys()]).toEqual(expect.arrayContaining(Object.keys(NEVER)));
  });

  it.each(Object.entries(NEVER))('%s imports no layer above it', (folder, above) => {
    const imports = g.edges.get(folder) ?? [];
    expect(imports.filter((f) => above.includes(f))).toEqual([]);
  });
});
