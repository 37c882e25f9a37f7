// Identifiers in the API's style (`env_011CZkZ9X2dpNyB7HsEFoRfW`): a prefix,
// then 24 base58 characters that start like the real ones.
import { randomBytes } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

// Random bytes are drawn in batches: enqueueing 100,000 items must not make
// 100,000 calls into the crypto module.
let pool = Buffer.alloc(0);
let at = 0;

function randomBase58(length: number): string {
  if (at + length > pool.length) {
    pool = randomBytes(4096);
    at = 0;
  }
  let out = '';
  for (let i = 0; i < length; i++) out += BASE58[pool[at++]! % 58];
  return out;
}

export function newId(prefix: 'env' | 'work' | 'session' | 'req'): string {
  return `${prefix}_011C${randomBase58(20)}`;
}

/** The per-item bearer token a poll hands out inside `secret` (SDK format `sk-ant-req-…`). */
export function newSessionsToken(): string {
  return `sk-ant-req-emulator-${randomBase58(32)}`;
}
