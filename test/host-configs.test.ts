// The host configs we ship — mcp.json, server.json (MCP Registry) and
// manifest.json (MCP Bundle) — are valid, agree with package.json and the
// server, and the command each one names really starts the server.
//
// Substitutions, so that the tests run the local build rather than whatever
// npm would download: `npx -y agent-environments-mcp` (mcp.json, and
// server.json's runtimeHint + identifier) becomes `node <bin of package.json>`
// in this work tree; the manifest's `node ${__dirname}/dist/cli.js` runs with
// `${__dirname}` = this work tree. The packed-tarball and bundle tests run the
// same commands unsubstituted from an installed copy and an unpacked bundle.
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/config/settings.js';
import {
  atLocalBuild,
  manifestLaunch,
  mcpJsonLaunch,
  pkg,
  readJson,
  serverJsonLaunch,
  type Launch,
} from './support/hosts.js';
import { resultJson, spawnServer } from './support/mcp.js';
import { apiError, json, startRecorder, type Recorder } from './support/recorder.js';
import { ROOT, run } from './support/run.js';

const API_KEY = 'sk-ant-api03-host-config-test-0123456789';
const ENV_KEY = 'envkey-host-config-test-0123456789';

function expectKnownVariables(names: string[]) {
  for (const name of names) {
    const known = SETTINGS.some((s) => s.env === name);
    expect(known, `${name} is not a variable the server reads`).toBe(true);
  }
}

let api: Recorder;
let expectedTools: string[];

beforeAll(async () => {
  api = await startRecorder();
  api.fallback = (req, res) => {
    if (req.path === '/v1/environments') return json(200, { data: [], next_page: null })(req, res);
    if (req.path.endsWith('/work')) return json(200, { data: [], next_page: null })(req, res);
    return apiError(404, 'not_found_error', 'no such route')(req, res);
  };
  // The tools a default server lists: what every config must start.
  const server = await spawnServer();
  try {
    expectedTools = (await server.client.listTools()).tools.map((t) => t.name);
  } finally {
    await server.close();
  }
  expect(expectedTools.length).toBeGreaterThanOrEqual(14);
});
afterAll(async () => {
  await api.close();
});

/** Starts a launch over stdio with the SDK Client; lists its tools and calls list_environments. */
async function startAndCall(launch: Launch, extraEnv: Record<string, string> = {}) {
  const server = await spawnServer({
    launch: { command: launch.command, args: launch.args },
    env: { ...launch.env, ...extraEnv },
  });
  try {
    const tools = (await server.client.listTools()).tools.map((t) => t.name);
    const before = api.requests.length;
    const listed = await server.call('list_environments', { limit: 1 });
    return { tools, listed, sent: api.requests.slice(before), stderr: server.stderr() };
  } finally {
    await server.close();
  }
}

describe('mcp.json', () => {
  it('has the mcpServers shape Claude Desktop, Cursor and Claude Code read, launching this package by npx', () => {
    const config = readJson(join(ROOT, 'mcp.json'));
    expect(Object.keys(config)).toEqual(['mcpServers']);
    const launch = mcpJsonLaunch();
    expect(launch.command).toBe('npx');
    expect(launch.args).toEqual(['-y', pkg.name]);
    for (const value of Object.values(launch.env)) expect(typeof value).toBe('string');
    expectKnownVariables(Object.keys(launch.env));
    expect(Object.keys(launch.env)).toContain('ANTHROPIC_API_KEY');
  });

  it('starts as written, placeholders and all, and the key it names reaches the API', async () => {
    const asWritten = await startAndCall(atLocalBuild(mcpJsonLaunch()), {
      ANTHROPIC_BASE_URL: api.url,
    });
    expect(asWritten.tools).toEqual(expectedTools);
    expect(asWritten.sent[0]?.headers['x-api-key']).toBe(mcpJsonLaunch().env.ANTHROPIC_API_KEY);

    // The person replaces the placeholder with their key.
    const launch = mcpJsonLaunch();
    const filled = await startAndCall(
      atLocalBuild({ ...launch, env: { ...launch.env, ANTHROPIC_API_KEY: API_KEY } }),
      {
        ANTHROPIC_BASE_URL: api.url,
      },
    );
    expect(filled.listed.isError).toBeFalsy();
    expect(filled.sent.map((r) => r.url)).toEqual(['/v1/environments?limit=1']);
    expect(filled.sent[0]!.headers['x-api-key']).toBe(API_KEY);
  });
});

