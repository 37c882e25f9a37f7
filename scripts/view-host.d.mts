// Types of ./view-host.mjs, for the tests that import it.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

export interface ViewHost {
  url: string;
  client: Client;
  calls: { name: string; arguments: Record<string, unknown>; at: number }[];
  questions: { id: number; message: string }[];
  stderr(): string;
  close(): Promise<void>;
}

export function startViewHost(opts?: {
  args?: string[];
  env?: Record<string, string>;
  port?: number;
}): Promise<ViewHost>;

export function seedStuck(
  emulator: { url: string; enqueue(environmentId: string): Record<string, unknown> },
  environmentId: string,
): Promise<{ lost: string; stuck: string }>;

export function seedAcked(
  emulator: { url: string; enqueue(environmentId: string): Record<string, unknown> },
  environmentId: string,
): Promise<string>;
