// A local emulator of the Environments and Work API, on node:http. Used by
// `--emulator` mode, the `emulator` command, `npm run demo` and the tests.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EMULATOR_API_KEY,
  EMULATOR_ENVIRONMENT_KEY,
  type StrictAuth,
  type TokenOwner,
} from './auth.js';
import { stamper, systemClock, type Clock } from './clock.js';
import { Environments } from './environments.js';
import { createFaults, type Faults } from './faults.js';
import { workJson, type WorkRecord } from './queue.js';
import { requestHandler } from './server.js';

export { EMULATOR_API_KEY, EMULATOR_ENVIRONMENT_KEY } from './auth.js';
export { manualClock, systemClock, type Clock } from './clock.js';
export type { FaultInput } from './faults.js';
export { LEASE_TTL, DEFAULT_RECLAIM_MS, WORKERS_WINDOW_MS } from './queue.js';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  /**
   * Enforce credentials per endpoint. `true` accepts the placeholder keys
   * EMULATOR_API_KEY and EMULATOR_ENVIRONMENT_KEY; or name the keys.
   */
  strictAuth?: boolean | Partial<StrictAuth>;
  /** Default: the system clock (which /_emulator/clock can still move forward). */
  clock?: Clock;
  /** One line per answered request (no credentials in it). */
  log?: (line: string) => void;
}

export interface EmulatorHandle {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  clock: Clock;
  faults: Faults;
  /** Adds work to a self-hosted environment, as a new session would (the enqueue route, in process). */
  enqueue(
    environmentId: string,
    input?: { session_id?: string; metadata?: Record<string, string> },
  ): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const clock = opts.clock ?? systemClock();
  const tokens = new Map<string, TokenOwner>();
  const environments = new Environments({
    clock,
    stamp: stamper(clock),
    onToken: (token, w) => tokens.set(token, { environmentId: w.environment_id, workId: w.id }),
  });
  const faults = createFaults();
  const closing = new AbortController();
  let url = '';
  const strict: StrictAuth | undefined = opts.strictAuth
    ? {
        apiKeys:
          opts.strictAuth === true
            ? [EMULATOR_API_KEY]
            : (opts.strictAuth.apiKeys ?? [EMULATOR_API_KEY]),
        environmentKeys:
          opts.strictAuth === true
            ? [EMULATOR_ENVIRONMENT_KEY]
            : (opts.strictAuth.environmentKeys ?? [EMULATOR_ENVIRONMENT_KEY]),
      }
    : undefined;

  // The secret is what the official SDK's worker decodes: URL-safe base64 of
  // JSON with the item's sessions token and the base URL to use with it.
  const secretFor = (w: WorkRecord) =>
    Buffer.from(JSON.stringify({ sessions_token: w.token, api_base_url: url })).toString(
      'base64url',
    );

  const server = createServer(
    requestHandler({
      environments,
      faults,
      clock,
      strict,
      tokenOwner: (t) => tokens.get(t),
      secretFor,
      closing: closing.signal,
      log: opts.log,
    }),
  );
  // Longer than clients' keep-alive, so a pooled connection is not closed under a request.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    clock,
    faults,
    enqueue: (environmentId, input = {}) => workJson(environments.enqueue(environmentId, input)),
    close() {
      closed ??= (async () => {
        closing.abort();
        environments.closeAll();
        server.closeIdleConnections();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Answers in flight get a moment to go out; then the rest is cut.
          setTimeout(() => server.closeAllConnections(), 200).unref();
        });
      })();
      return closed;
    },
  };
}
