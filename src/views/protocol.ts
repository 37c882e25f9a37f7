// The app side of MCP Apps (the io.modelcontextprotocol/ui extension) over
// postMessage to the host: ui/initialize, tool calls, model context, size.
// Written small instead of using the App class of @modelcontextprotocol/ext-apps
// because that class bundles the MCP client and zod (about 650 KB minified),
// over the view's 150 KB budget (BENCHMARKS.md). The wire types are ext-apps'
// own (type imports only, erased by the build), and the browser tests speak
// to it through ext-apps' AppBridge, so the two stay in step.
import type {
  McpUiHostContext,
  McpUiInitializeRequest,
  McpUiInitializeResult,
  McpUiToolInputNotification,
  McpUiToolResultNotification,
  McpUiUpdateModelContextRequest,
} from '@modelcontextprotocol/ext-apps';

/** The spec version this view speaks (LATEST_PROTOCOL_VERSION of ext-apps 2.0.4). */
export const PROTOCOL_VERSION = '2026-01-26';
const CALL_TIMEOUT_MS = 60_000;

export type ToolResult = McpUiToolResultNotification['params'];

export interface HostEvents {
  toolInput(args: Record<string, unknown>): void;
  toolResult(result: ToolResult): void;
  hostContext(context: McpUiHostContext): void;
  teardown(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface Host {
  context: McpUiHostContext;
  canUpdateModelContext: boolean;
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  updateModelContext(text: string): Promise<void>;
  sizeChanged(height: number): void;
}

export async function connect(
  appInfo: { name: string; version: string },
  events: HostEvents,
): Promise<Host> {
  const parent = window.parent;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const post = (message: Record<string, unknown>) =>
    parent.postMessage({ jsonrpc: '2.0', ...message }, '*');

  const request = (method: string, params: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer from the host`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      post({ id, method, params });
    });

  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== parent) return;
    const m = event.data as {
      jsonrpc?: string;
      id?: number | string;
      method?: string;
      params?: unknown;
      result?: unknown;
      error?: { message?: string };
    };
    if (m?.jsonrpc !== '2.0') return;
    if (m.method === undefined) {
      const p = typeof m.id === 'number' ? pending.get(m.id) : undefined;
      if (!p) return;
      pending.delete(m.id as number);
      clearTimeout(p.timer);
      if (m.error) p.reject(new Error(String(m.error.message ?? 'host error').slice(0, 300)));
      else p.resolve(m.result);
      return;
    }
    if (m.id !== undefined) {
      // Requests from the host: answer the ones a view must, refuse the rest.
      if (m.method === 'ui/resource-teardown') events.teardown();
      if (m.method === 'ui/resource-teardown' || m.method === 'ping')
        post({ id: m.id, result: {} });
      else post({ id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } });
      return;
    }
    const params = (m.params ?? {}) as Record<string, unknown>;
    if (m.method === 'ui/notifications/tool-input')
      events.toolInput((params as McpUiToolInputNotification['params']).arguments ?? {});
    else if (m.method === 'ui/notifications/tool-result') events.toolResult(params as ToolResult);
    else if (m.method === 'ui/notifications/host-context-changed') {
      Object.assign(host.context, params);
      events.hostContext(host.context);
    }
  });

  const init: McpUiInitializeRequest['params'] = {
    appInfo,
    appCapabilities: {},
    protocolVersion: PROTOCOL_VERSION,
  };
  const result = (await request('ui/initialize', init)) as McpUiInitializeResult;
  const host: Host = {
    context: { ...(result.hostContext ?? {}) },
    canUpdateModelContext: result.hostCapabilities?.updateModelContext !== undefined,
    async callTool(name, args) {
      return (await request('tools/call', { name, arguments: args })) as ToolResult;
    },
    async updateModelContext(text) {
      if (!host.canUpdateModelContext) return;
      const params: McpUiUpdateModelContextRequest['params'] = {
        content: [{ type: 'text', text }],
      };
      await request('ui/update-model-context', params);
    },
    sizeChanged(height) {
      post({ method: 'ui/notifications/size-changed', params: { height } });
    },
  };
  post({ method: 'ui/notifications/initialized', params: {} });
  return host;
}
