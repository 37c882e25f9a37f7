// Load: a burst of concurrent tool calls on one stdio session, each answered
// with its own result (no mix-ups between interleaved requests and answers).
// LOAD_CALLS sets the burst size (npm run soak runs a bigger one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiResponder } from './support/fixtures.js';
import { spawnServer, type Spawned } from './support/mcp.js';
import { startRecorder, type Recorder } from './support/recorder.js';

const CALLS = Number(process.env.LOAD_CALLS ?? 1000);

let api: Recorder;
let server: Spawned;

beforeAll(async () => {
  api = await startRecorder();
  api.fallback = apiResponder();
  server = await spawnServer({
    env: { ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'sk-ant-load-key', ANTHROPIC_ENVIRONMENT_KEY: 'load-environment-key' },
  });
});

afterAll(async () => {
  await server?.close();
  await api?.close();
});

/** Call i, and what its own answer must hold. */
function nth(i: number): { name: string; args: Record<string, unknown>; expect: Record<string, unknown> } {
  switch (i % 4) {
    case 0:
      return { name: 'get_environment', args: { environment_id: `env_${i}` }, expect: { id: `env_${i}`, type: 'environment' } };
    case 1:
      return { name: 'create_environment', args: { name: `load-${i}` }, expect: { name: `load-${i}`, type: 'environment' } };
    case 2:
      return { name: 'ack_work_item', args: { environment_id: `env_${i}`, work_id: `work_${i}` }, expect: { id: `work_${i}`, environment_id: `env_${i}` } };
    default:
      // Refused before any request: mixed in so errors and successes interleave.
      return { name: 'get_environment', args: { environment_id: `../env_${i}` }, expect: {} };
  }
}

describe('load', () => {
  it(`${CALLS} concurrent tool calls on one session each get their own answer`, async () => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: CALLS }, (_, i) => server.call(nth(i).name, nth(i).args)));
    const ms = performance.now() - started;
    console.log(`load: ${CALLS} concurrent calls answered in ${Math.round(ms)} ms`);
    results.forEach((result, i) => {
      const want = nth(i);
      if (i % 4 === 3) {
        expect(result.isError, `call ${i}`).toBe(true);
        expect((result.content[0] as { text: string }).text).toContain('environment_id');
      } else {
        expect(result.isError, `call ${i}`).toBeFalsy();
        expect(result.structuredContent, `call ${i}`).toMatchObject(want.expect);
      }
    });
    // Exactly one request per accepted call: nothing retried, nothing lost.
    expect(api.requests.length).toBe(results.filter((_, i) => i % 4 !== 3).length);
  });
});
