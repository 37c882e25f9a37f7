// Text that names credentials or tools is derived from the operation table
// and the tools registered; these checks hold the hand-written places (the
// README) equal to it, and prove the generated ones name only real tools.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { credentialPhrase } from '../src/api/credential-kinds.js';
import { helpText, parseConfig } from '../src/config/config.js';
import { credentialUses, expandNames, toolsUsing } from '../src/inventory/credential-use.js';
import { buildInventory, credentialNeeds, readSwitches } from '../src/inventory/inventory.js';
import { selectTools } from '../src/inventory/select.js';
import { instructions } from '../src/server/instructions.js';
import { allTools, isComposite } from './support/tools.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const NAMES = allTools.map((t) => t.name);
const registered = allTools.map((t) => ({ ...t, credentials: credentialNeeds(t) }));

/** The README table row of a tool or variable: its cells, backticks removed. */
function row(first: string): string[] {
  const line = README.split('\n').find((l) => l.includes(`| \`${first}\` |`));
  if (!line) throw new Error(`README has no table row for ${first}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim().replaceAll('`', ''));
}

/** Every tool name a text mentions, compact forms (get/update_x) expanded. */
function toolsMentioned(text: string): string[] {
  const words = text.match(/[a-z/]+(?:_[a-z]+)+/g) ?? [];
  return [...new Set(words.flatMap((w) => expandNames(w)))].filter(
    (w) => NAMES.includes(w) || /_(environments?|work_items?|queue\w*)$/.test(w),
  );
}

describe('credentials, from the operation table', () => {
  it.each(allTools.map((t) => [t.name, t] as const))('README tool table: %s', (name, tool) => {
    const cell = row(name)[2]!;
    const needs = credentialNeeds(tool);
    // A composite's cell explains which part needs which; every credential it needs is named.
    if (isComposite(tool))
      for (const alts of needs) expect(cell).toContain(credentialPhrase([alts], 'readme'));
    else expect(cell).toBe(credentialPhrase(needs, 'readme'));
  });

  it('the README lists every tool exactly once', () => {
    const listed = README.split('\n')
      .filter((l) => /^\| `[a-z_]+` \|/.test(l))
      .map((l) => /`([a-z_]+)`/.exec(l)![1]!);
    expect(listed.filter((n) => NAMES.includes(n)).sort()).toEqual([...NAMES].sort());
  });

  it('--help and the README settings table name, for each key, exactly the tools that take it', () => {
    const uses = credentialUses(registered);
    const help = helpText('x', uses);
    for (const [variable, kind] of [
      ['ANTHROPIC_API_KEY', 'api_key'],
      ['ANTHROPIC_ENVIRONMENT_KEY', 'environment_key'],
    ] as const) {
      const want = toolsUsing(registered, kind).sort();
      const helpLine = help.split('\n').find((l) => l.includes(variable))!;
      expect(expandNames(helpLine.slice(helpLine.indexOf(': ') + 2)).sort()).toEqual(want);
      const readme = row(variable)[2]!;
      expect(expandNames(readme.slice(readme.indexOf(': ') + 2)).sort()).toEqual(want);
    }
  });
});

describe('instructions name only registered tools', () => {
  const cases: [string, string[]][] = [
    ['all tools', []],
    ['--toolsets worker', ['--toolsets', 'worker']],
    ['--toolsets environments', ['--toolsets', 'environments']],
    ['--toolsets work', ['--toolsets', 'work']],
    ['--read-only', ['--read-only']],
    ['--tools poll_work_item', ['--tools', 'poll_work_item']],
    ['--environment-id', ['--environment-id', 'env_011CZkZ9X2dpNyB7HsEFoRfW']],
    ['--exclude-tools diagnose_work_queue', ['--exclude-tools', 'diagnose_work_queue']],
  ];
  it.each(cases)('%s', (_, argv) => {
    const { config, values } = parseConfig(argv, {});
    const inventory = buildInventory(allTools, readSwitches(values, allTools));
    const tools = inventory.entries.map((e) => ({ ...e.tool, credentials: e.credentials }));
    const text = instructions(config, { environmentId: inventory.environmentId, tools });
    // Tools for views alone (_meta.ui.visibility ["app"]) are not the model's: the instructions leave them out.
    const names = tools
      .filter((t) => t.ui?.visibility?.includes('model') ?? true)
      .map((t) => t.name);
    expect(toolsMentioned(text).sort()).toEqual([...names].sort());
  });

  it('the stdio front (catalog) and the SDK server (inventory) say the same', async () => {
    const { loadCatalogFrom } = await import('./support/catalog.js');
    const catalog = loadCatalogFrom('dist');
    for (const argv of [[], ['--toolsets', 'worker'], ['--read-only']]) {
      const { config, values } = parseConfig(argv, {});
      const switches = readSwitches(values, allTools);
      const front = instructions(config, { tools: selectTools(catalog.tools, switches).chosen });
      const inventory = buildInventory(allTools, switches);
      const server = instructions(config, {
        tools: inventory.entries.map((e) => ({ ...e.tool, credentials: e.credentials })),
      });
      expect(front).toBe(server);
    }
  });
});
