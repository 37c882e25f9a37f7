// Builds the MCP Bundle (.mcpb) for Claude Desktop from the built package:
//   node scripts/bundle.mjs [output.mcpb]     (npm run bundle builds first)
// The bundle holds exactly the files npm would publish (package.json "files"),
// manifest.json, and the production dependencies as installed here (npm ci
// pins them to package-lock.json), so it runs with the Node that Claude
// Desktop ships and nothing else. Offline: nothing is downloaded.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
const out = resolve(process.argv[2] ?? join(root, `${pkg.name}-${pkg.version}.mcpb`));

function fail(message) {
  process.stderr.write(`bundle: ${message}\n`);
  process.exit(1);
}

if (manifest.version !== pkg.version)
  fail(`manifest.json version ${manifest.version} differs from package.json ${pkg.version}`);
const entry = Object.values(pkg.bin)[0];
if (!existsSync(join(root, entry)))
  fail(`${entry} is missing: run npm run build first (npm run bundle does)`);

/** npm itself: the one that runs this script under `npm run`, else the one on PATH. */
function npm(args, cwd) {
  const viaNpm = process.env.npm_execpath;
  const [cmd, argv] = viaNpm ? [process.execPath, [viaNpm, ...args]] : ['npm', args];
  return execFileSync(cmd, argv, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: !viaNpm && process.platform === 'win32',
  });
}

function mcpb(args) {
  const require = createRequire(import.meta.url);
  const dir = dirname(dirname(require.resolve('@anthropic-ai/mcpb'))); // …/dist/index.js → package root
  const bin = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).bin;
  execFileSync(process.execPath, [join(dir, typeof bin === 'string' ? bin : bin.mcpb), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function runs(path) {
  const name = basename(path);
  if (/\.(ts|cts|mts|map)$/i.test(name)) return false;
  return !/\.(md|markdown)$/i.test(name) || /^licen[cs]e/i.test(name);
}

const stage = mkdtempSync(join(tmpdir(), 'agent-environments-mcpb-'));
try {
  const [packed] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root));
  for (const { path } of packed.files) {
    mkdirSync(dirname(join(stage, path)), { recursive: true });
    copyFileSync(join(root, path), join(stage, path));
  }
  copyFileSync(join(root, 'manifest.json'), join(stage, 'manifest.json'));
  // Every installed production package (npm ls fails on a tree that does not
  // match package.json: then run npm ci). Copied without its own nested
  // node_modules (the nested packages it needs are listed themselves), and
  // without what never runs: TypeScript sources and types, source maps, docs
  // (license texts stay). That halves the files Claude Desktop unpacks.
  const packages = npm(['ls', '--omit=dev', '--all', '--parseable'], root)
    .split(/\r?\n/)
    .filter(Boolean);
  for (const dir of packages
    .map((p) => relative(root, p))
    .filter((p) => p.startsWith(`node_modules${sep}`))) {
    const nested = join(root, dir, 'node_modules');
    cpSync(join(root, dir), join(stage, dir), {
      recursive: true,
      filter: (src) => src !== nested && runs(src),
    });
  }
  mkdirSync(dirname(out), { recursive: true });
  mcpb(['pack', stage, out]); // validates manifest.json first
  process.stdout.write(`${out}\n`); // stdout-ok: a build script, not the MCP server
} finally {
  rmSync(stage, { recursive: true, force: true });
}
