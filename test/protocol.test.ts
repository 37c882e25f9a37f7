// Protocol robustness: the built CLI on raw stdio pipes (no SDK client),
// fed garbage, half messages, huge messages, unknown methods, calls before
// initialize and a burst of notifications. It answers with JSON-RPC errors
// where the spec asks for them, never crashes, and never writes a byte to
// stdout that is not a line of JSON-RPC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiResponder } from './support/fixtures.js';
import { INITIALIZE, spawnRaw, type RawServer } from './support/raw.js';
import { startHttp } from './support/http.js';
import { startRecorder, type Recorder } from './support/recorder.js';

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const MB = 1024 * 1024;

let api: Recorder;
let raw: RawServer;

beforeAll(async () => {
  api = await startRecorder();
  api.fallback = apiResponder();
  raw = spawnRaw({ ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'sk-ant-protocol-key' });
});

afterAll(async () => {
  raw?.kill();
  await api?.close();
});

/** Errors sent without an id (nothing to correlate), counted so far. */
const anonymousErrors = () => raw.messages.filter((m) => m.error && !('id' in m));

async function expectAnonymousError(send: () => void, code: number): Promise<any> {
  const before = anonymousErrors().length;
  send();
  await raw.next(() => anonymousErrors().length > before);
  const latest = anonymousErrors().at(-1);
  expect(latest.jsonrpc).toBe('2.0');
  expect(latest.error.code).toBe(code);
  return latest;
}

