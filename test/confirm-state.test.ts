// The requestState of a 2026-07-28 confirmation names the call it asks about:
// the same tool and arguments (in any key order) give the same state, any
// other call another one (src/server/confirm.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stateFor } from '../src/server/confirm.js';

describe('stateFor', () => {
  it('ignores key order and nothing else', () => {
    expect(stateFor('delete_environment', { environment_id: 'env_a', dry_run: false })).toBe(
      stateFor('delete_environment', { dry_run: false, environment_id: 'env_a' }),
    );
    expect(stateFor('delete_environment', { environment_id: 'env_a' })).not.toBe(
      stateFor('delete_environment', { environment_id: 'env_b' }),
    );
    expect(stateFor('delete_environment', { environment_id: 'env_a' })).not.toBe(
      stateFor('archive_environment', { environment_id: 'env_a' }),
    );
    expect(stateFor('stop_work_item', { force: true, w: { a: 1, b: [1, 2] } })).not.toBe(
      stateFor('stop_work_item', { force: true, w: { a: 1, b: [2, 1] } }),
    );
  });

  it('is short, printable and equal for equal calls (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), (tool, args) => {
        const state = stateFor(tool, args);
        expect(state).toMatch(/^confirm:v1:[\w-]{43}$/);
        const reversed = Object.fromEntries(Object.entries(args).reverse());
        expect(stateFor(tool, reversed)).toBe(state);
      }),
      { seed: 20260728, numRuns: 200 },
    );
  });
});
