// Fuzzing every tool through the MCP SDK Client and the built server over
// stdio, against a recorder that counts the HTTP requests. Every call gets an
// answer; arguments the tool's zod shape refuses come back as an isError
// result naming the field, with zero requests sent; accepted ones send
// exactly the request the contract describes. Seeded and reproducible:
// FUZZ_SEED and FUZZ_RUNS override the defaults.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations, OPERATION_NAMES, type OperationName } from '../src/api/operations.js';
import { buildInventory, readSwitches } from '../src/inventory/inventory.js';
import { allTools } from '../src/tools/index.js';
import { inputJsonSchema } from '../src/inventory/schemas.js';
import { adversarialValue, extraKey, trickyString, validFor } from './support/arbitraries.js';
import { apiResponder } from './support/fixtures.js';
import { resultJson, spawnServer, type Spawned } from './support/mcp.js';
import { startRecorder, type Recorded, type Recorder } from './support/recorder.js';
import { TOOL_NAMES } from './support/samples.js';

// What the server accepts is the inventory's argument shape: the API
// parameters plus the tool-level extras (dry_run, all, max_items, wait_ms).
const inventory = buildInventory(allTools, readSwitches({}, allTools));
const argsOf = (name: string) => inventory.byName.get(name)!.args;
const extrasOf = (name: string) => Object.keys(inventory.byName.get(name)!.tool.extras ?? {});
const isOperation = (name: string): name is OperationName =>
  (OPERATION_NAMES as readonly string[]).includes(name);

const SEED = Number(process.env.FUZZ_SEED ?? 20260401);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const ID_FIELDS = ['environment_id', 'work_id'];

