// The checks of `doctor`, each answering one question a newcomer has: is my
// configuration readable, can I reach the API, does each of my keys work.
// Each returns what it found and, when something is wrong, what to do.
import { isLoopbackHost, type Config } from '../config/config.js';
import { ApiError, MissingCredentialError, TransportError } from '../api/errors.js';
import { describeFailure } from '../api/failure.js';
import { dispatcherFor, proxyFor, type ApiClient } from '../api/client.js';
import { first } from '../api/retry.js';

export type Status = 'ok' | 'warn' | 'fail' | 'skip';

export interface Finding {
  status: Status;
  name: string;
  detail: string;
  fix?: string;
}

/** How a credential shows in the report: never its value; the last 4 only of a long one. */
export function describeSecret(value: string): string {
  return value.length >= 24 ? `set, ends …${value.slice(-4)}` : 'set';
}

/** The proxy the server goes through for `base`, for the report: no user name or password in it. */
function proxyInUse(base: URL, env: NodeJS.ProcessEnv): string | undefined {
  const proxy = proxyFor(base, env);
  if (!proxy) return undefined;
  let shown = 'an unreadable address';
  try {
    const u = new URL(proxy);
    u.username = '';
    u.password = '';
    shown = u.origin;
  } catch {
    // shown stays generic: the raw text could hold a password
  }
  const unless = env.no_proxy || env.NO_PROXY ? ', unless NO_PROXY lists the host' : '';
  return `through the proxy ${shown} (HTTPS_PROXY / HTTP_PROXY${unless})`;
}

/** What to check about the proxy when the API cannot be reached; empty for a loopback URL. */
function proxyNote(base: URL, env: NodeJS.ProcessEnv): string {
  if (isLoopbackHost(base.hostname)) return '';
  const proxy = proxyInUse(base, env);
  if (proxy)
    return ` Requests go ${proxy}: check that it is reachable and allows CONNECT to ${base.host}, or list the host in NO_PROXY to go direct.`;
  // undici, like curl for HTTPS, does not read ALL_PROXY: say so rather than let it look honoured.
  const all = env.ALL_PROXY || env.all_proxy;
  return all
    ? ' ALL_PROXY is set, but this server does not read it: set HTTPS_PROXY to the proxy instead.'
    : '';
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code ?? e?.cause?.code;
}

