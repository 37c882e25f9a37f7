// `agent-environments-mcp doctor`, run as a person would (the built CLI in a
// child process) against a local stand-in API on a real loopback socket.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../src/emulator/index.js';
import { apiFor, selfHosted } from './emulator/support.js';
import {
  apiError,
  json,
  startRecorder,
  type Recorder,
  type SimpleResponder,
} from './support/recorder.js';
import { runCli } from './support/run.js';

const API_KEY = 'sk-ant-api03-doctor-test-key-0123456789abcdef';
const ENV_KEY = 'envkey-doctor-test-0123456789abcdefWXYZ';
const ENV_ID = 'env_01DoctorTest';

/** A small API that knows one key of each kind and one self-hosted environment. */
const fakeApi: SimpleResponder = (req, res) => {
  const bearer = req.headers.authorization;
  // The API key goes as a Bearer, as SDK 1.16 sends it.
  const apiKey = bearer?.startsWith('Bearer sk-') ? bearer.slice('Bearer '.length) : undefined;
  if (req.path === '/v1/environments') {
    if (!apiKey) return apiError(401, 'authentication_error', 'a credential is required')(req, res);
    if (apiKey !== API_KEY)
      return apiError(401, 'authentication_error', `invalid API key ${String(apiKey)}`)(req, res);
    return json(200, { data: [{ id: ENV_ID }], next_page: 'page_2' })(req, res);
  }
  if (req.path === `/v1/environments/${ENV_ID}`) {
    if (apiKey !== API_KEY)
      return apiError(401, 'authentication_error', 'invalid API key')(req, res);
    return json(200, {
      id: ENV_ID,
      type: 'environment',
      name: 'workers',
      config: { type: 'self_hosted' },
      archived_at: null,
    })(req, res);
  }
  if (req.path === `/v1/environments/${ENV_ID}/work`) {
    if (bearer !== `Bearer ${ENV_KEY}`)
      return apiError(401, 'authentication_error', 'invalid environment key')(req, res);
    return json(200, { data: [], next_page: null })(req, res);
  }
  return apiError(404, 'not_found_error', `no route ${req.path}`)(req, res);
};

let api: Recorder;
beforeAll(async () => {
  api = await startRecorder();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.requests.length = 0;
  api.fallback = fakeApi;
});

const doctor = (args: string[], env: Record<string, string>) =>
  runCli(['doctor', '--base-url', api.url, ...args], { env });