describe('raw stdio', () => {
  it('answers a request sent before initialize, without crashing', async () => {
    const early = await raw.request('tools/list');
    expect('result' in early || 'error' in early).toBe(true);
  });

  it('initializes', async () => {
    const init = await raw.request('initialize', INITIALIZE);
    expect(init.result.serverInfo.name).toBe('agent-environments-mcp');
    raw.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });

  it.each([
    ['plain text', 'hello there'],
    ['an unclosed object', '{'],
    ['control bytes', '\u0000\u0001\u0002'],
    ['a JSON fragment with a trailing comma', '{"jsonrpc":"2.0","id":1,}'],
    ['invalid UTF-8 around JSON', '\xff\xfe{}'],
  ])('a line of %s gets a Parse error', async (_what, line) => {
    await expectAnonymousError(() => raw.write(`${line}\n`), PARSE_ERROR);
  });

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"tools/list"'],
    ['an empty batch', '[]'],
    ['a batch', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]'],
    ['an object without jsonrpc', '{"id":"x-missing","method":"ping","foo":1}'],
  ])('valid JSON that is not a message (%s) gets an Invalid Request error', async (_what, line) => {
    const before = raw.messages.length;
    raw.write(`${line}\n`);
    const answer = await raw.next((m) => raw.messages.indexOf(m) >= before && m.error);
    expect(answer.error.code).toBe(INVALID_REQUEST);
  });

  it('an invalid request with a usable id is answered under that id', async () => {
    raw.write('{"jsonrpc":"1.0","id":"bad-version","method":"ping"}\n');
    const answer = await raw.next((m) => m.id === 'bad-version');
    expect(answer.error.code).toBe(INVALID_REQUEST);
  });

  it('a malformed response from the client is not answered (no error ping-pong)', async () => {
    const before = raw.messages.length;
    raw.write('{"jsonrpc":"2.0","id":"resp-1","result":1,"extra":true,"error":2}\n');
    const pong = await raw.request('ping');
    expect(pong.result).toEqual({});
    expect(raw.messages.slice(before).filter((m) => m.id === 'resp-1')).toHaveLength(0);
  });

  it('half a message waits for the rest', async () => {
    raw.write('{"jsonrpc":"2.0","id":"half","me');
    await new Promise((r) => setTimeout(r, 100));
    raw.write('thod":"ping"}\n');
    const answer = await raw.next((m) => m.id === 'half');
    expect(answer.result).toEqual({});
  });

  it('half a message cut by a newline is a Parse error, and the next message works', async () => {
    await expectAnonymousError(() => raw.write('{"jsonrpc":"2.0","id":"cut",\n'), PARSE_ERROR);
    const pong = await raw.request('ping');
    expect(pong.result).toEqual({});
  });

  it('an unknown method is Method not found; an unknown notification is ignored', async () => {
    const answer = await raw.request('environments/teleport', { where: 'mars' });
    expect(answer.error.code).toBe(METHOD_NOT_FOUND);
    const before = raw.messages.length;
    raw.write({ jsonrpc: '2.0', method: 'notifications/teleported' });
    const pong = await raw.request('ping');
    expect(pong.result).toEqual({});
    expect(raw.messages.length).toBe(before + 1); // only the ping's answer
  });

  it('a 5 MB tool call is answered with a short argument error, not an echo', async () => {
    const answer = await raw.request('tools/call', {
      name: 'create_environment',
      arguments: { name: 'n'.repeat(5 * MB) },
    });
    expect(answer.result.isError).toBe(true);
    const text: string = answer.result.content[0].text;
    expect(text).toMatch(/name/);
    expect(text.length).toBeLessThan(2000);
    expect(api.requests).toHaveLength(0);
  });

  it('a 5 MB unknown argument name is not echoed back whole', async () => {
    const key = 'k'.repeat(5 * MB);
    const answer = await raw.request('tools/call', {
      name: 'get_environment',
      arguments: { environment_id: 'env_1', [key]: 1 },
    });
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[0].text.length).toBeLessThan(2000);
  });

  it('a message over the 16 MiB limit is refused and the session carries on', async () => {
    const huge = `{"jsonrpc":"2.0","id":"huge","method":"ping","params":{"pad":"${'p'.repeat(17 * MB)}"}}\n`;
    const error = await expectAnonymousError(() => raw.write(huge), INVALID_REQUEST);
    expect(error.error.message).toMatch(/too large/);
    const pong = await raw.request('ping');
    expect(pong.result).toEqual({});
    expect(raw.messages.some((m) => m.id === 'huge')).toBe(false);
  });

  it('absurdly deep nesting is answered, not a stack overflow', async () => {
    const depth = 100_000;
    raw.write(
      `{"jsonrpc":"2.0","id":"deep","method":"tools/call","params":{"name":"get_environment","arguments":{"environment_id":${'['.repeat(depth)}${']'.repeat(depth)}}}}\n`,
    );
    const answer = await raw.next(
      (m) =>
        m.id === 'deep' ||
        (m.error && !('id' in m) && /could not be processed/.test(m.error.message)),
    );
    expect(answer.error ?? answer.result.isError).toBeTruthy();
    const pong = await raw.request('ping');
    expect(pong.result).toEqual({});
  });

  it('a "__proto__" key is refused by name under the request id', async () => {
    raw.write(
      '{"jsonrpc":"2.0","id":"proto","method":"tools/call","params":{"name":"get_environment","arguments":{"environment_id":"env_1","__proto__":{"x":1}}}}\n',
    );
    const answer = await raw.next((m) => m.id === 'proto');
    expect(answer.error.code).toBe(-32602);
    expect(answer.error.message).toContain('params.arguments');
  });

  it('a burst of 5,000 notifications gets no answers and does not stall the session', async () => {
    const before = raw.messages.length;
    const burst: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const kinds = [
        { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: `nobody-${i}` } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: i, progress: i },
        },
        { jsonrpc: '2.0', method: `notifications/unknown-${i}` },
      ];
      burst.push(JSON.stringify(kinds[i % kinds.length]));
    }
    raw.write(`${burst.join('\n')}\n`);
    const pong = await raw.request('ping');
    expect(pong.result).toEqual({});
    expect(raw.messages.length).toBe(before + 1);
  });

  it('still serves tool calls after all of it, with only JSON on stdout', async () => {
    const answer = await raw.request('tools/call', {
      name: 'get_environment',
      arguments: { environment_id: 'env_after' },
    });
    expect(answer.result.isError).toBeFalsy();
    expect(answer.result.structuredContent).toMatchObject({ id: 'env_after' });
    expect(raw.child.exitCode).toBeNull();
    raw.assertJsonOnly();
    expect(raw.stderr()).not.toMatch(/Unhandled|TypeError|RangeError|at .*\.js:\d+/);
  });

  it('exits 0 when stdin closes', async () => {
    raw.child.stdin.end();
    const { code } = await raw.exited;
    expect(code).toBe(0);
    raw.assertJsonOnly();
  });
});

describe('HTTP transport', () => {
  it('refuses a "__proto__" key by name too, before any request', async () => {
    const srv = await startHttp({
      env: { ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'sk-ant-protocol-key' },
    });
    try {
      const before = api.requests.length;
      const res = await fetch(srv.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"get_environment","arguments":{"environment_id":"env_1","__proto__":{"x":1}}}}',
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { id: unknown; error: { code: number; message: string } };
      expect(body).toMatchObject({ id: 9, error: { code: -32602 } });
      expect(body.error.message).toContain('params.arguments');
      expect(api.requests.length).toBe(before);
    } finally {
      await srv.stop();
    }
  });
});
