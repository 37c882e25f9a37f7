// The stdio front answers the openings of both protocol generations from the
// build-time catalog before the SDK is loaded (src/transports/stdio.ts):
// initialize, ping and tools/list of 2025-11-25; server/discover and
// tools/list of 2026-07-28. These tests hold it to what the SDK server itself
// answers, byte for byte: the same messages are sent to one process through
// the front and to another after the full session has opened.
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/inventory/build-catalog.js';
import { MODERN_PROTOCOL_VERSIONS } from '../src/server/capabilities.js';
import { allTools } from '../src/tools/index.js';
import { loadCatalogFrom } from './support/catalog.js';
import { apiResponder } from './support/fixtures.js';
import { spawnRaw, type RawServer } from './support/raw.js';
import { startRecorder } from './support/recorder.js';

const INIT = {
  protocolVersion: '2025-06-18',
  capabilities: { elicitation: {} },
  clientInfo: { name: 'front-test', version: '1.0.0' },
};
/** The per-request envelope of a 2026-07-28 client (as the v2 SDK's Client sends it). */
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'front-test', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
};
const MODERN = { _meta: ENVELOPE };
const running: RawServer[] = [];

afterEach(() => {
  for (const s of running.splice(0)) s.kill();
});

function start(args: string[] = [], env: Record<string, string> = {}): RawServer {
  const s = spawnRaw({ ANTHROPIC_API_KEY: 'sk-front-test', ...env }, args);
  running.push(s);
  return s;
}

/** The exact line the server wrote for the answer with this id. */
function lineOf(s: RawServer, id: string | number): string {
  const line = s
    .stdout()
    .split('\n')
    .find((l) => {
      try {
        return JSON.parse(l).id === id;
      } catch {
        return false;
      }
    });
  if (line === undefined) throw new Error(`no answer with id ${id}`);
  return line;
}

type Step = [method: string, params?: object];

/** Sends the steps in order (ids 1, 2, …) and returns the answer lines. */
async function exchange(s: RawServer, steps: Step[]): Promise<string[]> {
  const lines: string[] = [];
  for (const [i, [method, params]] of steps.entries()) {
    const answer = await s.request(method, params, `step-${i}`);
    expect(answer.error, `${method}: ${JSON.stringify(answer.error)}`).toBeUndefined();
    lines.push(lineOf(s, `step-${i}`));
  }
  return lines;
}

// Each opening, and the message that makes the SDK take over first (one the front never answers)
// while putting the connection where the opening would.
const OPENINGS: { name: string; steps: Step[]; takeOver: Step }[] = [
  {
    name: 'initialize first (2025-11-25)',
    steps: [['initialize', INIT], ['tools/list']],
    takeOver: ['logging/setLevel', { level: 'error' }],
  },
  {
    name: 'server/discover first (2026-07-28, as Claude Code sends it)',
    steps: [
      ['server/discover', MODERN],
      ['tools/list', MODERN],
    ],
    takeOver: ['prompts/list', MODERN],
  },
  {
    name: 'a 2026-07-28 client that never probes',
    steps: [['tools/list', MODERN]],
    takeOver: ['prompts/list', MODERN],
  },
];
const SWITCHES: string[][] = [
  [],
  ['--environment-id', 'env_011CZkZ9X2dpNyB7HsEFoRfW', '--read-only'],
  ['--toolsets', 'worker', '--exclude-tools', 'ack_work_item'],
];

