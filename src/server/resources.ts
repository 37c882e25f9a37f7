// Resources: an environment and a work item by URI, read as the API's JSON.
// A host can attach them to a conversation without a tool call. The scope
// (--environment-id) holds here as it does for tools.
import { ProtocolError, ProtocolErrorCode, type Server } from '@modelcontextprotocol/server';
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import type { Inventory } from '../inventory/inventory.js';
import { EnvironmentId, WorkId } from '../shapes/common.js';
import type { Redact } from '../api/redact.js';
import { errorResult } from '../calls/results.js';
import { withoutWorkSecret } from '../calls/targets.js';
import { readView, VIEW_RESOURCES } from './views.js';

const PREFIX = 'agent-environments://environments/';
export const ENVIRONMENT_TEMPLATE = `${PREFIX}{environment_id}`;
export const WORK_ITEM_TEMPLATE = `${PREFIX}{environment_id}/work/{work_id}`;
const MIME = 'application/json';
// -32002 is the MCP spec's "resource not found".
const RESOURCE_NOT_FOUND = -32002;

export function environmentUri(id: string): string {
  return PREFIX + id;
}

function parse(uri: string): { environment_id: string; work_id?: string } | string {
  if (!uri.startsWith(PREFIX)) return `expected ${ENVIRONMENT_TEMPLATE} or ${WORK_ITEM_TEMPLATE}`;
  const parts = uri.slice(PREFIX.length).split('/');
  const [environment_id, work, work_id] = parts;
  if (!EnvironmentId.safeParse(environment_id).success) return 'the environment id is not an id';
  if (parts.length === 1) return { environment_id: environment_id! };
  if (parts.length === 3 && work === 'work' && WorkId.safeParse(work_id).success)
    return { environment_id: environment_id!, work_id: work_id! };
  return `expected ${ENVIRONMENT_TEMPLATE} or ${WORK_ITEM_TEMPLATE}`;
}

export function registerResources(
  server: Server,
  deps: { client: ApiClient; inventory: Inventory; redact: Redact; revealWorkSecret?: boolean },
): void {
  const { client, inventory, redact } = deps;
  const scope = inventory.environmentId;

  server.setRequestHandler('resources/templates/list', async () => ({
    resourceTemplates: [
      {
        uriTemplate: ENVIRONMENT_TEMPLATE,
        name: 'environment',
        title: 'Environment',
        description: 'An environment as JSON (get_environment)',
        mimeType: MIME,
      },
      {
        uriTemplate: WORK_ITEM_TEMPLATE,
        name: 'work-item',
        title: 'Work item',
        description: 'A work item as JSON (get_work_item)',
        mimeType: MIME,
      },
    ],
  }));

  // Listing every environment would be an API call per listing; only the scoped one is known up front.
  server.setRequestHandler('resources/list', async () => ({
    resources: [
      ...(scope
        ? [
            {
              uri: environmentUri(scope),
              name: scope,
              title: 'The environment this server is scoped to',
              mimeType: MIME,
            },
          ]
        : []),
      ...VIEW_RESOURCES,
    ],
  }));

  server.setRequestHandler('resources/read', async (request, ctx) => {
    const { uri } = request.params;
    const view = readView(uri);
    if (view) return view;
    const target = parse(uri);
    if (typeof target === 'string')
      throw new ProtocolError(
        RESOURCE_NOT_FOUND,
        `Unknown resource ${uri.slice(0, 200)}: ${target}`,
      );
    if (scope && target.environment_id !== scope) {
      throw new ProtocolError(
        RESOURCE_NOT_FOUND,
        `This server is scoped to ${scope} (--environment-id); ${uri.slice(0, 200)} is outside it.`,
      );
    }
    try {
      const data = target.work_id
        ? await client.call(
            'get_work_item',
            { environment_id: target.environment_id, work_id: target.work_id },
            { signal: ctx.mcpReq.signal },
          )
        : await client.call(
            'get_environment',
            { environment_id: target.environment_id },
            { signal: ctx.mcpReq.signal },
          );
      return {
        contents: [
          {
            uri,
            mimeType: MIME,
            text: redact(JSON.stringify(withoutWorkSecret(data, deps.revealWorkSecret === true))),
          },
        ],
      };
    } catch (err) {
      const text = (errorResult(err, 'resources/read', redact).content[0] as { text: string }).text;
      throw new ProtocolError(
        err instanceof ApiError && err.status === 404
          ? RESOURCE_NOT_FOUND
          : ProtocolErrorCode.InternalError,
        text,
      );
    }
  });
}