// ajv-formats is CommonJS: its function is the default export's `default` as TypeScript sees it.
const addFormats = formats.default;

describe('server.json', () => {
  const schema = readJson(join(ROOT, 'test/fixtures/server.schema.2025-12-11.json'));
  const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(schema);
  const server = readJson(join(ROOT, 'server.json'));

  it('validates against the MCP Registry schema 2025-12-11', () => {
    const ok = validate(server);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(server.$schema).toBe(schema.$id);
    // The validator really validates: a broken copy fails.
    expect(validate({ ...server, name: 'no slash', description: 'x'.repeat(101) })).toBe(false);
  });

  it('agrees with package.json: registry name, version, npm identifier, stdio', () => {
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    expect(server.packages).toHaveLength(1);
    const [npmPackage] = server.packages;
    expect(npmPackage).toMatchObject({
      registryType: 'npm',
      identifier: pkg.name,
      version: pkg.version,
      transport: { type: 'stdio' },
    });
  });

  it('declares variables the server reads, each credential with isSecret', () => {
    const vars = server.packages[0].environmentVariables as { name: string; isSecret?: boolean }[];
    expectKnownVariables(vars.map((v) => v.name));
    for (const v of vars) {
      const secret = SETTINGS.find((s) => s.env === v.name)?.secret ?? false;
      expect(v.isSecret ?? false, `${v.name} isSecret`).toBe(secret);
    }
    expect(vars.map((v) => v.name)).toEqual(
      expect.arrayContaining(['ANTHROPIC_API_KEY', 'ANTHROPIC_ENVIRONMENT_KEY']),
    );
  });

  it('starts as a registry client launches it, its variables reaching the API', async () => {
    const launch = serverJsonLaunch({
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY,
      ANTHROPIC_BASE_URL: api.url,
    });
    expect(launch.command).toBe('npx');
    const started = await startAndCall(atLocalBuild(launch));
    expect(started.tools).toEqual(expectedTools);
    expect(started.listed.isError).toBeFalsy();
    expect(started.sent[0]!.headers['x-api-key']).toBe(API_KEY);
  });
});

