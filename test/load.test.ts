// Load against the emulator: a burst of concurrent tool calls on one stdio
// session, each answered with its own result (no mix-ups between interleaved
// requests and answers, nothing lost, nothing done twice). LOAD_CALLS sets the
// burst size (npm run soak runs a bigger one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../src/emulator/index.js';
import { spawnServer, type Spawned } from './support/mcp.js';

const CALLS = Number(process.env.LOAD_CALLS ?? 1000);

let emulator: EmulatorHandle;
let server: Spawned;

beforeAll(async () => {
  emulator = await startEmulator();
  server = await spawnServer({
    env: { ANTHROPIC_BASE_URL: emulator.url, ANTHROPIC_API_KEY: 'sk-ant-load-key' },
  });
});

afterAll(async () => {
  await server?.close();
  await emulator?.close();
});

type Env = { id: string; name: string; metadata: Record<string, string> };

async function allEnvironments(): Promise<Env[]> {
  const all: Env[] = [];
  let page: string | undefined;
  do {
    const result = await server.call('list_environments', {
      limit: 1000,
      ...(page ? { page } : {}),
    });
    const list = result.structuredContent as { data: Env[]; next_page: string | null };
    all.push(...list.data);
    page = list.next_page ?? undefined;
  } while (page);
  return all;
}

describe('load', () => {
  const existing: Env[] = [];

  it(`${CALLS / 2} concurrent creates make exactly that many environments`, async () => {
    const created = await Promise.all(
      Array.from({ length: CALLS / 2 }, (_, i) =>
        server.call('create_environment', { name: `base-${i}`, metadata: { base: String(i) } }),
      ),
    );
    for (const [i, r] of created.entries()) {
      expect(r.structuredContent, `create ${i}`).toMatchObject({
        name: `base-${i}`,
        metadata: { base: String(i) },
      });
    }
    existing.push(...created.map((r) => r.structuredContent as Env));
    expect(new Set(existing.map((e) => e.id)).size).toBe(CALLS / 2);
  });

  it(`${CALLS} concurrent mixed calls on one session each get their own answer`, async () => {
    // i % 10: 0-3 get, 4-7 update (each its own environment), 8 create, 9 refused before any request.
    let updates = 0;
    const plan = Array.from({ length: CALLS }, (_, i) => {
      const kind = i % 10;
      const env = existing[kind >= 4 && kind <= 7 ? updates++ : i % existing.length]!;
      switch (kind) {
        case 0:
        case 1:
        case 2:
        case 3:
          return {
            name: 'get_environment',
            args: { environment_id: env.id },
            want: { id: env.id, name: env.name },
          };
        case 4:
        case 5:
        case 6:
        case 7:
          return {
            name: 'update_environment',
            args: { environment_id: env.id, metadata: { call: String(i) } },
            want: { id: env.id, metadata: { base: env.metadata.base, call: String(i) } },
          };
        case 8:
          return {
            name: 'create_environment',
            args: { name: `burst-${i}` },
            want: { name: `burst-${i}` },
          };
        default:
          return {
            name: 'get_environment',
            args: { environment_id: `${env.id}/../x` },
            want: undefined,
          };
      }
    });
    const started = performance.now();
    const results = await Promise.all(plan.map((p) => server.call(p.name, p.args)));
    console.log(
      `load: ${CALLS} concurrent calls against the emulator answered in ${Math.round(performance.now() - started)} ms`,
    );
    results.forEach((result, i) => {
      const { want } = plan[i]!;
      if (want === undefined) {
        expect(result.isError, `call ${i}`).toBe(true);
        expect((result.content[0] as { text: string }).text).toContain('environment_id');
      } else {
        expect(
          result.isError,
          `call ${i}: ${JSON.stringify(result.content).slice(0, 300)}`,
        ).toBeFalsy();
        expect(result.structuredContent, `call ${i}`).toMatchObject(want);
      }
    });
  });

  it('the emulator holds exactly what was asked: no lost and no doubled writes', async () => {
    const all = await allEnvironments();
    const burst = all.filter((e) => e.name.startsWith('burst-'));
    expect(all).toHaveLength(CALLS / 2 + CALLS / 10);
    expect(new Set(burst.map((e) => e.name)).size).toBe(CALLS / 10);
    const updated = all.filter((e) => e.metadata.call !== undefined);
    expect(updated).toHaveLength((CALLS * 4) / 10);
  });
});
