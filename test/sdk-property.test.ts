// The property of a thin client (README, "How we know the requests are
// right"): for any arguments @anthropic-ai/sdk 1.16.0's types accept, our
// client either sends the very request the SDK sends (method, path, query,
// body and headers) or refuses them before sending, for one of the reasons
// the client keeps: a path-unsafe id of the tool contract, or a limit the API
// reference documents (block_ms 1-999). Arguments are generated from the
// SDK's request types (nulls included), seeded and reproducible.
import { AnthropicError, APIError } from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPools, createApiClient } from '../src/api/client.js';
import { OPERATION_NAMES, operations, type OperationName } from '../src/api/operations.js';
import { testConfig } from './support/config.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { samples } from './support/samples.js';
import { type Args, BETAS, sdkFor, viaSdk, WORKSPACE, wire } from './support/sdk-parity.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261021);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

// ---- arguments as SDK 1.16's types allow them -------------------------------

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 24, unit: 'binary' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'NO_HEARTBEAT',
      "a+b/c?d=e&f!'()*~",
      'é💥',
      '%2F',
      'null',
      '2026-05-01T10:00:00Z',
    ),
  },
  { weight: 1, arbitrary: fc.constant('m'.repeat(5000)) },
);
/** Path parameters: any string (the SDK itself refuses only empty and dot segments). */
const id = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^(env|work)_[A-Za-z0-9]{1,26}$/) },
  { weight: 2, arbitrary: text },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'a/b',
      'a?b',
      'a#b',
      'a..b',
      'a b',
      'a\tb',
      'a\u0000b',
      '.',
      '..',
      ':@!$&',
      'ｅｎｖ',
    ),
  },
);
const int = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 999, 1000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
);
const nullable = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
const strings = fc.array(text, { maxLength: 3 });
const stringMap = fc.dictionary(text, text, { maxKeys: 20 });
const patch = fc.dictionary(text, nullable(text), { maxKeys: 20 });
/** Header text fetch can send: Latin-1 without controls but tab (the SDK throws on the rest). */
const headerText = fc.string({
  maxLength: 30,
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
});

const networking = fc.oneof(
  fc.constant({ type: 'unrestricted' }),
  fc.record(
    {
      type: fc.constant('limited'),
      allowed_hosts: nullable(strings),
      allow_mcp_servers: nullable(fc.boolean()),
      allow_package_managers: nullable(fc.boolean()),
    },
    { requiredKeys: ['type'] },
  ),
);
const packages = fc.record(
  {
    type: fc.constant('packages'),
    apt: nullable(strings),
    cargo: nullable(strings),
    gem: nullable(strings),
    go: nullable(strings),
    npm: nullable(strings),
    pip: nullable(strings),
  },
  { requiredKeys: [] },
);
const config = fc.oneof(
  fc.constant({ type: 'self_hosted' }),
  fc.record(
    { type: fc.constant('cloud'), networking: nullable(networking), packages: nullable(packages) },
    { requiredKeys: ['type'] },
  ),
);
const scope = nullable(fc.constantFrom('organization', 'account'));

const envRef = { environment_id: id };
const workRef = { environment_id: id, work_id: id };
const record = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[]) =>
  fc.record(fields, { requiredKeys: required }) as fc.Arbitrary<Args>;

