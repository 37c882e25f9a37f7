// Whole lists and budgets without a server: a paged list in memory, walked
// with our cursors, must give back every item once, in order, however it is cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, collectPages, listResult, readCursor } from '../src/calls/pages.js';

/** A list of `n` items served `pageSize` at a time with opaque cursors, recording every fetch. */
function pagedList(n: number, pageSize: number, itemBytes = 20) {
  const items = Array.from({ length: n }, (_, i) => ({
    id: `item_${i}`,
    pad: 'x'.repeat(itemBytes),
  }));
  const fetches: Array<Record<string, unknown>> = [];
  const fetch = async (params: Record<string, unknown>) => {
    fetches.push(params);
    const size = (params.limit as number | undefined) ?? pageSize;
    const start = params.page === undefined ? 0 : Number(String(params.page).slice('cur_'.length));
    const data = items.slice(start, start + size);
    return {
      data,
      next_page: start + size < n ? `cur_${start + size}` : null,
      has_more_fields: true,
    };
  };
  return { items, fetch, fetches };
}

describe('collectPages and listResult', () => {
  it('one page without all; every page in order with all', async () => {
    const list = pagedList(25, 10);
    const one = await collectPages(list.fetch, {}, { all: false });
    expect(one.items).toHaveLength(10);
    expect(one.next).toBe('cur_10');
    const progress: number[] = [];
    const all = await collectPages(
      list.fetch,
      { limit: 10 },
      { all: true, progress: (p) => progress.push(p) },
    );
    expect(all.items.map((i: any) => i.id)).toEqual(list.items.map((i) => i.id));
    expect(all.next).toBeNull();
    expect(progress).toEqual([10, 20]);
    expect(listResult(all, 1_000_000)).toMatchObject({ has_more_fields: true, next_page: null });
    expect(listResult(all, 1_000_000).note).toBeUndefined();
  });

  it('max_items cuts in the middle of a page and the note says how many it holds', async () => {
    const list = pagedList(25, 10);
    const c = await collectPages(list.fetch, { limit: 10 }, { all: true, maxItems: 15 });
    const r = listResult(c, 1_000_000) as any;
    expect(r.data).toHaveLength(15);
    expect(r.note).toMatch(/Holds 15 items: max_items \(15\)/);
    const rest = await collectPages(list.fetch, { page: r.next_page }, { all: true });
    expect(rest.items.map((i: any) => i.id)).toEqual(list.items.slice(15).map((i) => i.id));
  });

  it('a budget cuts at an item boundary, says so, and the continuation resumes at the first item left out', async () => {
    const list = pagedList(30, 30, 100);
    const c = await collectPages(list.fetch, {}, { all: false });
    const r = listResult(c, 1500) as any;
    expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThanOrEqual(1500);
    expect(r.data.length).toBeGreaterThan(0);
    expect(r.data.length).toBeLessThan(30);
    expect(r.note).toMatch(
      new RegExp(`Holds ${r.data.length} of the 30 items fetched: .*1500-byte response budget`),
    );
    const next = await collectPages(list.fetch, { page: r.next_page }, { all: false });
    expect((next.items[0] as any).id).toBe(`item_${r.data.length}`);
  });

  it('a whole list asks for large pages unless a limit is given, and stops fetching once over the budget', async () => {
    const list = pagedList(250, 10, 100);
    const c = await collectPages(list.fetch, {}, { all: true, maxItems: 500 });
    expect(list.fetches.map((f) => f.limit)).toEqual([100, 100, 100]);
    expect(c.items).toHaveLength(250);
    list.fetches.length = 0;
    const cut = await collectPages(list.fetch, {}, { all: true, stopAtBytes: 5000 });
    expect(list.fetches).toHaveLength(1);
    const r = listResult(cut, 5000) as any;
    expect(r.note).toMatch(/response budget/);
    expect(r.next_page).toMatch(/^resume:/);
  });

  it('a single item over the budget is still returned, so the list can advance', async () => {
    const list = pagedList(3, 3, 5000);
    const r = listResult(await collectPages(list.fetch, {}, { all: false }), 1024) as any;
    expect(r.data).toHaveLength(1);
    expect(r.next_page).toBeTruthy();
  });

  it('a malformed cursor of ours is an argument error before any fetch', async () => {
    const list = pagedList(3, 3);
    await expect(
      collectPages(list.fetch, { page: 'resume:!!!' }, { all: false }),
    ).rejects.toBeInstanceOf(ArgumentError);
    expect(list.fetches).toHaveLength(0);
    expect(readCursor('cur_10')).toEqual({ page: 'cur_10', skip: 0 });
  });

  it('property: walking by next_page under any budget, page size and max_items yields every item once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 17 }),
        fc.integer({ min: 1024, max: 4000 }),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        fc.boolean(),
        async (n, pageSize, budget, maxItems, all) => {
          const list = pagedList(n, pageSize, 60);
          const seen: string[] = [];
          let page: string | undefined;
          for (let round = 0; round < 200; round++) {
            const r = listResult(
              await collectPages(list.fetch, page === undefined ? {} : { page }, {
                all,
                maxItems,
                stopAtBytes: budget,
              }),
              budget,
            ) as any;
            seen.push(...r.data.map((i: any) => i.id));
            if (r.next_page === null) break;
            page = r.next_page;
          }
          expect(seen).toEqual(list.items.map((i) => i.id));
        },
      ),
      { numRuns: 150 },
    );
  });
});
