// The MCP App view: connects to the host, follows its theme and fonts, and
// shows the screen that fits the tool result it was opened with: the
// environments list (list_environments) or a work queue (get_work_queue_stats,
// diagnose_work_queue).
import type { McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import { environmentsScreen } from './environments.js';
import { connect, type Host } from './protocol.js';
import { h } from './text.js';
import { resultJson, workQueueScreen } from './work-queue.js';

const root = document.getElementById('app')!;
let args: Record<string, unknown> = {};
let queue: ReturnType<typeof workQueueScreen> | undefined;

function applyContext(ctx: McpUiHostContext) {
  const doc = document.documentElement;
  // A host that names no theme gets the browser's preference.
  const theme =
    ctx.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  if (theme === 'dark' || theme === 'light') {
    doc.dataset.theme = theme;
    doc.style.colorScheme = theme;
  }
  for (const [k, v] of Object.entries(ctx.styles?.variables ?? {})) {
    if (k.startsWith('--') && typeof v === 'string') doc.style.setProperty(k, v);
  }
  const fonts = ctx.styles?.css?.fonts;
  if (typeof fonts === 'string' && !document.getElementById('host-fonts')) {
    const style = document.createElement('style');
    style.id = 'host-fonts';
    style.textContent = fonts;
    document.head.append(style);
  }
}

function showQueue(host: Host, environmentId: string | undefined, back?: () => void) {
  queue?.close();
  const leaseSeconds = typeof args.lease_seconds === 'number' ? args.lease_seconds : undefined;
  queue = workQueueScreen(root, host, environmentId, { back, leaseSeconds });
  return queue;
}

function onResult(host: Host, result: Parameters<Parameters<typeof connect>[1]['toolResult']>[0]) {
  let out: Record<string, unknown>;
  try {
    out = resultJson(result);
  } catch (err) {
    root.replaceChildren(h('p', { class: 'warn' }, `The tool failed: ${(err as Error).message}`));
    return;
  }
  if (Array.isArray(out.data)) {
    const list = out;
    const back = () => {
      queue?.close();
      queue = undefined;
      environmentsScreen(root, host, list, open);
    };
    const open = (id: string) => showQueue(host, id, back);
    back();
    return;
  }
  const id =
    typeof args.environment_id === 'string'
      ? args.environment_id
      : (out.environment_id as string | undefined);
  showQueue(host, id).showResult(out);
}

async function main() {
  let host: Host | undefined;
  let early: Parameters<typeof onResult>[1] | undefined;
  host = await connect(
    { name: 'agent-environments-view', version: '1' },
    {
      toolInput: (a) => {
        args = a;
      },
      toolResult: (r) => {
        if (host) onResult(host, r);
        else early = r;
      },
      hostContext: applyContext,
      teardown: () => queue?.close(),
    },
  );
  applyContext(host.context);
  if (early) onResult(host, early);
  const h0 = host;
  new ResizeObserver(() =>
    h0.sizeChanged(Math.ceil(document.documentElement.getBoundingClientRect().height)),
  ).observe(document.body);
}

main().catch((err) => {
  root.replaceChildren(
    h('p', { class: 'warn' }, `Could not connect to the host: ${(err as Error).message}`),
  );
});