describe('manifest.json (MCP Bundle)', () => {
  const manifest = readJson(join(ROOT, 'manifest.json'));

  it('passes mcpb validate, and mcpb validate rejects a broken copy', async () => {
    const ok = await run('npx', ['--no', 'mcpb', 'validate', join(ROOT, 'manifest.json')]);
    expect(ok.stdout + ok.stderr).toContain('validation passes');
    expect(ok.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    try {
      const { author: _, ...broken } = manifest;
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(broken));
      const bad = await run('npx', ['--no', 'mcpb', 'validate', join(dir, 'manifest.json')]);
      expect(bad.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('agrees with package.json and with the tools the server lists', () => {
    expect(manifest.manifest_version).toBe('0.3');
    expect(manifest.name).toBe(pkg.name);
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.server.type).toBe('node');
    expect(manifest.server.entry_point).toBe(pkg.bin[pkg.name]);
    expect(manifest.server.mcp_config.args).toEqual([
      `\${__dirname}/${manifest.server.entry_point}`,
    ]);
    const listed = (manifest.tools as { name: string }[]).map((t) => t.name);
    // When this fails after a tool was added or renamed: update "tools" in manifest.json.
    expect(listed).toEqual(expectedTools);
  });

  it('asks for the keys as sensitive fields and maps every field to a variable the server reads', () => {
    const fields = manifest.user_config as Record<string, { type: string; sensitive?: boolean }>;
    expect(fields.api_key).toMatchObject({ type: 'string', sensitive: true });
    expect(fields.environment_key).toMatchObject({ type: 'string', sensitive: true });
    expect(fields.base_url?.type).toBe('string');
    expect(fields.read_only?.type).toBe('boolean');
    const env = manifest.server.mcp_config.env as Record<string, string>;
    expectKnownVariables(Object.keys(env));
    const used = Object.values(env).map((v) => /^\$\{user_config\.([^}]+)\}$/.exec(v)?.[1]);
    expect(used.sort()).toEqual(Object.keys(fields).sort());
    for (const [variable, template] of Object.entries(env)) {
      const field = /^\$\{user_config\.([^}]+)\}$/.exec(template)![1]!;
      const secret = SETTINGS.find((s) => s.env === variable)?.secret ?? false;
      expect(fields[field]!.sensitive ?? false, `${field} → ${variable}`).toBe(secret);
    }
  });

  it('starts as Claude Desktop launches it, the keys typed in reaching the API', async () => {
    const launch = manifestLaunch(ROOT, {
      api_key: API_KEY,
      environment_key: ENV_KEY,
      base_url: api.url,
      read_only: false,
    });
    const started = await startAndCall(launch);
    expect(started.tools).toEqual(expectedTools);
    expect(started.listed.isError).toBeFalsy();
    expect(started.sent[0]!.headers['x-api-key']).toBe(API_KEY);
  });

  it('starts when the host passes blank optional fields through as literal placeholders', async () => {
    const launch = manifestLaunch(ROOT, { api_key: API_KEY }, 'placeholder');
    expect(launch.env.ANTHROPIC_ENVIRONMENT_KEY).toBe('${user_config.environment_key}');
    const server = await spawnServer({ launch, env: launch.env });
    try {
      expect((await server.client.listTools()).tools.map((t) => t.name)).toEqual(expectedTools);
      // The placeholder counts as "not set", so no request is made with it as a key.
      const result = await server.call('list_work_items', { environment_id: 'env_1' });
      expect(result.isError).toBe(true);
      expect(resultJson(result).error).toMatchObject({
        type: 'missing_credential',
        variables: ['ANTHROPIC_ENVIRONMENT_KEY'],
      });
    } finally {
      await server.close();
    }
  });

  it('read_only = true offers only the tools that read', async () => {
    const launch = manifestLaunch(ROOT, { api_key: API_KEY, base_url: api.url, read_only: true });
    const server = await spawnServer({ launch, env: launch.env });
    try {
      const tools = (await server.client.listTools()).tools;
      expect(tools.length).toBeGreaterThan(0);
      expect(tools.length).toBeLessThan(expectedTools.length);
      for (const t of tools) expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('README setup snippets', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const setup = readme.slice(
    readme.indexOf('## Setup'),
    readme.indexOf('\n## ', readme.indexOf('## Setup') + 1),
  );
  const blocks = [...setup.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!));
  /** Every server entry of a snippet: `mcpServers` (Claude, Cursor) or `servers` (VS Code). */
  const entries = blocks.flatMap((b) =>
    Object.values((b.mcpServers ?? b.servers) as Record<string, Launch & { type?: string }>),
  );

  it('are valid JSON, each launching this package by npx with variables the server reads', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(entries.length).toBe(blocks.length);
    for (const e of entries) {
      expect([e.command, ...e.args]).toEqual(['npx', '-y', pkg.name]);
      if (e.type !== undefined) expect(e.type).toBe('stdio');
      expectKnownVariables(Object.keys(e.env));
    }
    // VS Code's snippet asks for the keys as passwords rather than holding them.
    const vscode = blocks.find((b) => b.servers);
    expect(vscode.inputs.every((i: { password?: boolean }) => i.password === true)).toBe(true);
    expect(
      Object.values(vscode.servers['agent-environments'].env).every((v) =>
        /^\$\{input:[^}]+\}$/.test(v as string),
      ),
    ).toBe(true);
  });

  it('start the server once the host has filled in its placeholders', async () => {
    for (const e of entries) {
      // What the host does: ${input:…} from the prompt, ${env:…} / ${…} from its environment.
      const env = Object.fromEntries(
        Object.entries(e.env).map(([k, v]) => [
          k,
          /^\$\{/.test(v) || v === 'sk-ant-...' ? API_KEY : v,
        ]),
      );
      const started = await startAndCall(atLocalBuild({ command: e.command, args: e.args, env }), {
        ANTHROPIC_BASE_URL: api.url,
      });
      expect(started.tools).toEqual(expectedTools);
      expect(started.sent[0]?.headers['x-api-key']).toBe(API_KEY);
    }
  }, 120_000);

  it('give Claude Code a `claude mcp add` line with the key as -e and the same npx command', () => {
    const line = /^claude mcp add .*$/m.exec(setup)?.[0] ?? '';
    expect(line).toMatch(/ -e ANTHROPIC_API_KEY=\S+ /);
    expect(line.endsWith(`-- npx -y ${pkg.name}`)).toBe(true);
  });
});