/** Reaches the base URL without a credential: any HTTP answer means the network path works. */
export async function checkNetwork(
  config: Config,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<Finding> {
  const name = 'network';
  const base = new URL(config.baseUrl);
  const started = performance.now();
  try {
    // The dispatcher the API calls use, so that this checks the same path (proxy or not).
    const res = await dispatcherFor(base).request({
      origin: base.origin,
      method: 'GET',
      path: `${base.pathname.replace(/\/+$/, '')}/v1/environments`,
      headers: {
        accept: 'application/json',
        'anthropic-version': config.apiVersion,
        'anthropic-beta': config.betas.join(','),
      },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await readSome(res.body, 64 * 1024);
    const ms = Math.round(performance.now() - started);
    const proxy = proxyInUse(base, env);
    const where = `${base.origin}${proxy ? ` ${proxy}` : ''} answered in ${ms} ms (HTTP ${res.statusCode}`;
    if (res.statusCode >= 300 && res.statusCode < 400) {
      return {
        status: 'fail',
        name,
        detail: `${where}, a redirect to ${redirectTarget(res.headers.location)}).`,
        fix: 'The server never follows redirects (your key would go along): set ANTHROPIC_BASE_URL to the final address.',
      };
    }
    const errorType = apiErrorType(body);
    if (errorType === undefined && res.statusCode >= 300) {
      return {
        status: 'fail',
        name,
        detail: `${where} ${first(res.headers['content-type']) ?? 'without a content type'}), not the Anthropic API's JSON error.`,
        fix: 'Check ANTHROPIC_BASE_URL (default https://api.anthropic.com), or whether something between you and the API (a proxy or gateway) answers instead.',
      };
    }
    return {
      status: 'ok',
      name,
      detail: `${where}${errorType ? ` ${errorType}, as expected without a key` : ''}).`,
    };
  } catch (err) {
    return { status: 'fail', name, ...unreachable(err, base, timeoutMs, env) };
  }
}

function unreachable(
  err: unknown,
  base: URL,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): { detail: string; fix: string } {
  const code = errorCode(err);
  const proxy = proxyNote(base, env);
  if (code && TLS_CODES.has(code)) {
    return {
      detail: `${base.origin}: the TLS certificate was not trusted (${code}).`,
      fix: `Usually a network that inspects TLS. Put your organization's CA certificate in a file and set NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the server's env.${proxy}`,
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      detail: `${base.hostname} does not resolve (${code}).`,
      fix: `Check ANTHROPIC_BASE_URL and this machine's DNS.${proxy}`,
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      detail: `nothing accepts connections at ${base.origin} (ECONNREFUSED).`,
      fix: `Check ANTHROPIC_BASE_URL; for a local emulator, start it first (agent-environments-mcp emulator).${proxy}`,
    };
  }
  const timedOut =
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    (err as Error)?.name === 'TimeoutError';
  if (timedOut) {
    return {
      detail: `${base.origin} did not answer within ${timeoutMs / 1000} s.`,
      fix: `A firewall may drop the connection.${proxy}`,
    };
  }
  return {
    detail: `${base.origin}: the connection failed (${code ?? (err as Error)?.message ?? 'unknown error'}).`,
    fix: `Check ANTHROPIC_BASE_URL and the network.${proxy}`,
  };
}

function redirectTarget(location: string | string[] | undefined): string {
  const text = first(location);
  if (!text) return 'nowhere';
  try {
    const u = new URL(text);
    return u.origin + u.pathname; // no query: it could carry a token
  } catch {
    return 'an unreadable address';
  }
}

async function readSome(
  body: AsyncIterable<Buffer> & { destroy(): void },
  cap: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= cap) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function apiErrorType(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { type?: unknown; error?: { type?: unknown } } | null;
    return parsed?.type === 'error' && typeof parsed.error?.type === 'string'
      ? parsed.error.type
      : undefined;
  } catch {
    return undefined;
  }
}

/** The read calls doctor makes, by the credential they test. */
export type Probe = 'api_key' | 'environment' | 'environment_key';

const NO_SUCH_ENVIRONMENT =
  'No such environment: check --environment-id (list_environments lists them).';

/** Fixes by probe and status: what a person does about a refused call. */
const FIXES: Record<Probe, Record<number, string>> = {
  api_key: {
    401: "Use a Claude API key (Claude Console → Settings → API keys) as ANTHROPIC_API_KEY in the env of this server in your host's config. A self-hosted environment key does not work here.",
    403: "The key may not use Managed Agents environments: they may be turned off for your organization, or the key's workspace has no access. Ask an organization admin (Claude Console); if the key spans workspaces, set ANTHROPIC_WORKSPACE_ID.",
    404: 'The API at this address has no environments endpoint: check ANTHROPIC_BASE_URL (default https://api.anthropic.com).',
  },
  environment_key: {
    401: 'Use the key of the self-hosted environment as ANTHROPIC_ENVIRONMENT_KEY. A Claude API key does not work for the work list and worker calls.',
    403: 'This environment key does not belong to that environment: use the key of that environment, or pass the --environment-id of the environment this key belongs to.',
    404: NO_SUCH_ENVIRONMENT,
  },
  environment: { 404: NO_SUCH_ENVIRONMENT },
};

/** Turns a failed read into a finding that says what went wrong (../api/failure.ts) and what to do. */
export function explainFailure(err: unknown, name: string, label: string, probe: Probe): Finding {
  const detail = `${label} — ${describeFailure(err)}`;
  if (err instanceof ApiError) {
    const fix =
      FIXES[probe][err.status] ??
      (err.status === 429 || err.status >= 500
        ? 'The API is busy or failing right now; this says nothing about your key. Try again in a minute.'
        : 'See the message above; Troubleshooting in the README lists the usual causes.');
    return { status: 'fail', name, detail, fix };
  }
  if (err instanceof TransportError || err instanceof MissingCredentialError) {
    return { status: 'fail', name, detail, fix: 'See the network check above.' };
  }
  return { status: 'fail', name, detail: `${label} — unexpected failure: ${describeFailure(err)}` };
}

/** One read call with the API key (or auth token). */
export async function checkApiKey(client: ApiClient, label: string): Promise<Finding> {
  const name = 'API key';
  try {
    const page = await client.call('list_environments', { limit: 1 });
    const more = page.next_page ? ', more exist' : '';
    return {
      status: 'ok',
      name,
      detail: `${label} works: list_environments answered (${page.data.length} on the first page${more}).`,
    };
  } catch (err) {
    return explainFailure(err, name, label, 'api_key');
  }
}

/** The environment the configuration names: does it exist, and can it have a work queue. */
export async function checkEnvironment(client: ApiClient, environmentId: string): Promise<Finding> {
  const name = 'environment';
  try {
    const env = await client.call('get_environment', { environment_id: environmentId });
    const what = `${environmentId} ("${env.name}") is a ${env.config.type} environment`;
    if (env.archived_at) {
      return {
        status: 'warn',
        name,
        detail: `${what}, archived at ${env.archived_at}.`,
        fix: 'Archived environments take no new sessions: pick another with list_environments.',
      };
    }
    if (env.config.type !== 'self_hosted') {
      return {
        status: 'warn',
        name,
        detail: `${what}: it has no work queue.`,
        fix: 'The work and worker tools need a self_hosted environment.',
      };
    }
    return { status: 'ok', name, detail: `${what}.` };
  } catch (err) {
    return explainFailure(err, name, `get_environment ${environmentId}`, 'environment');
  }
}

/** One read call with the environment key: its environment's work list. */
export async function checkEnvironmentKey(
  client: ApiClient,
  label: string,
  environmentId: string,
): Promise<Finding> {
  const name = 'environment key';
  try {
    const page = await client.call('list_work_items', { environment_id: environmentId, limit: 1 });
    const more = page.next_page ? ', more exist' : '';
    return {
      status: 'ok',
      name,
      detail: `${label} works for ${environmentId}: list_work_items answered (${page.data.length} on the first page${more}).`,
    };
  } catch (err) {
    return explainFailure(err, name, `${label} with ${environmentId}`, 'environment_key');
  }
}
