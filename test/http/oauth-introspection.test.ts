// Opaque access tokens, checked by the issuer's introspection endpoint
// (RFC 7662) of a real OpenID provider on loopback, with the server's own
// Anthropic keys (no key mapping): scopes still decide tools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, startHttp, type HttpServer } from '../support/http.js';
import { INTROSPECTOR, READ, WRITE, signingKey, startOidc, type Oidc } from '../support/oidc.js';
import { freePort, INITIALIZE, post } from '../support/raw-mcp.js';
import { json, startRecorder, type Recorder } from '../support/recorder.js';
import { ENV_ID, environment } from '../support/samples.js';

const SERVER_KEY = 'sk-ant-server-own-key-introspect-0123';
let oidc: Oidc;
let rec: Recorder;
let srv: HttpServer;
let resource: string;

const initialize = (token: string) => post(resource, INITIALIZE, token);

beforeAll(async () => {
  oidc = await startOidc({ keys: [await signingKey('key-1')], format: 'opaque' });
  rec = await startRecorder();
  rec.fallback = json(200, environment);
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  srv = await startHttp({
    args: [
      '--port',
      String(port),
      '--base-url',
      rec.url,
      '--oauth-issuer',
      oidc.issuer,
      '--oauth-audience',
      resource,
      '--oauth-introspection-client-id',
      INTROSPECTOR.id,
    ],
    env: {
      ANTHROPIC_API_KEY: SERVER_KEY,
      AGENT_ENVIRONMENTS_OAUTH_INTROSPECTION_CLIENT_SECRET: INTROSPECTOR.secret,
    },
  });
});

afterAll(async () => {
  expect(await srv?.stop()).toBe(0);
  await oidc?.close();
  await rec?.close();
  expect(srv.stderr()).not.toContain(INTROSPECTOR.secret);
});

describe('opaque tokens by introspection', () => {
  it("a read token works for reads, sees no write tool; a write token writes with the server's key", async () => {
    const read = await oidc.clientCredentials(resource, READ);
    expect(read.split('.')).toHaveLength(1);
    const reader = await connectHttp(resource, { authorization: `Bearer ${read}` });
    const { tools } = await reader.client.listTools();
    expect(tools.some((t) => t.name === 'update_environment')).toBe(false);
    expect((await reader.call('get_environment', { environment_id: ENV_ID })).isError).toBeFalsy();
    await reader.close();

    const write = await oidc.clientCredentials(resource, `${READ} ${WRITE}`);
    const writer = await connectHttp(resource, { authorization: `Bearer ${write}` });
    rec.reset();
    expect(
      (await writer.call('update_environment', { environment_id: ENV_ID, description: 'x' }))
        .isError,
    ).toBeFalsy();
    expect(rec.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${SERVER_KEY}`]);
    await writer.close();
    expect(srv.stderr()).not.toContain(read);
    expect(srv.stderr()).not.toContain(write);
  });

  it('an unknown token and a token for another resource get 401 invalid_token', async () => {
    const unknown = await initialize('not-a-token-the-issuer-knows-0123456789');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(
      /error="invalid_token", error_description="the token is not active/,
    );
    const other = await initialize(await oidc.clientCredentials('http://127.0.0.1:1/other', READ));
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toMatch(/not for this resource \(aud\)/);
  });
});
