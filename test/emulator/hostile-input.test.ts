// Input no client should send, over real HTTP to the emulator: a 400 that
// says what is wrong, never a 500, and a clock that stays within dates the
// API can write.
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { frozenEmulator, selfHosted, type Api } from './support.js';

let emulator: EmulatorHandle | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(): Promise<Api> {
  const started = await frozenEmulator();
  emulator = started.emulator;
  return started.api;
}

describe('malformed paths', () => {
  it.each([
    ['POST', '/_emulator/environments/%E0%A4%A/work', /malformed percent-encoding/],
    ['GET', '/v1/environments//work', /empty path segment/],
    ['GET', '/v1//environments', /empty path segment/],
    ['GET', '/v1/environments/env_x/work/', /empty path segment/],
  ])('%s %s is a 400 naming the problem', async (method, path, message) => {
    const api = await start();
    const r = await api(method, path, method === 'POST' ? { body: {} } : {});
    expect(r.status).toBe(400);
    expect(r.json.error.type).toBe('invalid_request_error');
    expect(r.json.error.message).toMatch(message);
  });
});

describe('the clock', () => {
  it('cannot be pushed past year 9999; timestamps stay valid and the emulator keeps serving', async () => {
    const api = await start();
    const year = 365 * 86_400_000;
    let refused: Awaited<ReturnType<Api>> | undefined;
    // 7,974 years lie between 2026 and 9999: a bounded loop that must be refused on the way.
    for (let i = 0; i < 8_100 && !refused; i++) {
      const r = await api('POST', '/_emulator/clock', { body: { advance_ms: year } });
      if (r.status !== 200) refused = r;
    }
    expect(refused?.status).toBe(400);
    expect(refused?.json.error.message).toMatch(/past 9999-12-31T23:59:59\.999Z/);
    const id = await selfHosted(api);
    const env = await api('GET', `/v1/environments/${id}`);
    expect(env.status).toBe(200);
    expect(env.json.created_at).toMatch(/^9999-/);
  }, 60_000);
});
