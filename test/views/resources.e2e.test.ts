// The views as the built server offers them: the _meta.ui links in
// tools/list and the ui:// resources, one self-contained HTML file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type Spawned } from '../support/mcp.js';

let s: Spawned;
beforeAll(async () => {
  s = await spawnServer({ env: { ANTHROPIC_API_KEY: 'sk-ant-views' } });
});
afterAll(() => s?.close());

const WORK_QUEUE = 'ui://agent-environments/work-queue';
const ENVIRONMENTS = 'ui://agent-environments/environments';

describe('views', () => {
  it('tools link to their view; the snapshot tool is for the view alone', async () => {
    const { tools } = await s.client.listTools();
    const ui = Object.fromEntries(tools.filter((t) => t._meta).map((t) => [t.name, t._meta!.ui]));
    expect(ui).toEqual({
      list_environments: { resourceUri: ENVIRONMENTS },
      get_work_queue_stats: { resourceUri: WORK_QUEUE },
      diagnose_work_queue: { resourceUri: WORK_QUEUE },
      work_queue_snapshot: { resourceUri: WORK_QUEUE, visibility: ['app'] },
    });
    // Nor do the instructions the model reads name it.
    expect(s.client.getInstructions()).toContain('diagnose_work_queue');
    expect(s.client.getInstructions()).not.toContain('work_queue_snapshot');
  });

  it('serves one self-contained HTML file as an MCP App resource under both URIs', async () => {
    const { resources } = await s.client.listResources();
    expect(
      resources.filter((r) => r.uri.startsWith('ui://')).map((r) => [r.uri, r.mimeType]),
    ).toEqual([
      [WORK_QUEUE, 'text/html;profile=mcp-app'],
      [ENVIRONMENTS, 'text/html;profile=mcp-app'],
    ]);
    const [a, b] = await Promise.all([
      s.client.readResource({ uri: WORK_QUEUE }),
      s.client.readResource({ uri: ENVIRONMENTS }),
    ]);
    const html = (a.contents[0] as { text: string }).text;
    expect((b.contents[0] as { text: string }).text).toBe(html);
    expect(a.contents[0]).toMatchObject({
      uri: WORK_QUEUE,
      mimeType: 'text/html;profile=mcp-app',
      _meta: { ui: { csp: {} } },
    });
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(150 * 1024);
    // Nothing to fetch: no external script, style, image or frame, and a policy that forbids connecting anywhere.
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).toContain(`content="default-src 'none';`);
    expect(html).not.toMatch(/\bfetch\(|XMLHttpRequest|WebSocket|EventSource/);
  });

  it('an unknown ui:// resource is a resource error', async () => {
    await expect(s.client.readResource({ uri: 'ui://agent-environments/nope' })).rejects.toThrow(
      /Unknown resource/,
    );
  });
});
