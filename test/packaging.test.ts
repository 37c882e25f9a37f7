// The npm package as a user gets it: `npm pack` of this work tree (the built
// dist), installed into an empty folder from the npm cache, started with
// `npx agent-environments-mcp` and driven over stdio by the MCP SDK Client.
// Nothing here depends on how dist/ is laid out: the entry is package.json's bin.
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpJsonLaunch, pkg, readJson } from './support/hosts.js';
import { spawnServer } from './support/mcp.js';
import { apiError, json, startRecorder } from './support/recorder.js';
import { run, type Ran } from './support/run.js';

const SLOW = 180_000; // npm on a loaded 2-core machine

let dir: string;
let tarball: string;
let packedFiles: string[];
let packedModes: Map<string, number>;
let installed: string;
let install: Ran;

function ok(ran: Ran, what: string): Ran {
  expect(ran.code, `${what} failed:\n${ran.stdout}\n${ran.stderr}`).toBe(0);
  return ran;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agent-environments-pack-'));
  // --ignore-scripts: the test suite has just built dist/; prepack would rebuild
  // it under the feet of the other test files.
  const packed = ok(
    await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      timeoutMs: SLOW,
    }),
    'npm pack',
  );
  const [info] = JSON.parse(packed.stdout) as {
    filename: string;
    files: { path: string; mode: number }[];
  }[];
  tarball = join(dir, info!.filename);
  packedFiles = info!.files.map((f) => f.path);
  packedModes = new Map(info!.files.map((f) => [f.path, f.mode]));
  installed = join(dir, 'app');
  // An empty folder, as a user's would be; dependencies come from the npm cache.
  mkdirSync(installed);
  install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    cwd: installed,
    timeoutMs: SLOW,
  });
}, SLOW);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds only what runs: package.json, README, LICENSE and the built files', () => {
    // dist/catalog.json: the tools/list entries the start serves; dist/views/app.html: the MCP App view (npm run build writes both).
    const built = ['dist/catalog.json', 'dist/views/app.html'];
    expect(packedFiles).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE', ...built, pkg.bin[pkg.name]]),
    );
    const stray = packedFiles.filter(
      (f) =>
        !['package.json', 'README.md', 'LICENSE', ...built].includes(f) &&
        !(f.startsWith('dist/') && f.endsWith('.js')),
    );
    expect(stray).toEqual([]);
  });

  it('declares engines, and runtime dependencies only', () => {
    expect(pkg.engines?.node).toMatch(/^>=20/);
    for (const dev of ['typescript', 'vitest', '@anthropic-ai/sdk', '@anthropic-ai/mcpb']) {
      expect(Object.keys(pkg.dependencies)).not.toContain(dev);
    }
  });

  it(
    'is publint clean, as installed from the tarball',
    async () => {
      ok(install, 'npm install of the tarball');
      // pack: false lints the folder as it is: here, exactly the files the tarball held.
      const pkgDir = join(installed, 'node_modules', pkg.name);
      const { messages, pkg: linted } = await publint({
        pkgDir,
        level: 'suggestion',
        strict: true,
        pack: false,
      });
      expect(messages.map((m) => formatMessage(m, linted))).toEqual([]);
    },
    SLOW,
  );

  it('installs into an empty folder without its devDependencies', () => {
    ok(install, 'npm install of the tarball');
    const modules = join(installed, 'node_modules');
    expect(readJson(join(modules, pkg.name, 'package.json')).version).toBe(pkg.version);
    for (const dep of Object.keys(pkg.dependencies))
      expect(() => accessSync(join(modules, dep))).not.toThrow();
    for (const dev of ['vitest', 'typescript', '@anthropic-ai/mcpb'])
      expect(() => accessSync(join(modules, dev))).toThrow();
  });

  it('has an executable bin with a node shebang', () => {
    // Executable in the tarball already (the build sets it), not only where npm fixes it up on install.
    expect((packedModes.get(pkg.bin[pkg.name]!) ?? 0) & 0o111).not.toBe(0);
    const bin = join(installed, 'node_modules', pkg.name, pkg.bin[pkg.name]!);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    if (process.platform !== 'win32') {
      expect(() =>
        accessSync(join(installed, 'node_modules', '.bin', pkg.name), constants.X_OK),
      ).not.toThrow();
    }
  });

  it(
    'answers `npx agent-environments-mcp --version` in that folder',
    async () => {
      const ran = ok(
        await run('npx', [pkg.name, '--version'], {
          cwd: installed,
          env: { npm_config_offline: 'true' },
          timeoutMs: SLOW,
        }),
        'npx --version',
      );
      expect(ran.stdout.trim()).toBe(pkg.version);
    },
    SLOW,
  );

  it(
    'serves tools/list over stdio when launched as mcp.json says (npx -y), from the installed copy',
    async () => {
      const launch = mcpJsonLaunch();
      // Offline: npx must find the installed copy, not fetch one.
      const server = await spawnServer({
        launch: { command: launch.command, args: launch.args, cwd: installed },
        env: { ...launch.env, npm_config_offline: 'true' },
      });
      try {
        const tools = (await server.client.listTools()).tools;
        expect(tools.map((t) => t.name)).toEqual(
          expect.arrayContaining([
            'create_environment',
            'list_environments',
            'list_work_items',
            'poll_work_item',
          ]),
        );
        expect(tools.length).toBeGreaterThanOrEqual(14);
        for (const t of tools) expect(t.inputSchema.type).toBe('object');
      } finally {
        await server.close();
      }
    },
    SLOW,
  );

  it(
    'works end to end from the installed copy in emulator mode (npx agent-environments-mcp --emulator)',
    async () => {
      const server = await spawnServer({
        launch: { command: 'npx', args: [pkg.name, '--emulator'], cwd: installed },
        env: { npm_config_offline: 'true' },
      });
      try {
        const created = await server.call('create_environment', {
          name: 'from-the-tarball',
          config: { type: 'self_hosted' },
        });
        expect(created.isError).toBeFalsy();
        const listed = await server.call('list_environments', {});
        expect(
          (listed.structuredContent as { data: { name: string }[] }).data.map((e) => e.name),
        ).toEqual(['from-the-tarball']);
        // The MCP App view ships in the package and is served from the installed copy.
        const view = await server.client.readResource({
          uri: 'ui://agent-environments/work-queue',
        });
        expect(view.contents[0]).toMatchObject({
          mimeType: 'text/html;profile=mcp-app',
          text: expect.stringContaining('<!doctype html>'),
        });
      } finally {
        await server.close();
      }
    },
    SLOW,
  );

  it(
    'runs doctor from the installed copy (a lazily imported command)',
    async () => {
      const api = await startRecorder();
      api.fallback = (req, res) =>
        // The API key goes as a Bearer (SDK 1.16); the network check sends none.
        req.headers.authorization?.startsWith('Bearer ')
          ? json(200, { data: [], next_page: null })(req, res)
          : apiError(401, 'authentication_error', 'no key')(req, res);
      try {
        const ran = await run('npx', [pkg.name, 'doctor', '--base-url', api.url], {
          cwd: installed,
          env: {
            npm_config_offline: 'true',
            ANTHROPIC_API_KEY: 'sk-ant-packaging-test-0123456789',
          },
          timeoutMs: SLOW,
        });
        expect(ran.stdout).toContain('All is well.');
        expect(ran.code).toBe(0);
      } finally {
        await api.close();
      }
    },
    SLOW,
  );
});
