// Resources, prompts and MCP logging end to end.
import {
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { until } from './support/config.js';
import { spawnServer, type Spawned } from './support/mcp.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { environment, router, workItem } from './support/routes.js';

const ENV = 'env_context01';
const KEY = 'sk-ant-test-context-key';

let rec: Recorder;
beforeAll(async () => {
  rec = await startRecorder();
  rec.fallback = router({
    'GET /v1/environments/:id': (req, res, raw) => {
      const id = req.path.split('/')[3]!;
      return id === 'env_missing'
        ? json(404, {
            type: 'error',
            error: { type: 'not_found_error', message: 'no such environment' },
            request_id: 'req_404',
          })(req, res, raw)
        : json(200, environment(id))(req, res, raw);
    },
    'GET /v1/environments/:id/work/:work': json(200, workItem('work_1', ENV, { state: 'active' })),
  });
});
afterAll(() => rec.close());

const VIEW_URIS = ['ui://agent-environments/work-queue', 'ui://agent-environments/environments'];

describe('resources and prompts', () => {
  let s: Spawned;
  beforeAll(async () => {
    s = await spawnServer({ args: ['--base-url', rec.url], env: { ANTHROPIC_API_KEY: KEY } });
  });
  afterAll(() => s.close());

  it('offers templates for an environment and a work item, read as the API JSON', async () => {
    const { resourceTemplates } = await s.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      'agent-environments://environments/{environment_id}',
      'agent-environments://environments/{environment_id}/work/{work_id}',
    ]);
    const env = await s.client.readResource({ uri: `agent-environments://environments/${ENV}` });
    expect(env.contents[0]).toMatchObject({ mimeType: 'application/json' });
    expect(JSON.parse((env.contents[0] as { text: string }).text)).toMatchObject({
      id: ENV,
      type: 'environment',
    });
    const work = await s.client.readResource({
      uri: `agent-environments://environments/${ENV}/work/work_1`,
    });
    expect(JSON.parse((work.contents[0] as { text: string }).text)).toMatchObject({
      id: 'work_1',
      state: 'active',
    });
    expect(rec.requests.at(-1)!.path).toBe(`/v1/environments/${ENV}/work/work_1`);
    // Unscoped, only the MCP App views are listed (test/views covers reading them).
    expect((await s.client.listResources()).resources.map((r) => r.uri)).toEqual(VIEW_URIS);
  });

  it('a bad URI or a missing environment is a resource error, and the server keeps serving', async () => {
    await expect(
      s.client.readResource({ uri: 'agent-environments://environments/../etc' }),
    ).rejects.toThrow(/Unknown resource/);
    await expect(
      s.client.readResource({ uri: 'agent-environments://environments/env_missing' }),
    ).rejects.toThrow(/404.*no such environment/);
    expect((await s.call('get_environment', { environment_id: ENV })).isError).toBeFalsy();
  });

  it('prompts walk through the right tool calls and check their arguments', async () => {
    const { prompts } = await s.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual([
      'diagnose-work-queue',
      'set-up-self-hosted-environment',
    ]);
    const diagnose = await s.client.getPrompt({
      name: 'diagnose-work-queue',
      arguments: { environment_id: ENV },
    });
    const text = (diagnose.messages[0]!.content as { text: string }).text;
    expect(text).toContain(`diagnose_work_queue with {"environment_id":"${ENV}"}`);
    const setup = await s.client.getPrompt({
      name: 'set-up-self-hosted-environment',
      arguments: { name: 'my workers' },
    });
    expect((setup.messages[0]!.content as { text: string }).text).toContain(
      '"config":{"type":"self_hosted"},"dry_run":true',
    );
    await expect(
      s.client.getPrompt({ name: 'diagnose-work-queue', arguments: {} }),
    ).rejects.toThrow(/argument environment_id is required/);
    await expect(
      s.client.getPrompt({ name: 'diagnose-work-queue', arguments: { environment_id: 'a/b' } }),
    ).rejects.toThrow(/environment_id must be/);
  });
});

describe('scoped and read-only', () => {
  it('a scoped server lists its environment, refuses others, and its prompts need no environment id', async () => {
    const s = await spawnServer({
      args: ['--base-url', rec.url, '--environment-id', ENV, '--read-only'],
      env: { ANTHROPIC_API_KEY: KEY },
    });
    try {
      expect((await s.client.listResources()).resources.map((r) => r.uri)).toEqual([
        `agent-environments://environments/${ENV}`,
        ...VIEW_URIS,
      ]);
      await expect(
        s.client.readResource({ uri: 'agent-environments://environments/env_other' }),
      ).rejects.toThrow(/scoped to env_context01/);
      const { prompts } = await s.client.listPrompts();
      // Creating is not possible here, so the set-up walk-through is not offered.
      expect(prompts.map((p) => p.name)).toEqual(['diagnose-work-queue']);
      expect(prompts[0]!.arguments).toEqual([]);
      const text = (
        (await s.client.getPrompt({ name: 'diagnose-work-queue' })).messages[0]!.content as {
          text: string;
        }
      ).text;
      expect(text).toContain('diagnose_work_queue with {}');
    } finally {
      await s.close();
    }
  });
});

describe('MCP logging', () => {
  it('after logging/setLevel debug, one line per API call with method, route, status, duration and request id, and no credential', async () => {
    const s = await spawnServer({ args: ['--base-url', rec.url], env: { ANTHROPIC_API_KEY: KEY } });
    try {
      const messages: LoggingMessageNotification['params'][] = [];
      s.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        messages.push(n.params);
      });
      await s.call('get_environment', { environment_id: ENV });
      expect(messages).toEqual([]); // nothing before the client asks
      await s.client.setLoggingLevel('debug');
      await s.call('get_environment', { environment_id: ENV });
      await s.call('get_environment', { environment_id: 'env_missing' });
      const apiLines = () => messages.filter((m) => (m.data as { api?: string }).api);
      await until(() => apiLines().length >= 2, 10_000, 'two log lines');
      await sleep(200); // room for a third line, which must not come
      const api = apiLines();
      expect(api).toHaveLength(2);
      expect(api[0]).toMatchObject({
        level: 'debug',
        data: {
          api: 'GET /v1/environments/{environment_id}',
          status: 200,
          request_id: 'req_test_200',
        },
      });
      expect(typeof (api[0]!.data as { ms: unknown }).ms).toBe('number');
      expect(api[1]).toMatchObject({ data: { status: 404, request_id: 'req_test_404' } });
      expect(JSON.stringify(messages)).not.toContain(KEY);
      expect(JSON.stringify(messages)).not.toContain(ENV); // routes are templates, not ids
    } finally {
      await s.close();
    }
  });
});
