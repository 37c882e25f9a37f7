// The MCP App views as resources: one self-contained HTML file built by
// `npm run build` (scripts/views.mjs bundles ../views into dist/views/app.html),
// served under each view's ui:// URI. The file chooses its screen from the
// tool result the host hands it, so one file serves both.
import { readFileSync } from 'node:fs';
import { ENVIRONMENTS_VIEW, WORK_QUEUE_VIEW } from '../tools/views.js';

/** The MIME type of an MCP App view (RESOURCE_MIME_TYPE of @modelcontextprotocol/ext-apps). */
export const VIEW_MIME = 'text/html;profile=mcp-app';

export const VIEW_RESOURCES = [
  {
    uri: WORK_QUEUE_VIEW,
    name: 'work-queue-view',
    title: 'Work queue (view)',
    description: 'Live view of a work queue',
    mimeType: VIEW_MIME,
  },
  {
    uri: ENVIRONMENTS_VIEW,
    name: 'environments-view',
    title: 'Environments (view)',
    description: 'Environments and their queue depths',
    mimeType: VIEW_MIME,
  },
];

let html: string | undefined;

/** The view resource at `uri`, or undefined when `uri` is not a view. */
export function readView(
  uri: string,
):
  | { contents: { uri: string; mimeType: string; text: string; _meta: Record<string, unknown> }[] }
  | undefined {
  if (!VIEW_RESOURCES.some((r) => r.uri === uri)) return undefined;
  html ??= readFileSync(new URL('../views/app.html', import.meta.url), 'utf8');
  // No csp domains: the view loads nothing and connects nowhere; all data comes through tool calls.
  return {
    contents: [
      { uri, mimeType: VIEW_MIME, text: html, _meta: { ui: { csp: {}, prefersBorder: true } } },
    ],
  };
}
