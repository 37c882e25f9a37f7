// Prints which src/ folders import which (static and dynamic imports, type
// imports included) and fails when any folders import each other in a cycle.
// `node scripts/folder-graph.mjs` ; test/layout.test.ts runs the same check.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const folderOf = (file) => {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '(root)';
};

/** Folder → the folders its files import, each with the files that do it. */
export function folderGraph() {
  const graph = new Map();
  const spec = /(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g;
  for (const file of files(SRC)) {
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const m of readFileSync(file, 'utf8').matchAll(spec)) {
      const target = resolve(dirname(file), m[1]).replace(/\.js$/, '.ts');
      const to = folderOf(target);
      if (to === from) continue;
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, new Set());
      edges.get(to).add(relative(SRC, file));
    }
  }
  return graph;
}

/** Every cycle between folders, each as a list of folders (found by depth-first search). */
export function folderCycles(graph) {
  const cycles = [];
  const seen = new Set();
  const visit = (node, path) => {
    for (const next of graph.get(node)?.keys() ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = path.slice(at);
        const key = [...cycle].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (path.length < 20) visit(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = folderGraph();
  for (const [from, edges] of [...graph].sort()) {
    console.log(`${from.padEnd(11)} → ${[...edges.keys()].sort().join(', ') || '(nothing)'}`);
  }
  const cycles = folderCycles(graph);
  for (const c of cycles) {
    const pairs = c
      .slice(0, -1)
      .map((f, i) => `${f}→${c[i + 1]} (${[...graph.get(f).get(c[i + 1])].join(', ')})`);
    console.log(`CYCLE ${c.join(' → ')}: ${pairs.join('; ')}`);
  }
  process.exitCode = cycles.length ? 1 : 0;
}
