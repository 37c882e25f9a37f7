// The MCP Bundle: `scripts/bundle.mjs` (what `npm run bundle` runs after the
// build) packs a .mcpb with @anthropic-ai/mcpb; unpacked, as Claude Desktop
// does, the manifest's command starts the server from the bundle alone.
import { accessSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestLaunch, pkg, readJson } from './support/hosts.js';
import { spawnServer } from './support/mcp.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { ROOT, run, type Ran } from './support/run.js';

const SLOW = 180_000; // zip compression and file copies on a loaded 2-core machine

let dir: string;
let bundle: string;
let unpacked: string;
let built: Ran;
let api: Recorder;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agent-environments-mcpb-test-'));
  bundle = join(dir, 'out', `${pkg.name}.mcpb`);
  unpacked = join(dir, 'unpacked');
  built = await run(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), bundle], {
    timeoutMs: SLOW,
  });
  if (built.code === 0)
    await run('npx', ['--no', 'mcpb', 'unpack', bundle, unpacked], { timeoutMs: SLOW });
  api = await startRecorder();
  api.fallback = json(200, { data: [], next_page: null });
}, SLOW);

afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run bundle', () => {
  it('packs a .mcpb holding the manifest, the built package and its production dependencies only', () => {
    expect(built.code, `bundle failed:\n${built.stdout}\n${built.stderr}`).toBe(0);
    expect(built.stdout.trim()).toBe(bundle);
    expect(readJson(join(unpacked, 'manifest.json')).version).toBe(pkg.version);
    for (const file of ['package.json', 'LICENSE', 'README.md', pkg.bin[pkg.name]!])
      expect(existsSync(join(unpacked, file)), file).toBe(true);
    for (const dep of Object.keys(pkg.dependencies))
      expect(() => accessSync(join(unpacked, 'node_modules', dep)), dep).not.toThrow();
    for (const absent of [
      'src',
      'test',
      'scripts',
      'package-lock.json',
      'node_modules/vitest',
      'node_modules/typescript',
      'node_modules/@anthropic-ai/mcpb',
    ]) {
      expect(existsSync(join(unpacked, absent)), absent).toBe(false);
    }
  });

  it(
    'starts from the unpacked bundle as Claude Desktop launches it, the key typed in reaching the API',
    async () => {
      const apiKey = 'sk-ant-api03-bundle-test-0123456789';
      const launch = manifestLaunch(unpacked, {
        api_key: apiKey,
        base_url: api.url,
        read_only: false,
      });
      expect(launch.args[0]).toBe(join(unpacked, pkg.bin[pkg.name]!));
      const server = await spawnServer({ launch: { ...launch, cwd: unpacked }, env: launch.env });
      try {
        const tools = (await server.client.listTools()).tools.map((t) => t.name);
        expect(tools).toEqual(
          (readJson(join(unpacked, 'manifest.json')).tools as { name: string }[]).map(
            (t) => t.name,
          ),
        );
        const result = await server.call('list_environments', {});
        expect(result.isError).toBeFalsy();
        expect(api.requests.at(-1)?.headers['x-api-key']).toBe(apiKey);
      } finally {
        await server.close();
      }
    },
    SLOW,
  );
});
