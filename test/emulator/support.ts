// Shared by the emulator's tests: an emulator on a loopback port, and a small
// fetch wrapper that sends what the API requires.
import {
  manualClock,
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
} from '../../src/emulator/index.js';

export const API_HEADERS = {
  'anthropic-version': '2023-06-01',
  'anthropic-beta': 'managed-agents-2026-04-01',
};

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export type Api = (
  method: string,
  path: string,
  opts?: {
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    key?: string | null;
  },
) => Promise<Answer>;

export function apiFor(emulator: EmulatorHandle): Api {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...API_HEADERS };
    if (opts.key !== null) headers['x-api-key'] = opts.key ?? 'any-key';
    if (opts.body !== undefined || opts.rawBody !== undefined)
      headers['content-type'] = 'application/json';
    const res = await fetch(emulator.url + path, {
      method,
      headers: { ...headers, ...opts.headers },
      body: opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
}

/** An emulator with a frozen clock (tests move time with clock.advance). */
export async function frozenEmulator(
  opts: EmulatorOptions = {},
): Promise<{ emulator: EmulatorHandle; api: Api }> {
  const emulator = await startEmulator({ clock: manualClock('2026-01-01T00:00:00Z'), ...opts });
  return { emulator, api: apiFor(emulator) };
}

/** Creates a self-hosted environment and returns its id. */
export async function selfHosted(api: Api, name = 'workers'): Promise<string> {
  const res = await api('POST', '/v1/environments', {
    body: { name, config: { type: 'self_hosted' } },
  });
  if (res.status !== 200) throw new Error(`create failed: ${res.text}`);
  return res.json.id as string;
}
