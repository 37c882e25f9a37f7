// Corporate proxy support, end to end: the built server behind a CONNECT
// proxy reaches an HTTPS API under a made-up host name (trusted through
// NODE_EXTRA_CA_CERTS), the proxy sees only the CONNECT target and none of our
// credentials, NO_PROXY sends the call direct, and a loopback base URL never
// goes through the proxy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type Server as HttpServer,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiResponder } from './support/fixtures.js';
import { resultJson, spawnServer } from './support/mcp.js';
import { startRecorder, type Recorder } from './support/recorder.js';
import { runCli } from './support/run.js';
import { API_KEY, environment, ENV_ID } from './support/samples.js';

const HOST = 'api.proxy-test.invalid';

let dir: string;
let api: HttpsServer;
let apiPort: number;
const apiSaw: IncomingHttpHeaders[] = [];
let proxy: HttpServer;
let proxyPort: number;
const proxySaw: { target: string; headers: IncomingHttpHeaders }[] = [];
const tunnels = new Set<Socket>();

/** Runs openssl; a failure fails the suite with openssl's own words, never skips it. */
function openssl(args: string[]): void {
  try {
    execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(
      `openssl ${args[0]} failed, so the proxy test cannot make its certificates: ${e.stderr?.toString() || e.message}`,
    );
  }
}

const listen = (server: HttpServer | HttpsServer) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxy-test-'));
  // A throwaway CA, and a certificate for HOST signed by it.
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=proxy-test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${HOST}`,
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ]);
  writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=DNS:${HOST}\n`);
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
    '-out',
    'server.pem',
  ]);

  api = createHttpsServer(
    { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) },
    (req, res) => {
      apiSaw.push(req.headers);
      if (req.method === 'GET' && req.url === `/v1/environments/${ENV_ID}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(environment));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            type: 'error',
            error: { type: 'not_found_error', message: 'not here' },
          }),
        );
      }
    },
  );
  apiPort = await listen(api);

  // A CONNECT proxy that sends every tunnel to the HTTPS server, whatever host was asked for.
  proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    proxySaw.push({ target: req.url ?? '', headers: req.headers });
    const upstream = connect(apiPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      tunnels.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        tunnels.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  proxyPort = await listen(proxy);
});

afterAll(async () => {
  for (const s of tunnels) s.destroy();
  await Promise.all([api, proxy].map((s) => s && new Promise((r) => s.close(r))));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  apiSaw.length = 0;
  proxySaw.length = 0;
});

/** The server's env: the proxy set in both spellings (a lower-case one from the machine would win). */
function proxyEnv(
  baseUrl: string,
  noProxy = '',
  proxyUrl = `http://127.0.0.1:${proxyPort}`,
): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: API_KEY,
    NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
    HTTPS_PROXY: proxyUrl,
    https_proxy: proxyUrl,
    HTTP_PROXY: '',
    http_proxy: '',
    NO_PROXY: noProxy,
    no_proxy: noProxy,
    AGENT_ENVIRONMENTS_MAX_RETRIES: '0',
  };
}

async function getEnvironment(env: Record<string, string>) {
  const server = await spawnServer({ env });
  try {
    return await server.call('get_environment', { environment_id: ENV_ID });
  } finally {
    await server.close();
  }
}

describe('behind a CONNECT proxy', () => {
  it('tunnels the call through the proxy; the key goes only through the tunnel', async () => {
    const result = await getEnvironment(proxyEnv(`https://${HOST}:${apiPort}`));
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(resultJson(result).id).toBe(ENV_ID);

    expect(proxySaw.map((c) => c.target)).toEqual([`${HOST}:${apiPort}`]);
    const connectHeaders = proxySaw[0]!.headers;
    expect(connectHeaders['x-api-key']).toBeUndefined();
    expect(connectHeaders.authorization).toBeUndefined();
    expect(JSON.stringify(connectHeaders)).not.toContain(API_KEY);

    expect(apiSaw).toHaveLength(1);
    expect(apiSaw[0]!['x-api-key']).toBe(API_KEY);
    expect(apiSaw[0]!.host).toBe(`${HOST}:${apiPort}`);
  });

  it('goes direct for a host in NO_PROXY: the proxy sees nothing, and the unresolvable host is a clear error', async () => {
    const result = await getEnvironment(proxyEnv(`https://${HOST}:${apiPort}`, HOST));
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(proxySaw).toEqual([]);
    expect(apiSaw).toEqual([]);
  });

  describe('a loopback base URL', () => {
    let local: Recorder;
    beforeAll(async () => {
      local = await startRecorder();
      local.fallback = apiResponder();
    });
    afterAll(async () => {
      await local?.close();
    });

    it('never goes through the proxy', async () => {
      const result = await getEnvironment(proxyEnv(local.url));
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      expect(local.requests).toHaveLength(1);
      expect(proxySaw).toEqual([]);
    });
  });

  it('doctor says which proxy it went through, without the proxy password', async () => {
    const r = await runCli(['doctor'], {
      env: proxyEnv(
        `https://${HOST}:${apiPort}`,
        '',
        `http://someone:proxy-pass@127.0.0.1:${proxyPort}`,
      ),
    });
    expect(r.stdout).toMatch(
      new RegExp(`ok +network .*through the proxy http://127\\.0\\.0\\.1:${proxyPort} `),
    );
    expect(r.stdout).not.toContain('proxy-pass');
    expect(r.stdout).not.toContain('someone');
    expect(proxySaw.length).toBeGreaterThan(0);
    expect(
      proxySaw.every((c) => c.target === `${HOST}:${apiPort}` && !c.headers['x-api-key']),
    ).toBe(true);
  });
});
