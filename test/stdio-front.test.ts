// The stdio front answers initialize, ping and tools/list from the build-time
// catalog before the SDK is loaded (src/transports/stdio.ts). These tests hold
// it to what the SDK server itself answers: the same process is asked once
// through the front and once after the full session has opened.
import { afterEach, describe, expect, it } from 'vitest';
import { allTools } from '../src/tools/index.js';
import { buildCatalog } from '../src/inventory/build-catalog.js';
import { loadCatalogFrom } from './support/catalog.js';
import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import { spawnRaw, type RawServer } from './support/raw.js';
import { apiResponder } from './support/fixtures.js';
import { startRecorder } from './support/recorder.js';

const INIT = {
  protocolVersion: '2025-06-18',
  capabilities: { elicitation: {} },
  clientInfo: { name: 'front-test', version: '1.0.0' },
};
const running: RawServer[] = [];

afterEach(() => {
  for (const s of running.splice(0)) s.kill();
});

function start(args: string[] = []): RawServer {
  const s = spawnRaw({ ANTHROPIC_API_KEY: 'sk-front-test' }, args);
  running.push(s);
  return s;
}

/** The full session opens on a message the front does not answer: logging/setLevel. */
async function openSession(s: RawServer): Promise<void> {
  const answer = await s.request('logging/setLevel', { level: 'error' });
  expect(answer.result).toEqual({});
}

const SWITCHES: string[][] = [
  [],
  ['--environment-id', 'env_011CZkZ9X2dpNyB7HsEFoRfW', '--read-only'],
  ['--toolsets', 'worker', '--exclude-tools', 'ack_work_item'],
];

describe('the stdio front answers as the SDK server does', () => {
  it.each(SWITCHES)('initialize and tools/list, switches %j', async (...args) => {
    const viaFront = start(args);
    const frontInit = await viaFront.request('initialize', INIT);
    const frontList = await viaFront.request('tools/list');

    const viaSdk = start(args);
    await openSession(viaSdk);
    const sdkInit = await viaSdk.request('initialize', INIT);
    const sdkList = await viaSdk.request('tools/list');

    expect(frontInit.result).toEqual(sdkInit.result);
    expect(frontList.result).toEqual(sdkList.result);
    expect(frontList.result.tools.length).toBeGreaterThan(0);
    viaFront.assertJsonOnly();
    viaSdk.assertJsonOnly();
  });

  it('negotiates the protocol version as the SDK does', async () => {
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

  it('tells the session of the client it met: a client that can elicit is asked before a delete', async () => {
    const api = await startRecorder();
    api.fallback = apiResponder();
    try {
      const s = spawnRaw({ ANTHROPIC_API_KEY: 'sk-front-test', ANTHROPIC_BASE_URL: api.url });
      running.push(s);
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
    } finally {
      await api.close();
    }
  });
});

describe('the catalog', () => {
  it('in dist/ is the one the sources make now (npm run build writes it)', async () => {
    const { LATEST_PROTOCOL_VERSION: latest, SUPPORTED_PROTOCOL_VERSIONS: supported } =
      await import('@modelcontextprotocol/sdk/types.js');
    expect(loadCatalogFrom('dist')).toEqual(
      JSON.parse(JSON.stringify(buildCatalog(allTools, { latest, supported: [...supported] }))),
    );
  });
});
