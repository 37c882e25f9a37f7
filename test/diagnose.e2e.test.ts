// diagnose_work_queue through the built server: reads only, suggestions that
// fit the server they come from, and a partial answer when a credential is missing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resultJson, spawnServer } from './support/mcp.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { mutating, router, workItem } from './support/routes.js';

const ENV = 'env_diage2e';
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

let rec: Recorder;
beforeAll(async () => {
  rec = await startRecorder();
  rec.fallback = router({
    'GET /v1/environments/:id/work/stats': json(200, {
      type: 'work_queue_stats',
      depth: 0,
      pending: 0,
      oldest_queued_at: null,
      workers_polling: 0,
    }),
    'GET /v1/environments/:id/work': (req, res, raw) => {
      // Two pages, so that the whole list is read.
      const first = !req.query.page;
      const data = first
        ? [workItem('work_lost', ENV, { state: 'starting', acknowledged_at: ago(600) })]
        : [workItem('work_stuck', ENV, { state: 'stopping', stop_requested_at: ago(600) })];
      return json(200, { data, next_page: first ? 'p2' : null })(req, res, raw);
    },
  });
});
afterAll(() => rec.close());
beforeEach(() => {
  rec.requests.length = 0;
});

describe('diagnose_work_queue', () => {
  it('reads stats and every page, changes nothing, and names the call for each finding as this server takes it', async () => {
    const s = await spawnServer({
      args: ['--base-url', rec.url, '--environment-id', ENV, '--read-only'],
      env: { ANTHROPIC_API_KEY: 'sk-ant-diag', ANTHROPIC_ENVIRONMENT_KEY: 'env-key-diag' },
    });
    try {
      const r = await s.call('diagnose_work_queue', {});
      expect(r.isError).toBeFalsy();
      const out = resultJson(r);
      expect(out.findings.map((f: any) => f.code)).toEqual([
        'acked_never_heartbeated',
        'no_worker_polling',
        'stuck_stopping',
      ]);
      expect(out.items_examined).toBe(2);
      expect(out.incomplete).toBeUndefined();
      const stop = out.findings[0].next_call;
      // Scoped: no environment_id; read-only: the tool is not here, and it says so.
      expect(stop).toMatchObject({
        tool: 'stop_work_item',
        arguments: { work_id: 'work_lost', force: true },
      });
      expect(stop.arguments.environment_id).toBeUndefined();
      expect(stop.unavailable).toMatch(/not registered on this server/);
      expect(out.findings[1].next_call).toEqual({ tool: 'get_work_queue_stats', arguments: {} });
      expect(mutating(rec.requests)).toEqual([]);
      expect(rec.requests.map((q) => q.path).sort()).toEqual([
        `/v1/environments/${ENV}/work`,
        `/v1/environments/${ENV}/work`,
        `/v1/environments/${ENV}/work/stats`,
      ]);
    } finally {
      await s.close();
    }
  });

  it('without the environment key it answers from the stats and says what it could not read', async () => {
    const s = await spawnServer({
      args: ['--base-url', rec.url],
      env: { ANTHROPIC_API_KEY: 'sk-ant-diag' },
    });
    try {
      const out = resultJson(
        await s.call('diagnose_work_queue', { environment_id: ENV, lease_seconds: 30 }),
      );
      expect(out.findings.map((f: any) => f.code)).toEqual(['no_worker_polling']);
      expect(out.incomplete).toEqual([
        expect.stringMatching(/^work list: needs ANTHROPIC_ENVIRONMENT_KEY/),
      ]);
      expect(out.findings[0].next_call).toEqual({
        tool: 'get_work_queue_stats',
        arguments: { environment_id: ENV },
      });
    } finally {
      await s.close();
    }
  });
});
