// The test host page: the host side of MCP Apps, as a chat client that
// renders apps does it, with ext-apps' own AppBridge. It calls a tool, opens
// the view the tool links to (_meta.ui.resourceUri) in a sandboxed frame,
// forwards the view's tool calls to the server (through the page's server,
// ../view-host.mjs, which holds the MCP client) and draws the server's
// confirmations (elicitation) as its own dialog. Bundled by esbuild when the
// host starts; not shipped.
import {
  AppBridge,
  getToolUiResourceUri,
  isToolVisibilityAppOnly,
  PostMessageTransport,
  type McpUiHostContext,
  type McpUiTheme,
} from '@modelcontextprotocol/ext-apps/app-bridge';

// biome-ignore lint/suspicious/noExplicitAny: JSON from the server, read field by field
type Json = Record<string, any>;

const query = new URLSearchParams(location.search);
const toolName = query.get('tool') ?? 'list_environments';
const toolArgs = JSON.parse(query.get('args') ?? '{}') as Json;
let theme: McpUiTheme = query.get('theme') === 'dark' ? 'dark' : 'light';

const STYLES: Record<McpUiTheme, Json> = {
  light: {
    '--color-background-primary': '#ffffff',
    '--color-background-secondary': '#f3f2ee',
    '--color-text-primary': '#1c1b19',
    '--color-text-secondary': '#65625b',
    '--color-border-primary': '#dcd9d0',
  },
  dark: {
    '--color-background-primary': '#262624',
    '--color-background-secondary': '#30302d',
    '--color-text-primary': '#f3f1ea',
    '--color-text-secondary': '#aeaba2',
    '--color-border-primary': '#45443f',
  },
};
const FONTS = {
  '--font-sans': '"Liberation Sans", Arial, sans-serif',
  '--font-mono': '"Liberation Mono", monospace',
};

const context = (): McpUiHostContext => ({
  theme,
  styles: { variables: { ...STYLES[theme], ...FONTS } as never },
  displayMode: 'inline',
  availableDisplayModes: ['inline'],
  containerDimensions: { width: 380, maxHeight: 4000 },
  platform: 'web',
  locale: 'en-GB',
  toolInfo: undefined,
});

async function rpc(method: string, params: Json = {}): Promise<Json> {
  const res = await fetch('/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method, params }),
  });
  const body = (await res.json()) as { result?: Json; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result!;
}

const $ = (id: string) => document.getElementById(id)!;
const modelContext: Json[] = [];

function applyTheme() {
  document.documentElement.dataset.theme = theme;
}

function confirmations() {
  const events = new EventSource('/events');
  events.addEventListener('elicit', (e) => {
    const { id, message } = JSON.parse((e as MessageEvent).data) as { id: number; message: string };
    const dialog = $('confirm') as HTMLDialogElement;
    $('confirm-text').textContent = message;
    const answer = (action: string) => {
      dialog.close();
      void fetch('/answer', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id,
          action,
          ...(action === 'accept' ? { content: { confirm: true } } : {}),
        }),
      });
    };
    ($('confirm-yes') as HTMLButtonElement).onclick = () => answer('accept');
    ($('confirm-no') as HTMLButtonElement).onclick = () => answer('decline');
    dialog.showModal();
  });
}

async function main() {
  applyTheme();
  confirmations();
  const { tools } = (await rpc('tools/list')) as { tools: Json[] };
  const modelTools = tools.filter((t) => !isToolVisibilityAppOnly(t));
  $('model-tools').textContent = modelTools.map((t) => t.name).join(', ');
  const tool = tools.find((t) => t.name === toolName);
  if (!tool) throw new Error(`${toolName} is not registered on this server`);
  const uri = getToolUiResourceUri(tool);
  $('call').textContent = `${toolName} ${JSON.stringify(toolArgs)}`;
  const result = await rpc('tools/call', { name: toolName, arguments: toolArgs });
  $('result').textContent = JSON.stringify(
    result.structuredContent ?? result.content,
    null,
    1,
  ).slice(0, 4000);
  if (!uri) {
    $('frame').textContent = 'This tool has no view: the host shows its JSON only.';
    return;
  }
  const resource = (await rpc('resources/read', { uri })) as {
    contents: { text: string; mimeType: string }[];
  };
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.title = uri;
  $('frame').append(iframe);

  const bridge = new AppBridge(
    null,
    { name: 'agent-environments view test host', version: '1.0.0' },
    { serverTools: {}, updateModelContext: { text: {} }, logging: {} },
    { hostContext: context() },
  );
  const calls: Json[] = [];
  (window as unknown as { hostState: unknown }).hostState = { calls, modelContext, bridge };
  bridge.oncalltool = async (params) => {
    calls.push({ name: params.name, arguments: params.arguments, at: Date.now() });
    return (await rpc('tools/call', params as Json)) as never;
  };
  bridge.onupdatemodelcontext = async (params) => {
    modelContext.push(params);
    const li = document.createElement('li');
    li.textContent = (params.content ?? []).map((c: Json) => c.text ?? '').join(' ');
    $('model-context').append(li);
    return {};
  };
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${Math.min(height, 4000)}px`;
  };
  bridge.oninitialized = () => {
    void bridge.sendToolInput({ arguments: toolArgs });
    void bridge.sendToolResult(result as never);
    document.body.dataset.ready = 'true';
  };
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  iframe.srcdoc = resource.contents[0]!.text;

  $('theme').onclick = () => {
    theme = theme === 'dark' ? 'light' : 'dark';
    applyTheme();
    bridge.setHostContext(context());
  };
  // As a chat scrolls a view away: the frame stays, out of sight.
  $('hide').onclick = () => {
    $('frame').classList.toggle('away');
  };
}

main().catch((err) => {
  $('error').textContent = String((err as Error).message);
});
