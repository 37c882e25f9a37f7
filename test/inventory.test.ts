// The inventory alone: which tools each switch leaves, and their schemas.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config.js';
import { splitArgs } from '../src/calls/args.js';
import { suggestCall } from '../src/calls/suggest.js';
import { buildInventory, readSwitches } from '../src/inventory/inventory.js';
import { allTools } from '../src/tools/index.js';
import { outputProblems } from '../src/inventory/schemas.js';

const ENV = 'env_011CZkZ9X2dpNyB7HsEFoRfW';
const names = (values: Record<string, unknown>) =>
  buildInventory(allTools, readSwitches(values, allTools)).entries.map((e) => e.tool.name);
const ALL = allTools.map((t) => t.name);

describe('inventory', () => {
  it('registers every tool by default', () => {
    expect(names({})).toEqual(ALL);
  });

  it('--read-only keeps exactly the read-only tools and wins over --tools', () => {
    const readOnly = allTools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name);
    expect(names({ readOnly: true })).toEqual(readOnly);
    expect(readOnly).toEqual([
      'list_environments',
      'get_environment',
      'list_work_items',
      'get_work_item',
      'get_work_queue_stats',
      'diagnose_work_queue',
      'work_queue_snapshot',
    ]);
    const inv = buildInventory(
      allTools,
      readSwitches({ readOnly: true, tools: ['get_environment', 'delete_environment'] }, allTools),
    );
    expect(inv.entries.map((e) => e.tool.name)).toEqual(['get_environment']);
    expect(inv.notes.join()).toMatch(/delete_environment not registered: --read-only/);
  });

  it('--toolsets picks groups; --tools alone is an exact set, with --toolsets it adds', () => {
    expect(names({ toolsets: ['worker'] })).toEqual([
      'poll_work_item',
      'ack_work_item',
      'heartbeat_work_item',
    ]);
    expect(names({ toolsets: ['environments'] })).toHaveLength(6);
    expect(names({ toolsets: ['work'] })).toEqual([
      'list_work_items',
      'get_work_item',
      'update_work_item',
      'stop_work_item',
      'get_work_queue_stats',
      'diagnose_work_queue',
      'work_queue_snapshot',
    ]);
    expect(names({ tools: ['get_work_item', 'get_environment'] })).toEqual([
      'get_environment',
      'get_work_item',
    ]);
    expect(names({ toolsets: ['worker'], tools: ['get_environment'] })).toEqual([
      'get_environment',
      'poll_work_item',
      'ack_work_item',
      'heartbeat_work_item',
    ]);
  });

  it('--exclude-tools removes tools from whatever else was chosen', () => {
    expect(names({ excludeTools: ['delete_environment', 'poll_work_item'] })).toEqual(
      ALL.filter((n) => n !== 'delete_environment' && n !== 'poll_work_item'),
    );
  });

  it('unknown names and toolsets are start errors naming the valid ones', () => {
    expect(() => readSwitches({ tools: ['get_enviroment'] }, allTools)).toThrow(ConfigError);
    expect(() => readSwitches({ tools: ['get_enviroment'] }, allTools)).toThrow(
      /--tools: unknown tool get_enviroment \(valid: create_environment, .*diagnose_work_queue, work_queue_snapshot\)/,
    );
    expect(() => readSwitches({ excludeTools: ['nope'] }, allTools)).toThrow(
      /--exclude-tools: unknown tool nope/,
    );
    expect(() => readSwitches({ toolsets: ['workers'] }, allTools)).toThrow(
      /--toolsets: unknown toolset workers \(valid: environments, work, worker\)/,
    );
    expect(() => readSwitches({ tools: [] }, allTools)).toThrow(/name at least one/);
  });

  it('an empty result is a start error rather than a server with no tools', () => {
    expect(() => names({ readOnly: true, toolsets: ['worker'] })).toThrow(/no tool is left/);
  });

  it('--environment-id drops create/list, removes environment_id from every schema and fills it in', () => {
    expect(() => readSwitches({ environmentId: 'env/../x' }, allTools)).toThrow(
      /--environment-id .*must be an id/,
    );
    const inv = buildInventory(allTools, readSwitches({ environmentId: ENV }, allTools));
    const listed = inv.entries.map((e) => e.tool.name);
    expect(listed).not.toContain('create_environment');
    expect(listed).not.toContain('list_environments');
    expect(listed).toHaveLength(ALL.length - 2);
    for (const e of inv.entries) {
      expect(JSON.stringify(e.listing.inputSchema)).not.toContain('environment_id');
      expect(e.scoped).toBe(true);
    }
    const stop = inv.byName.get('stop_work_item')!;
    const parsed = stop.args.parse({ work_id: 'work_1', force: true, dry_run: true });
    expect(splitArgs(stop, parsed, ENV)).toEqual({
      params: { work_id: 'work_1', force: true, environment_id: ENV },
      extras: { dry_run: true },
    });
    // environment_id is an unknown argument now: the schema is strict.
    expect(stop.args.safeParse({ environment_id: ENV, work_id: 'w' }).success).toBe(false);
  });

  it('every tool that changes something takes dry_run; lists take all/max_items; poll takes wait_ms', () => {
    const inv = buildInventory(allTools, readSwitches({}, allTools));
    for (const e of inv.entries) {
      const props = Object.keys((e.listing.inputSchema.properties ?? {}) as object);
      expect(props.includes('dry_run'), e.tool.name).toBe(!e.tool.annotations.readOnlyHint);
      expect(props.includes('all'), e.tool.name).toBe(e.tool.name.startsWith('list_'));
    }
    expect(
      Object.keys(inv.byName.get('poll_work_item')!.listing.inputSchema.properties as object),
    ).toContain('wait_ms');
  });

  it('output schemas of tools that can answer a dry run or a refusal do not require the API fields', () => {
    const inv = buildInventory(allTools, readSwitches({}, allTools));
    const del = inv.byName.get('delete_environment')!.listing.outputSchema;
    expect(del.required).toBeUndefined();
    expect(Object.keys(del.properties as object)).toEqual(['id', 'type']);
    const dryRun = {
      dry_run: true,
      request: { method: 'DELETE', url: 'https://x', headers: {} },
      current: null,
      note: 'n',
    };
    expect(outputProblems(dryRun, del)).toEqual([]);
    expect(outputProblems({ done: false, reason: 'declined', note: 'n' }, del)).toEqual([]);
    const get = inv.byName.get('get_environment')!.listing.outputSchema;
    expect(get.required).toContain('id');
    expect(outputProblems(dryRun, get)).not.toEqual([]);
  });

  it('suggested calls leave the scope out and say when a tool is missing', () => {
    const inv = buildInventory(
      allTools,
      readSwitches({ environmentId: ENV, readOnly: true }, allTools),
    );
    expect(suggestCall(inv, 'get_work_queue_stats', { environment_id: ENV })).toEqual({
      tool: 'get_work_queue_stats',
      arguments: {},
    });
    const stop = suggestCall(inv, 'stop_work_item', {
      environment_id: ENV,
      work_id: 'w',
      force: true,
    });
    expect(stop.arguments).toEqual({ work_id: 'w', force: true });
    expect(stop.unavailable).toMatch(/not registered/);
  });

  it('tools/list is smaller when scoped to one environment', () => {
    const bytes = (values: Record<string, unknown>) =>
      Buffer.byteLength(
        JSON.stringify({
          tools: buildInventory(allTools, readSwitches(values, allTools)).entries.map(
            (e) => e.listing,
          ),
        }),
      );
    const full = bytes({});
    const scoped = bytes({ environmentId: ENV });
    const readOnly = bytes({ readOnly: true });
    console.log(
      `tools/list bytes: all ${full}, --environment-id ${scoped} (${Math.round((100 * (full - scoped)) / full)}% less), --read-only ${readOnly}`,
    );
    expect(scoped).toBeLessThan(full);
    expect(readOnly).toBeLessThan(full);
  });
});