describe('doctor', () => {
  it('passes (exit 0) when the network and both keys work, and checks each key with one read call', async () => {
    const r = await doctor(['--environment-id', ENV_ID], {
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY,
    });
    expect(r.stdout).toMatch(/^ +ok +network /m);
    expect(r.stdout).toMatch(/^ +ok +API key .*ANTHROPIC_API_KEY \(set, ends …cdef\) works/m);
    expect(r.stdout).toMatch(/^ +ok +environment .*"workers".*self_hosted/m);
    expect(r.stdout).toMatch(/^ +ok +environment key .*works for env_01DoctorTest/m);
    expect(r.stdout).toContain('All is well.');
    expect(r.code).toBe(0);
    const calls = api.requests.map((q) => `${q.method} ${q.url}`);
    expect(calls).toEqual([
      'GET /v1/environments', // the network check, without a credential
      'GET /v1/environments?limit=1',
      `GET /v1/environments/${ENV_ID}`,
      `GET /v1/environments/${ENV_ID}/work?limit=1`,
    ]);
    expect(api.requests[0]!.headers['x-api-key']).toBeUndefined();
    expect(api.requests[0]!.headers.authorization).toBeUndefined();
    expect(api.requests[3]!.headers.authorization).toBe(`Bearer ${ENV_KEY}`);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
    expect(r.stdout + r.stderr).not.toContain(ENV_KEY);
  });

  it('says a wrong API key was refused, with the fix, and never prints the key even when the API echoes it', async () => {
    const wrong = 'sk-ant-api03-wrong-key-000000000000000000000';
    const r = await doctor([], { ANTHROPIC_API_KEY: wrong });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL +API key .*ANTHROPIC_API_KEY.*401 authentication_error: invalid API key \[redacted\]/,
    );
    expect(r.stdout).toContain('(request-id req_test_401)');
    expect(r.stdout).toContain('fix: Use a Claude API key');
    expect(r.stdout).toMatch(/1 problem to fix/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('says a wrong environment key was refused', async () => {
    const r = await doctor(['--environment-id', ENV_ID], {
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_ENVIRONMENT_KEY: 'not-the-key',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL +environment key .*ANTHROPIC_ENVIRONMENT_KEY \(set\).*401 authentication_error/,
    );
    expect(r.stdout).toContain('fix: Use the key of the self-hosted environment');
    expect(r.stdout).toMatch(/^ +ok +API key /m);
  });

  it('explains a 403 from an organization with environments turned off', async () => {
    api.fallback = (req, res) =>
      req.headers.authorization?.startsWith('Bearer sk-')
        ? apiError(
            403,
            'permission_error',
            'Environments are not enabled for this organization.',
          )(req, res)
        : fakeApi(req, res);
    const r = await doctor([], { ANTHROPIC_API_KEY: API_KEY });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL +API key .*403 permission_error: Environments are not enabled/);
    expect(r.stdout).toContain('turned off for your organization');
  });

  it('shows terminal escapes in an API message as text: they cannot erase the FAIL line', async () => {
    const forged = 'nope\x1b[2K\x1b[1A\r\n  ok    API key          fine\u202e\n\nAll is well.';
    api.fallback = (req, res) =>
      req.headers.authorization?.startsWith('Bearer sk-')
        ? apiError(403, 'permission_error', forged)(req, res)
        : fakeApi(req, res);
    const r = await doctor([], { ANTHROPIC_API_KEY: API_KEY });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    expect(r.stdout).toContain('nope\\x1b[2K\\x1b[1A');
    expect(r.stdout).toMatch(/^ +FAIL +API key .*nope/m);
    expect(r.stdout).not.toMatch(/^All is well\.$/m);
    expect(r.stdout).not.toMatch(/^ +ok +API key/m);
  });

  it('fails when no credential is set, naming the variable to set, after checking the network', async () => {
    const r = await doctor([], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ +ok +network /m);
    expect(r.stdout).toMatch(
      /FAIL +API key .*neither ANTHROPIC_API_KEY nor ANTHROPIC_ENVIRONMENT_KEY/,
    );
  });

  it('warns (exit 0) when the environment key cannot be tested without an environment id', async () => {
    const r = await doctor([], { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY });
    expect(r.stdout).toMatch(/warn +environment key .*not tested/);
    expect(r.stdout).toContain('--environment-id env_');
    expect(r.code).toBe(0);
    expect(api.requests.some((q) => q.path.endsWith('/work'))).toBe(false);
  });

  it('takes the environment id from AGENT_ENVIRONMENTS_ENVIRONMENT_ID too', async () => {
    const r = await doctor([], {
      ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY,
      AGENT_ENVIRONMENTS_ENVIRONMENT_ID: ENV_ID,
    });
    expect(r.stdout).toMatch(/^ +ok +environment key /m);
    expect(r.stdout).toMatch(/warn +API key .*ANTHROPIC_API_KEY is not set/);
    expect(r.code).toBe(0);
  });

  it('says when the API is unreachable, and skips the key checks', async () => {
    const closed = await startRecorder();
    const url = closed.url;
    await closed.close();
    const r = await runCli(['doctor', '--base-url', url], {
      env: { ANTHROPIC_API_KEY: API_KEY, HTTPS_PROXY: 'http://proxy.invalid:3128' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL +network .*ECONNREFUSED/);
    expect(r.stdout).toMatch(/- +API key .*not tried/);
    // A loopback URL never goes through a proxy, so the proxy note would mislead here.
    expect(r.stdout).not.toContain('HTTPS_PROXY');
  });

  it('says when the base URL answers but is not the API', async () => {
    api.fallback = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>not here</html>');
    };
    const r = await doctor([], { ANTHROPIC_API_KEY: API_KEY });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL +network .*HTTP 404 text\/html.*not the Anthropic API/);
  });

  it('passes in emulator mode without a key or network', async () => {
    const r = await runCli(['doctor', '--emulator'], { env: {} });
    expect(r.stdout).toMatch(/^ +ok +emulator +emulator mode/m);
    expect(r.code).toBe(0);
  });

  it('reports a malformed setting by its name, without calling the API', async () => {
    const r = await doctor([], {
      ANTHROPIC_API_KEY: API_KEY,
      AGENT_ENVIRONMENTS_ENVIRONMENT_ID: 'env/../x',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL +configuration .*AGENT_ENVIRONMENTS_ENVIRONMENT_ID: must be an id/,
    );
    expect(api.requests).toEqual([]);
  });
});

describe('doctor against the emulator with --strict-auth (the keys it knows are the right ones)', () => {
  let emulator: EmulatorHandle;
  let environmentId: string;
  beforeAll(async () => {
    emulator = await startEmulator({
      strictAuth: { apiKeys: [API_KEY], environmentKeys: [ENV_KEY] },
    });
    environmentId = await selfHosted((method, path, opts = {}) =>
      apiFor(emulator)(method, path, { ...opts, key: API_KEY }),
    );
  });
  afterAll(async () => {
    await emulator.close();
  });
  const against = (args: string[], env: Record<string, string>) =>
    runCli(['doctor', '--base-url', emulator.url, ...args], { env });

  it('passes with the right keys', async () => {
    const r = await against(['--environment-id', environmentId], {
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY,
    });
    expect(r.stdout).toMatch(
      /^ +ok +network .*HTTP 401 authentication_error, as expected without a key/m,
    );
    expect(r.stdout).toMatch(/^ +ok +API key .*works/m);
    expect(r.stdout).toMatch(/^ +ok +environment .*"workers".*self_hosted/m);
    expect(r.stdout).toMatch(/^ +ok +environment key .*works/m);
    expect(r.stdout).toContain('All is well.');
    expect(r.code).toBe(0);
  });

  it('says a wrong API key was refused (401)', async () => {
    const r = await against([], { ANTHROPIC_API_KEY: 'sk-ant-api03-not-a-key-the-emulator-knows' });
    expect(r.stdout).toMatch(/FAIL +API key .*401 authentication_error/);
    expect(r.stdout).toContain('fix: Use a Claude API key');
    expect(r.stdout).not.toContain('not-a-key-the-emulator-knows');
    expect(r.code).toBe(1);
  });

  it('says when the API key was given as the environment key (a known key of the wrong kind: 403)', async () => {
    const r = await against(['--environment-id', environmentId], {
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_ENVIRONMENT_KEY: API_KEY,
    });
    expect(r.stdout).toMatch(/^ +ok +API key /m);
    expect(r.stdout).toMatch(/FAIL +environment key .*403 permission_error/);
    expect(r.stdout).toContain('fix: This environment key does not belong to that environment');
    expect(r.code).toBe(1);
  });

  it('says when the environment id does not exist', async () => {
    const r = await against(['--environment-id', 'env_missing'], {
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY,
    });
    expect(r.stdout).toMatch(
      /FAIL +environment +get_environment env_missing .*404 not_found_error/,
    );
    expect(r.stdout).toContain('fix: No such environment: check --environment-id');
    expect(r.code).toBe(1);
  });
});
