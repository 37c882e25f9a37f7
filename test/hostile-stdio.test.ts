// Hostile bytes on stdio from the client side: deeply nested JSON-RPC
// responses and notifications are ignored and the session goes on; a last
// message without a trailing newline before EOF is still handled.
import { afterEach, describe, expect, it } from 'vitest';
import { INITIALIZE, spawnRaw, type RawServer } from './support/raw.js';

const DEPTH = 100_000; // 200 KB of [[[…]]]
const nested = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const env = {
  ANTHROPIC_API_KEY: 'sk-ant-hostile-stdio-0123456789',
  AGENT_ENVIRONMENTS_EMULATOR: '',
};

let raw: RawServer | undefined;
afterEach(() => raw?.kill());

describe('deeply nested messages from the client', () => {
  it.each([
    ['a response', `{"jsonrpc":"2.0","id":"x1","result":{"a":${nested}}}`],
    [
      'an error response',
      `{"jsonrpc":"2.0","id":"x2","error":{"code":1,"message":"m","data":${nested}}}`,
    ],
    [
      'a notification',
      `{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1,"x":${nested}}}`,
    ],
    [
      'a request',
      `{"jsonrpc":"2.0","id":"x3","method":"tools/call","params":{"name":"get_environment","arguments":${nested}}}`,
    ],
  ])(
    '%s is refused or ignored and the session goes on, before and after it opened',
    async (_what, line) => {
      raw = spawnRaw(env);
      await raw.request('initialize', INITIALIZE);
      raw.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
      raw.write(`${line}\n`);
      expect((await raw.request('ping')).result).toEqual({});
      // Opens the full session (tools/call is not answered by the front).
      const call = await raw.request('tools/call', {
        name: 'get_environment',
        arguments: { environment_id: '..' },
      });
      expect(call.result?.isError).toBe(true);
      raw.write(`${line}\n`);
      const again = await raw.request('tools/call', {
        name: 'get_environment',
        arguments: { environment_id: '..' },
      });
      expect(again.result?.isError).toBe(true);
      expect(raw.child.exitCode).toBeNull();
      raw.assertJsonOnly();
    },
  );
});

describe('end of input', () => {
  it('a last message without a trailing newline is still answered', async () => {
    raw = spawnRaw(env);
    await raw.request('initialize', INITIALIZE);
    raw.child.stdin.end(JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'ping' }));
    const answer = await raw.next((m) => m.id === 'last', 5_000);
    expect(answer.result).toEqual({});
    expect((await raw.exited).code).toBe(0);
  });

  it('also when it opens the full session', async () => {
    raw = spawnRaw(env);
    await raw.request('initialize', INITIALIZE);
    raw.child.stdin.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 'last',
        method: 'tools/call',
        params: { name: 'get_environment', arguments: { environment_id: '..' } },
      }),
    );
    const answer = await raw.next((m) => m.id === 'last', 5_000);
    expect(answer.result?.isError).toBe(true);
    expect((await raw.exited).code).toBe(0);
  });
});
