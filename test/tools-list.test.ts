// The public interface as a host sees it (tools/list of the built server):
// pinned by a committed snapshot so that every change to it is deliberate,
// and checked for what a model needs to use each tool safely.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputProblems } from '../src/inventory/schemas.js';
import { spawnServer, type Spawned } from './support/mcp.js';
import { API_KEY, ENV_ID, TOOL_NAMES, samples } from './support/samples.js';

let s: Spawned;
let tools: Tool[];
beforeAll(async () => {
  s = await spawnServer({ env: { ANTHROPIC_API_KEY: API_KEY } });
  tools = (await s.client.listTools()).tools;
});
afterAll(async () => {
  await s?.close();
});

const READS = [
  'list_environments',
  'get_environment',
  'list_work_items',
  'get_work_item',
  'get_work_queue_stats',
  'diagnose_work_queue',
  'work_queue_snapshot',
];
// Tools that are not one API operation (so not in the contract's samples), with a call and a result of each.
const COMPOSITE_SAMPLES = {
  diagnose_work_queue: {
    args: { environment_id: ENV_ID, lease_seconds: 60 },
    result: {
      environment_id: ENV_ID,
      checked_at: '2026-05-01T10:00:00.000Z',
      summary: 'No problems found.',
      findings: [],
      stats: {
        type: 'work_queue_stats',
        depth: 0,
        pending: 0,
        oldest_queued_at: null,
        workers_polling: 1,
      },
      items_examined: 0,
      lease_seconds: 60,
    },
  },
  work_queue_snapshot: {
    args: { environment_id: ENV_ID },
    result: {
      environment_id: ENV_ID,
      read_at: '2026-05-01T10:00:00.000Z',
      stats: {
        type: 'work_queue_stats',
        depth: 1,
        pending: 0,
        oldest_queued_at: '2026-05-01T09:59:00.000Z',
        workers_polling: 1,
      },
      counts: { queued: 1, starting: 0, active: 0, stopping: 0, stopped: 0 },
      findings: [],
      items_examined: 1,
      lease_seconds: 90,
      can_stop: true,
    },
  },
};
const ALL_NAMES = [...TOOL_NAMES];
/** A tool's sample call: its arguments and the structured result (or API response) it answers. */
interface ToolSample {
  args: Record<string, unknown>;
  result?: unknown;
  response?: unknown;
}
const sampleOf = (name: string): ToolSample =>
  (samples as Record<string, ToolSample>)[name] ??
  (COMPOSITE_SAMPLES as Record<string, ToolSample>)[name]!;
const DESTRUCTIVE = ['delete_environment', 'archive_environment', 'stop_work_item'];
// Repeating these changes nothing more; create makes another, poll claims another, ack and heartbeat move state.
const NOT_IDEMPOTENT = [
  'create_environment',
  'poll_work_item',
  'ack_work_item',
  'heartbeat_work_item',
];

type Schema = Record<string, any>;

/** Every property, at any depth, with the path that leads to it. */
function properties(schema: Schema, path: string): [string, Schema][] {
  const out: [string, Schema][] = [];
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    out.push([`${path}.${name}`, prop], ...properties(prop, `${path}.${name}`));
  }
  for (const variant of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])] as Schema[])
    out.push(...properties(variant, path));
  if (schema.items) out.push(...properties(schema.items, `${path}[]`));
  return out;
}