const ARGS: Record<OperationName, fc.Arbitrary<Args>> = {
  create_environment: record(
    {
      name: text,
      description: nullable(text),
      config: nullable(config),
      metadata: stringMap,
      scope,
    },
    ['name'],
  ),
  list_environments: record(
    { include_archived: fc.boolean(), limit: int, page: nullable(text) },
    [],
  ),
  get_environment: record(envRef, ['environment_id']),
  update_environment: record(
    {
      ...envRef,
      name: nullable(text),
      description: nullable(text),
      config: nullable(config),
      metadata: patch,
      scope,
    },
    ['environment_id'],
  ),
  delete_environment: record(envRef, ['environment_id']),
  archive_environment: record(envRef, ['environment_id']),
  list_work_items: record({ ...envRef, limit: int, page: nullable(text) }, ['environment_id']),
  get_work_item: record(workRef, ['environment_id', 'work_id']),
  update_work_item: record({ ...workRef, metadata: patch }, [
    'environment_id',
    'work_id',
    'metadata',
  ]),
  stop_work_item: record({ ...workRef, force: fc.boolean() }, ['environment_id', 'work_id']),
  get_work_queue_stats: record(envRef, ['environment_id']),
  poll_work_item: record(
    {
      ...envRef,
      block_ms: nullable(fc.oneof(fc.integer({ min: 1, max: 999 }), int)),
      reclaim_older_than_ms: nullable(int),
      worker_id: headerText,
    },
    ['environment_id'],
  ),
  ack_work_item: record(workRef, ['environment_id', 'work_id']),
  heartbeat_work_item: record(
    {
      ...workRef,
      desired_ttl_seconds: nullable(int),
      expected_last_heartbeat: nullable(fc.oneof(text, fc.constant('NO_HEARTBEAT'))),
    },
    ['environment_id', 'work_id'],
  ),
};

// ---- the reasons a refusal may have ----------------------------------------

/** Item 2 of the issue: a path-unsafe id, or the documented block_ms range. Nothing else. */
function refusalReason(issue: { path: PropertyKey[] }): string | undefined {
  const field = String(issue.path[0]);
  if (field === 'environment_id' || field === 'work_id') return 'path-unsafe id';
  if (field === 'block_ms') return 'block_ms is 1-999 (the reference)';
  return undefined;
}

/** What the SDK does with these arguments: the request it sent, or undefined when it refused them itself. */
async function sdkSends(name: OperationName, args: Args): Promise<boolean> {
  try {
    await viaSdk[name](sdkFor(name, rec.url), args);
    return true;
  } catch (e) {
    if (e instanceof APIError && e.status !== undefined) return true; // sent; the recorder answered an error
    if (e instanceof AnthropicError || e instanceof TypeError || e instanceof URIError)
      return false;
    throw e;
  }
}

let rec: Recorder;
const tally: string[] = [];
beforeAll(async () => {
  rec = await startRecorder({ maxHeaderSize: 1024 * 1024 });
});
afterAll(async () => {
  console.log(
    `sdk property: seed ${SEED}; cases/sent identically/refused per operation: ${tally.join(', ')}`,
  );
  await closeAllPools();
  await rec?.close();
});

describe.each(OPERATION_NAMES)('%s: any arguments SDK 1.16 accepts', (name) => {
  it('are sent exactly as the SDK sends them, or refused for a reason the client keeps', async () => {
    const ours = createApiClient(
      testConfig(
        rec.url,
        { maxRetries: 0 },
        { ANTHROPIC_BETA: BETAS.join(','), ANTHROPIC_WORKSPACE_ID: WORKSPACE },
      ),
    );
    let sent = 0;
    let refused = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(ARGS[name], async (generated) => {
        const args = JSON.parse(JSON.stringify(generated)) as Args;
        rec.reset();
        rec.fallback = json(200, samples[name].response);
        const verdict = operations[name].params.safeParse(args);
        total++;
        if (!verdict.success) {
          // Refused: only for a kept reason (and then nothing is sent).
          const reasons = verdict.error.issues.map(refusalReason);
          expect(reasons, JSON.stringify(verdict.error.issues).slice(0, 400)).not.toContain(
            undefined,
          );
          refused++;
          return;
        }
        await ours.call(name, verdict.data as never);
        const sdkDid = await sdkSends(name, args);
        if (!sdkDid) return; // the SDK does not accept them: no claim
        expect(rec.requests).toHaveLength(2);
        expect(wire(rec.requests[0]!)).toEqual(wire(rec.requests[1]!));
        sent++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    tally.push(`${name} ${total}/${sent}/${refused}`);
    // The generators must reach the wire, or the property says little.
    expect(sent).toBeGreaterThan(RUNS / 4);
  }, 60_000);
});
