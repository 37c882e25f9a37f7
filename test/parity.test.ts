// Parity with Anthropic's official TypeScript SDK (@anthropic-ai/sdk 1.16.0,
// a devDependency used only in tests): for every operation, our client and
// the SDK send the same request, headers included, for the same arguments to
// the same recording server. There are no differences left to write down.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeAllPools, createApiClient } from '../src/api/client.js';
import { operations, type OperationName } from '../src/api/operations.js';
import { testConfig } from './support/config.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { API_KEY, SAMPLE_NAMES, samples } from './support/samples.js';
import { type Args, bothRequests, SDK_VERSION } from './support/sdk-parity.js';

let rec: Recorder;
beforeAll(async () => {
  rec = await startRecorder();
});
afterAll(async () => {
  await closeAllPools();
  await rec?.close();
});
beforeEach(() => {
  rec.reset();
});

/** Only the required arguments: what is left out must be left out by both. */
function requiredOnly(name: OperationName, args: Args): Args {
  const shape = operations[name].params.shape as Record<string, { isOptional(): boolean }>;
  return Object.fromEntries(Object.entries(args).filter(([k]) => !shape[k]!.isOptional()));
}

/** Every argument that SDK 1.16's types let be null, null (metadata patches: a null value too). */
function nullsFor(name: OperationName, args: Args): Args {
  const shape = operations[name].params.shape as Record<
    string,
    { safeParse(v: unknown): { success: boolean } }
  >;
  const out: Args = { ...args };
  for (const [k, field] of Object.entries(shape)) if (field.safeParse(null).success) out[k] = null;
  if (name === 'update_environment') out.metadata = { gone: null, emptied: '', kept: 'v' };
  if (name === 'update_work_item') out.metadata = { gone: null, kept: 'v' };
  return out;
}

/** Text that each encoder treats differently: ids, cursors and values with reserved and non-ASCII characters. */
function oddTextFor(_name: OperationName, args: Args): Args {
  const out: Args = { ...args };
  if ('environment_id' in out) out.environment_id = "env:@!$&'()*+,;=~é%20";
  if ('work_id' in out) out.work_id = 'work_💥[x]{y}|`^"<>';
  if ('page' in out) out.page = "p a+g/e?=&!'()*~é";
  if ('expected_last_heartbeat' in out)
    out.expected_last_heartbeat = '2026-05-01T10:00:00.123456+00:00 ';
  if ('worker_id' in out) out.worker_id = '  worker 1\t';
  return out;
}

describe.each([
  ['all arguments', (_n: OperationName, a: Args) => a],
  ['required arguments only', requiredOnly],
  ['nulls wherever the SDK takes them', nullsFor],
  ['reserved and non-ASCII characters', oddTextFor],
])('parity with @anthropic-ai/sdk 1.16.0, %s', (_variant, argsOf) => {
  it.each(SAMPLE_NAMES)('%s', async (name) => {
    const { ours, sdk } = await bothRequests(rec, name, argsOf(name, samples[name].args));
    expect(ours).toEqual(sdk);
  });
});

describe('the SDK under test', () => {
  it('is 1.16.0, and sends the headers our defaults now match', async () => {
    const { VERSION } = await import('@anthropic-ai/sdk/version');
    expect(VERSION).toBe('1.16.0');
    const { ours, sdk } = await bothRequests(rec, 'get_environment', samples.get_environment.args);
    expect(sdk.headers).toMatchObject({
      'anthropic-version': SDK_VERSION,
      authorization: `Bearer ${API_KEY}`,
      'x-api-key': undefined,
    });
    expect(ours.headers).toEqual(sdk.headers);
  });

  it('nulls: the null-taking fields really are null in what both sent', async () => {
    const { ours } = await bothRequests(
      rec,
      'update_environment',
      nullsFor('update_environment', samples.update_environment.args),
    );
    expect(ours.body).toMatchObject({
      description: null,
      name: null,
      config: null,
      scope: null,
      metadata: { gone: null },
    });
    rec.reset();
    const poll = await bothRequests(
      rec,
      'poll_work_item',
      nullsFor('poll_work_item', samples.poll_work_item.args),
    );
    expect(poll.ours.url).toMatch(/\?block_ms=&reclaim_older_than_ms=$/);
  });

  it('the version stays configurable: ANTHROPIC_VERSION is sent instead', async () => {
    const ours = createApiClient(testConfig(rec.url, {}, { ANTHROPIC_VERSION: '2023-06-01' }));
    rec.fallback = json(200, samples.get_environment.response);
    await ours.call('get_environment', samples.get_environment.args as never);
    expect(rec.requests[0]!.headers['anthropic-version']).toBe('2023-06-01');
  });
});