let api: Recorder;
let server: Spawned;

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED}, ${RUNS} cases per tool (set FUZZ_SEED / FUZZ_RUNS to change)`);
  api = await startRecorder();
  api.fallback = apiResponder();
  server = await spawnServer({
    env: {
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_API_KEY: 'sk-ant-fuzz-key',
      ANTHROPIC_ENVIRONMENT_KEY: 'fuzz-environment-key',
    },
  });
  // Listing the tools makes the SDK Client check every structured result against its output schema too.
  const { tools } = await server.client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
});

const tally: string[] = [];

afterAll(async () => {
  console.log(`fuzz: cases/accepted per tool: ${tally.join(', ')}`);
  await server?.close();
  await api?.close();
});

type Case = {
  kind: 'valid' | 'mutated' | 'missing' | 'extra' | 'random';
  field?: string;
  args: Record<string, unknown>;
};

function cases(name: string): fc.Arbitrary<Case> {
  // Valid cases are made of API parameters only, so each sends one known
  // request; the extras change what is sent (dry runs, pages, long polls)
  // and have suites of their own.
  const schema = inputJsonSchema(isOperation(name) ? operations[name].params : argsOf(name));
  const keys = Object.keys(schema.properties as object);
  const required = (schema.required ?? []) as string[];
  const valid = validFor(schema);
  const arbs: fc.WeightedArbitrary<Case>[] = [
    { weight: 3, arbitrary: valid.map((args) => ({ kind: 'valid', args })) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...keys), fc.oneof(adversarialValue, trickyString))
        .map(([args, field, value]) => ({
          kind: 'mutated',
          field,
          args: { ...args, [field]: value },
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, extraKey([...keys, ...extrasOf(name)]), adversarialValue)
        .map(([args, field, value]) => ({
          kind: 'extra',
          field,
          args: { ...args, [field]: value },
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(fc.oneof(fc.constantFrom(...keys), fc.string()), adversarialValue, {
          maxKeys: 5,
        })
        .map((args) => ({ kind: 'random', args })),
    },
  ];
  if (required.length) {
    arbs.push({
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([args, field]) => {
        const { [field]: _, ...rest } = args;
        return { kind: 'missing', field, args: rest };
      }),
    });
  }
  return fc.oneof(...arbs);
}

/** The request the contract says these (valid) arguments make. */
function expectedRequest(name: OperationName, args: Record<string, unknown>) {
  const op = operations[name];
  const used = new Set<string>();
  const path = op.path.replace(/\{(\w+)\}/g, (_, n: string) => {
    used.add(n);
    return String(args[n]);
  });
  const query: Record<string, string> = {};
  for (const k of op.query ?? []) {
    used.add(k);
    if (args[k] !== undefined) query[k] = String(args[k]);
  }
  const headers: Record<string, string | undefined> = {};
  for (const [k, h] of Object.entries(op.headers ?? {})) {
    used.add(k);
    headers[h] = args[k] === undefined ? undefined : String(args[k]);
  }
  const body =
    op.body === 'rest'
      ? Object.fromEntries(Object.entries(args).filter(([k]) => !used.has(k)))
      : undefined;
  return { method: op.method, path, query, headers, body };
}

function hasProtoKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => k === '__proto__' || hasProtoKey(v));
}

const BAD_IN_ID = /[/?#%\s\u0000-\u001f\u007f]|\.\./;

/** JSON with sorted keys: the same value always prints the same. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

const HEADER_PARAMS = [
  ...new Set(OPERATION_NAMES.flatMap((n) => Object.values(operations[n].headers ?? {}))),
];

/** One case: the call and its answer, checked on its own; returns the request it must have caused, if any. */
async function check(name: string, c: Case): Promise<string | undefined> {
  // What the server receives is the JSON of the arguments.
  const args = JSON.parse(JSON.stringify(c.args)) as Record<string, unknown>;
  if (hasProtoKey(args)) {
    // Refused by the transport, by name, as invalid params (see src/transports/stdio.ts).
    await expect(server.call(name, args)).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('__proto__'),
    });
    return undefined;
  }
  const verdict = argsOf(name).safeParse(args);
  const result = await server.call(name, args);

  // An id that could escape its path segment is never accepted, whatever zod says.
  const trickyId = ID_FIELDS.some(
    (f) => typeof args[f] === 'string' && (BAD_IN_ID.test(args[f] as string) || args[f] === ''),
  );
  if (trickyId) expect(verdict.success).toBe(false);

  if (!verdict.success) {
    expect(result.isError).toBe(true);
    const error = resultJson(result).error;
    expect(error.type).toBe('invalid_arguments');
    // Clear and bounded: names the field, never echoes a huge value.
    const text = (result.content[0] as { text: string }).text;
    expect(text.length).toBeLessThan(8192);
    if (c.kind !== 'random' && c.field !== undefined)
      expect(error.message).toContain(c.field.slice(0, 64));
    for (const issue of verdict.error.issues) {
      const top = issue.path.length
        ? String(issue.path[0])
        : issue.code === 'unrecognized_keys'
          ? issue.keys[0]!.slice(0, 64)
          : undefined;
      if (top !== undefined) expect(error.message).toContain(top);
    }
    return undefined;
  }
  expect(result.isError, JSON.stringify(result.content).slice(0, 500)).toBeFalsy();
  // The composite reads stats and the work list of the environment it was given.
  if (!isOperation(name))
    return `${COMPOSITE}${(verdict.data as { environment_id: string }).environment_id}`;
  const want = expectedRequest(name, verdict.data as Record<string, unknown>);
  return canonical({
    ...want,
    headers: Object.fromEntries(HEADER_PARAMS.map((h) => [h, want.headers[h]])),
  });
}

function signature(seen: Recorded): string {
  const headers = Object.fromEntries(HEADER_PARAMS.map((h) => [h, seen.headers[h]]));
  return canonical({
    method: seen.method,
    path: seen.path,
    query: seen.query,
    headers,
    body: seen.body === '' ? undefined : seen.json,
  });
}

// Cases run in concurrent batches (one stdio round trip each is latency, not
// work); a batch's requests are matched to its accepted cases as a multiset,
// so every accepted case sent exactly its request and refused ones sent none.
// On a failure fast-check shrinks the cases of the failing batch.
const BATCH = 20;
const COMPOSITE = 'composite:';

/** The composite's requests, one signature per environment it read (stats and each page of the list). */
function compositeSignatures(seen: Recorded[]): string[] {
  return [
    ...new Set(
      seen.map(
        (r) =>
          /^\/v1\/environments\/([^/]+)\/work/.exec(r.path)?.[1] ??
          `unexpected ${r.method} ${r.path}`,
      ),
    ),
  ].map((env) => (env.startsWith('unexpected') ? env : `${COMPOSITE}${decodeURIComponent(env)}`));
}

describe.each(TOOL_NAMES)('fuzz %s', (name) => {
  it(`${RUNS} seeded cases: always answered, refused before any request or sent exactly`, async () => {
    let sent = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(cases(name), { minLength: BATCH, maxLength: BATCH }),
        async (batch) => {
          const before = api.requests.length;
          const named = (c: Case) =>
            check(name, c).catch((e: Error) => {
              throw new Error(`${e.message}\n  in case ${JSON.stringify(c).slice(0, 400)}`);
            });
          const wanted = (await Promise.all(batch.map(named))).filter(
            (w): w is string => w !== undefined,
          );
          const requests = api.requests.slice(before);
          if (!isOperation(name)) {
            // Only GETs, and only for environments of accepted cases.
            expect(requests.every((r) => r.method === 'GET')).toBe(true);
            expect(compositeSignatures(requests).sort()).toEqual([...new Set(wanted)].sort());
          } else {
            expect(requests.map(signature).sort()).toEqual(wanted.sort());
          }
          sent += wanted.length;
          total += batch.length;
        },
      ),
      { seed: SEED, numRuns: Math.ceil(RUNS / BATCH), endOnFailure: false },
    );
    tally.push(`${name} ${total}/${sent}`);
    expect(total).toBeGreaterThanOrEqual(RUNS);
    // The generators must keep reaching the HTTP path, or half the property is untested.
    expect(sent).toBeGreaterThan(RUNS / 10);
    expect(server.transport.pid).toBeTruthy();
  });
});

describe('after the fuzzing', () => {
  it('a metadata key named __proto__ is refused by name, not silently dropped', async () => {
    const args = JSON.parse(
      '{"environment_id":"env_1","work_id":"work_1","metadata":{"__proto__":"x","ok":"y"}}',
    );
    const before = api.requests.length;
    await expect(server.call('update_work_item', args)).rejects.toThrow(
      /"__proto__" is not allowed \(at params\.arguments\.metadata\)/,
    );
    expect(api.requests.length).toBe(before);
  });

  it('the server is alive and well, with no unhandled rejection on stderr', async () => {
    const result = await server.call('get_environment', { environment_id: 'env_alive' });
    expect(result.structuredContent).toMatchObject({ id: 'env_alive' });
    expect(server.stderr()).not.toMatch(/Unhandled|unhandled|TypeError|RangeError/);
  });
});