describe('tools/list', () => {
  it('matches the committed snapshot', async () => {
    await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot(
      '__snapshots__/tools-list.json',
    );
  });

  it('has a title, a description and all four hints on every tool', () => {
    expect(tools.map((t) => t.name).sort()).toEqual([...ALL_NAMES].sort());
    for (const t of tools) {
      expect(t.title, t.name).toMatch(/\w/);
      // The title lives at the top (MCP 2025-06-18); repeating it in annotations would cost every conversation ~450 bytes.
      expect(t.annotations?.title, t.name).toBeUndefined();
      expect(t.description?.length, t.name).toBeGreaterThan(30);
      for (const hint of [
        'readOnlyHint',
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
      ] as const) {
        expect(typeof t.annotations?.[hint], `${t.name}.${hint}`).toBe('boolean');
      }
    }
  });

  it('asks the host for a person on exactly the tools that confirm (requiresUserInteraction)', () => {
    const marked = tools
      .filter((t) => t._meta?.['anthropic/requiresUserInteraction'] === true)
      .map((t) => t.name);
    expect(marked.sort()).toEqual([...DESTRUCTIVE].sort());
    // Nothing else in _meta but the MCP App view links (test/views), and no other tool has a _meta at all:
    // every byte is in every conversation.
    const VIEWS: Record<string, unknown> = {
      list_environments: { resourceUri: 'ui://agent-environments/environments' },
      get_work_queue_stats: { resourceUri: 'ui://agent-environments/work-queue' },
      diagnose_work_queue: { resourceUri: 'ui://agent-environments/work-queue' },
      work_queue_snapshot: {
        resourceUri: 'ui://agent-environments/work-queue',
        visibility: ['app'],
      },
    };
    for (const t of tools)
      expect(t._meta ?? {}, t.name).toEqual({
        ...(DESTRUCTIVE.includes(t.name) ? { 'anthropic/requiresUserInteraction': true } : {}),
        ...(VIEWS[t.name] ? { ui: VIEWS[t.name] } : {}),
      });
    expect(tools.filter((t) => t._meta !== undefined).length).toBe(
      DESTRUCTIVE.length + Object.keys(VIEWS).length,
    );
  });

  it('lists the tools in the order of the tool table, whatever the switches', async () => {
    const { allTools } = await import('../src/tools/index.js');
    expect(tools.map((t) => t.name)).toEqual(allTools.map((t) => t.name));
    const some = await spawnServer({
      env: { ANTHROPIC_API_KEY: API_KEY },
      args: ['--tools', 'stop_work_item,list_environments,delete_environment'],
    });
    try {
      const names = (await some.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(allTools.map((t) => t.name).filter((n) => names.includes(n)));
      expect(names).toHaveLength(3);
    } finally {
      await some.close();
    }
  });

  it('marks exactly the six reads read-only and exactly delete, archive and stop destructive', () => {
    const where = (hint: 'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint') =>
      tools
        .filter((t) => t.annotations?.[hint])
        .map((t) => t.name)
        .sort();
    expect(where('readOnlyHint')).toEqual([...READS].sort());
    expect(where('destructiveHint')).toEqual([...DESTRUCTIVE].sort());
    expect(where('idempotentHint')).toEqual(
      ALL_NAMES.filter((n) => !NOT_IDEMPOTENT.includes(n)).sort(),
    );
    expect(where('openWorldHint')).toEqual([...ALL_NAMES].sort());
  });

  it('tells the model that the worker-protocol tools take work from real workers', () => {
    for (const name of ['poll_work_item', 'ack_work_item', 'heartbeat_work_item']) {
      expect(tools.find((t) => t.name === name)?.description, name).toMatch(/Worker protocol/);
    }
    expect(tools.find((t) => t.name === 'poll_work_item')?.description).toMatch(/real workers/);
  });

  it('describes every input property, unless an enum or const says it all', () => {
    const bare = tools.flatMap((t) =>
      properties(t.inputSchema, t.name)
        .filter(([, p]) => !p.description && !p.enum && p.const === undefined)
        .map(([path]) => path),
    );
    expect(bare).toEqual([]);
  });

  it('gives every tool an object input schema closed to unknown arguments, and no $ref for hosts to resolve', () => {
    for (const t of tools) {
      expect(t.inputSchema, t.name).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect(JSON.stringify(tools)).not.toContain('$ref');
  });

  it('gives every tool an output schema open to fields the API adds later', () => {
    for (const t of tools) {
      expect(t.outputSchema, t.name).toMatchObject({ type: 'object' });
      expect(JSON.stringify(t.outputSchema), t.name).not.toContain('additionalProperties');
    }
  });

  it('has schemas a strict JSON Schema validator accepts, agreeing with the samples', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    for (const t of tools) {
      const sample = sampleOf(t.name);
      const input = ajv.compile(t.inputSchema);
      expect(input(sample.args), `${t.name} input: ${ajv.errorsText(input.errors)}`).toBe(true);
      expect(input({ ...sample.args, unknown_argument: 1 }), t.name).toBe(false);
      const output = ajv.compile(t.outputSchema!);
      const result = sample.result ?? sample.response;
      expect(output(result), `${t.name} output: ${ajv.errorsText(output.errors)}`).toBe(true);
    }
  });

  it('states the real bounds of the numbers', () => {
    const prop = (tool: string, name: string) =>
      tools.find((t) => t.name === tool)!.inputSchema.properties![name] as Schema;
    // The one bound the API reference documents; null is what SDK 1.16 also takes.
    expect(prop('poll_work_item', 'block_ms')).toMatchObject({
      anyOf: [{ type: 'integer', minimum: 1, maximum: 999 }, { type: 'null' }],
    });
    // No invented caps: the API judges page sizes, lease lengths and reclaim ages.
    for (const [tool, name] of [
      ['list_environments', 'limit'],
      ['list_work_items', 'limit'],
    ] as const) {
      expect(prop(tool, name)).toEqual({ type: 'integer', description: 'Page size' });
    }
    expect(prop('heartbeat_work_item', 'desired_ttl_seconds')).toMatchObject({
      type: ['integer', 'null'],
    });
    expect(JSON.stringify(prop('heartbeat_work_item', 'desired_ttl_seconds'))).not.toMatch(
      /minimum|maximum/,
    );
    expect(prop('update_environment', 'scope')).toMatchObject({
      anyOf: [{ enum: ['organization', 'account'] }, { type: 'null' }],
    });
  });

  it('refuses a result exactly when the output schema does (the server checks before a host does)', () => {
    const ajv = new Ajv2020({ strict: true });
    const odd = fc.constantFrom<unknown>(
      null,
      0,
      1.5,
      -0,
      '',
      'environment',
      'work',
      'work_heartbeat',
      true,
      [],
      {},
      [1],
    );
    for (const t of tools) {
      const valid = ajv.compile(t.outputSchema!);
      const sample = sampleOf(t.name);
      const good = (sample.result ?? sample.response) as Record<string, unknown>;
      const keys = Object.keys(t.outputSchema!.properties ?? {});
      // A sample result with fields dropped or replaced, or any JSON at all.
      const result = fc.oneof(
        fc
          .record({
            drop: fc.subarray(keys),
            set: fc.dictionary(
              fc.constantFrom(...keys, 'added_later'),
              fc.oneof(odd, fc.jsonValue()),
            ),
          })
          .map(({ drop, set }) => ({
            ...Object.fromEntries(Object.entries(good).filter(([k]) => !drop.includes(k))),
            ...set,
          })),
        fc.jsonValue(),
      );
      fc.assert(
        fc.property(result, (v) => (outputProblems(v, t.outputSchema!).length === 0) === valid(v)),
        { numRuns: 300 },
      );
      expect(outputProblems(good, t.outputSchema!), t.name).toEqual([]);
    }
  });
});
