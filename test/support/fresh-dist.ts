// vitest globalSetup: the end-to-end suites spawn the built dist/cli.js, so a
// run after editing src/ must not test yesterday's build. When any source of
// the build is newer than its last product (dist/catalog.json, written last
// by `npm run build`), this rebuilds first, or fails the run saying why.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRODUCT = join(ROOT, 'dist/catalog.json');
const INPUTS = ['src', 'scripts/catalog.mjs', 'tsconfig.json', 'package.json'];

function newest(path: string): { file: string; mtime: number } {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { file: path, mtime: stat.mtimeMs };
  let best = { file: path, mtime: 0 };
  for (const entry of readdirSync(path)) {
    const n = newest(join(path, entry));
    if (n.mtime > best.mtime) best = n;
  }
  return best;
}

/** Why dist/ is stale, or undefined when it is as new as every source. */
export function staleness(): string | undefined {
  if (!existsSync(PRODUCT)) return 'dist/ has not been built';
  const built = statSync(PRODUCT).mtimeMs;
  const changed = INPUTS.map((p) => newest(join(ROOT, p))).sort((a, b) => b.mtime - a.mtime)[0]!;
  return changed.mtime > built
    ? `${changed.file.slice(ROOT.length)} is newer than the build`
    : undefined;
}

export default function setup(): void {
  const why = staleness();
  if (!why) return;
  process.stderr.write(`test setup: ${why}; running npm run build first\n`);
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    throw new Error(
      `dist/ is stale (${why}) and npm run build failed, so the end-to-end tests would test an old build:\n` +
        `${build.stdout}${build.stderr}`.slice(-4000),
    );
  }
}
