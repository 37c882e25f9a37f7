// --credentials from-request: each request's own keys, for that request only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectHttp,
  runCli,
  startHttp,
  type Connected,
  type HttpServer,
} from '../support/http.js';
import { resultJson } from '../support/mcp.js';
import { startRecorder, type Recorder } from '../support/recorder.js';
import { environment, samples, workItem } from '../support/samples.js';

const SERVER_KEY = 'sk-ant-api-server-own-0123456789';
const USERS = {
  a: { api: 'sk-ant-api-user-a-0123456789', env: 'sk-ant-env-user-a-0123456789' },
  b: { api: 'sk-ant-api-user-b-9876543210', env: 'sk-ant-env-user-b-9876543210' },
};
const headersOf = (u: { api: string; env: string }) => ({
  'x-anthropic-api-key': u.api,
  'x-anthropic-environment-key': u.env,
});

// A poll's work secret carries a per-item token (README: The emulator, the queue); this one is A's.
const SESSIONS_TOKEN_OF_A = 'sess-token-of-user-a-0123456789';
const SECRET_OF_A = Buffer.from(JSON.stringify({ sessions_token: SESSIONS_TOKEN_OF_A })).toString(
  'base64url',
);

describe('--credentials from-request', () => {
  let inFlight = 0;
  let maxInFlight = 0;
  let rec: Recorder;
  let srv: HttpServer;
  const users: Record<string, Connected> = {};

  beforeAll(async () => {
    rec = await startRecorder();
    // Answers late (so the two users' calls overlap) and echoes the key it
    // got, as a careless proxy might: the result must not show it.
    rec.fallback = async (req, res) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 100));
      inFlight--;
      const env = req.path.split('/')[3]!;
      let body: unknown = {
        ...environment,
        id: env,
        description: `seen ${String(req.headers.authorization)}`,
      };
      if (req.path.endsWith('/work'))
        body = { data: [{ ...workItem, environment_id: env }], next_page: null };
      if (req.path.endsWith('/poll'))
        body = { ...workItem, environment_id: env, id: 'work_polled', secret: SECRET_OF_A };
      if (req.path.endsWith('/heartbeat')) body = samples.heartbeat_work_item.response;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    srv = await startHttp({
      args: ['--base-url', rec.url, '--credentials', 'from-request', '--max-retries', '0'],
      env: { ANTHROPIC_API_KEY: SERVER_KEY },
    });
    users.a = await connectHttp(srv.url, headersOf(USERS.a));
    users.b = await connectHttp(srv.url, headersOf(USERS.b));
  });

  afterAll(async () => {
    await Promise.all(Object.values(users).map((u) => u.close()));
    expect(await srv?.stop()).toBe(0);
    await rec?.close();
  });

  it("keeps two concurrent users' keys apart", async () => {
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < 5; i++) {
      for (const name of ['a', 'b'] as const) {
        calls.push(users[name]!.call('get_environment', { environment_id: `env_${name}_${i}` }));
        calls.push(users[name]!.call('list_work_items', { environment_id: `env_${name}_${i}` }));
      }
    }
    const results = (await Promise.all(calls)) as Array<{ isError?: boolean; content: unknown }>;
    for (const r of results) {
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      // The echoed key is redacted with this request's own keys.
      const text = JSON.stringify(r);
      for (const u of Object.values(USERS)) {
        expect(text).not.toContain(u.api);
        expect(text).not.toContain(u.env);
      }
    }
    expect(JSON.stringify(results)).toContain('seen Bearer [redacted]');
    expect(maxInFlight, "the users' requests overlapped at the API").toBeGreaterThan(1);

    const seen = rec.requests.filter((q) => /^\/v1\/environments\/env_[ab]_\d/.test(q.path));
    expect(seen).toHaveLength(20);
    for (const q of seen) {
      const user = USERS[q.path.split('/')[3]!.split('_')[1] as 'a' | 'b'];
      if (q.path.endsWith('/work')) {
        expect(q.headers.authorization, q.path).toBe(`Bearer ${user.env}`);
        expect(q.headers['x-api-key']).toBeUndefined();
      } else {
        expect(q.headers.authorization, q.path).toBe(`Bearer ${user.api}`);
        expect(q.headers['x-api-key']).toBeUndefined();
      }
    }
  });

  it("keeps what one user's poll returned from another user's heartbeat", async () => {
    const polled = await users.a!.call('poll_work_item', { environment_id: 'env_shared' });
    expect(polled.isError).toBeFalsy();
    expect(JSON.stringify(polled)).not.toContain(SECRET_OF_A);
    const beat = await users.b!.call('heartbeat_work_item', {
      environment_id: 'env_shared',
      work_id: 'work_polled',
    });
    expect(beat.isError).toBeFalsy();
    const sent = rec.requests.find((q) => q.path.endsWith('/work_polled/heartbeat'))!;
    expect(sent.headers.authorization).toBe(`Bearer ${USERS.b.env}`);
    expect(JSON.stringify(rec.requests.map((q) => q.headers))).not.toContain(SESSIONS_TOKEN_OF_A);
  });

  it("never falls back to the server's own key, and names the missing header", async () => {
    const anonymous = await connectHttp(srv.url);
    const before = rec.requests.length;
    const result = await anonymous.call('get_environment', { environment_id: 'env_x' });
    expect(result.isError).toBe(true);
    const error = resultJson(result).error;
    expect(error.type).toBe('missing_credential');
    expect(error.message).toContain('x-anthropic-api-key');
    expect(error.variables).toEqual(['x-anthropic-api-key']);
    expect(rec.requests.length).toBe(before);
    await anonymous.close();
    expect(JSON.stringify(rec.requests.map((q) => q.headers))).not.toContain(SERVER_KEY);
  });

  it('refuses a malformed key header with 400, without echoing it', async () => {
    const res = await fetch(srv.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-anthropic-api-key': 'two words',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('x-anthropic-api-key');
    expect(text).not.toContain('two words');
  });

  it("logs no user's key", () => {
    for (const u of Object.values(USERS)) {
      expect(srv.stderr()).not.toContain(u.api);
      expect(srv.stderr()).not.toContain(u.env);
    }
    expect(srv.stderr()).toContain('ignored');
  });

  it('is refused on stdio, where there is no request to bring keys', async () => {
    const { code, stderr } = await runCli(['--credentials', 'from-request']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/needs --http/);
  });
});

describe('--credentials from-request with logs at debug', () => {
  it("a user's key the API echoes (in its request-id header) is redacted in the log lines", async () => {
    const user = {
      api: 'sk-ant-api-user-echoed-0123456789',
      env: 'sk-ant-env-user-echoed-0123456789',
    };
    const rec = await startRecorder();
    rec.fallback = (req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'request-id': `req_${String(req.headers.authorization).replace(/^Bearer /, '')}`,
      });
      res.end(JSON.stringify(environment));
    };
    const srv = await startHttp({
      args: ['--base-url', rec.url, '--credentials', 'from-request', '--log-level', 'debug'],
      env: { ANTHROPIC_API_KEY: SERVER_KEY },
    });
    try {
      const mcp = await connectHttp(srv.url, headersOf(user));
      const r = await mcp.call('get_environment', { environment_id: 'env_echo' });
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      await mcp.close();
      await new Promise((done) => setTimeout(done, 200));
      // The attempt was logged, with the echoed request id scrubbed.
      expect(srv.stderr()).toContain('"request_id":"req_[redacted]"');
      expect(srv.stderr()).not.toContain(user.api);
    } finally {
      await srv.stop();
      await rec.close();
    }
  });
});