describe('the stdio front answers as the SDK server does, byte for byte', () => {
  for (const opening of OPENINGS) {
    it.each(SWITCHES)(`${opening.name}, switches %j`, async (...args) => {
      const viaFront = start(args);
      const front = await exchange(viaFront, opening.steps);

      const viaSdk = start(args);
      const [method, params] = opening.takeOver;
      expect((await viaSdk.request(method, params)).error).toBeUndefined();
      const sdk = await exchange(viaSdk, opening.steps);

      expect(front).toEqual(sdk);
      // The lists are real: every chosen tool, with the generation's additions on 2026-07-28.
      const list = JSON.parse(front.at(-1)!).result;
      expect(list.tools.length).toBeGreaterThan(0);
      if (opening.steps[0]![1] === MODERN) {
        expect(list).toMatchObject({ resultType: 'complete', cacheScope: 'private' });
        expect(list.ttlMs).toBeGreaterThan(0);
      } else {
        expect(list).toEqual({ tools: expect.any(Array) });
      }
      viaFront.assertJsonOnly();
      viaSdk.assertJsonOnly();
    });
  }

  it('offers the 2026-07-28 revisions the SDK offers, with the same instructions and capabilities as initialize', async () => {
    const s = start();
    const discover = (await s.request('server/discover', MODERN)).result;
    expect(discover.supportedVersions).toEqual([...MODERN_PROTOCOL_VERSIONS]);
    const t = start();
    const init = (await t.request('initialize', INIT)).result;
    expect(discover.instructions).toBe(init.instructions);
    expect(discover.capabilities).toEqual(init.capabilities);
    expect(discover._meta['io.modelcontextprotocol/serverInfo']).toEqual(init.serverInfo);
    // One small SVG as a data: URI, for hosts that show icons.
    const [icon] = init.serverInfo.icons;
    expect(icon.mimeType).toBe('image/svg+xml');
    expect(icon.src).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(icon.src.split(',')[1], 'base64').toString()).toMatch(
      /^<svg [^>]*>.*<\/svg>$/,
    );
    expect(icon.src.length).toBeLessThan(1024);
  });

  it('negotiates the 2025 protocol version as the SDK does', async () => {
    const s = start();
    const old = await s.request('initialize', {
      ...INIT,
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.at(-1),
    });
    expect(old.result.protocolVersion).toBe(SUPPORTED_PROTOCOL_VERSIONS.at(-1));
    const t = start();
    const unknown = await t.request('initialize', { ...INIT, protocolVersion: '1999-01-01' });
    expect(unknown.result.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
  });

  it('answers ping, and hands a malformed initialize to the SDK for its error', async () => {
    const s = start();
    expect((await s.request('ping')).result).toEqual({});
    const bad = await s.request('initialize', { protocolVersion: 7 });
    expect(bad.error?.code).toBeLessThan(0);
    expect((await s.request('ping')).result).toEqual({});
  });

  it('hands a doubtful envelope to the SDK, which names the problem', async () => {
    const s = start();
    const unknown = await s.request('server/discover', {
      _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' },
    });
    expect(unknown.error.data).toMatchObject({
      supported: [...MODERN_PROTOCOL_VERSIONS],
      requested: '2099-01-01',
    });
    const t = start();
    const { 'io.modelcontextprotocol/clientCapabilities': _, ...noCaps } = ENVELOPE;
    const missing = await t.request('tools/list', { _meta: noCaps });
    expect(missing.error.code).toBe(-32602);
    expect(missing.error.message).toContain('clientCapabilities');
    t.assertJsonOnly();
  });

  it('falls back to initialize after a server/discover probe, as the SDK does', async () => {
    const s = start();
    expect((await s.request('server/discover', MODERN)).result.supportedVersions).toEqual([
      ...MODERN_PROTOCOL_VERSIONS,
    ]);
    expect((await s.request('initialize', INIT)).result.protocolVersion).toBe(INIT.protocolVersion);
    const list = (await s.request('tools/list')).result;
    expect(list).toEqual({ tools: expect.any(Array) });
    // The session opens on a 2025 message and knows the client from its initialize.
    expect((await s.request('logging/setLevel', { level: 'error' })).result).toEqual({});
  });
});

describe('the session behind the front knows the client the front met', () => {
  async function withApi(
    run: (api: Awaited<ReturnType<typeof startRecorder>>) => Promise<void>,
  ): Promise<void> {
    const api = await startRecorder();
    api.fallback = apiResponder();
    try {
      await run(api);
    } finally {
      await api.close();
    }
  }

  it('2025-11-25: a client that can elicit is asked before a delete', () =>
    withApi(async (api) => {
      const s = start([], { ANTHROPIC_BASE_URL: api.url });
      await s.request('initialize', INIT);
      s.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
      // The delete asks the client (an elicitation request comes to us) before any DELETE is sent.
      s.write({
        jsonrpc: '2.0',
        id: 'del',
        method: 'tools/call',
        params: { name: 'delete_environment', arguments: { environment_id: 'env_front' } },
      });
      const ask = await s.next((m) => m.method === 'elicitation/create');
      expect(ask.params.message).toContain('env_front');
      expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
      s.write({ jsonrpc: '2.0', id: ask.id, result: { action: 'decline' } });
      const done = await s.next((m) => m.id === 'del');
      expect(done.result.structuredContent).toMatchObject({ done: false });
      expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    }));

  it('2026-07-28 after the front answered server/discover: the delete answers input_required, then the retried call reads the answer', () =>
    withApi(async (api) => {
      const s = start([], { ANTHROPIC_BASE_URL: api.url });
      await s.request('server/discover', MODERN);
      const call = {
        name: 'delete_environment',
        arguments: { environment_id: 'env_front' },
        ...MODERN,
      };
      const first = (await s.request('tools/call', call)).result;
      expect(first.resultType).toBe('input_required');
      expect(first.inputRequests.confirm.method).toBe('elicitation/create');
      expect(first.inputRequests.confirm.params.message).toContain('env_front');
      // Never a request to the client: 2026-07-28 has none.
      expect(s.messages.filter((m) => m.method === 'elicitation/create')).toHaveLength(0);
      expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
      const answered = {
        ...call,
        inputResponses: { confirm: { action: 'decline' } },
        requestState: first.requestState,
      };
      const done = (await s.request('tools/call', answered)).result;
      expect(done.resultType).toBe('complete');
      expect(done.structuredContent).toMatchObject({ done: false, reason: 'declined' });
      expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    }));
});

describe('the catalog', () => {
  it('in dist/ is the one the sources make now (npm run build writes it)', () => {
    expect(loadCatalogFrom('dist')).toEqual(
      JSON.parse(
        JSON.stringify(
          buildCatalog(allTools, {
            latest: LATEST_PROTOCOL_VERSION,
            supported: [...SUPPORTED_PROTOCOL_VERSIONS],
            modern: [...MODERN_PROTOCOL_VERSIONS],
          }),
        ),
      ),
    );
  });
});
