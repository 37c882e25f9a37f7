// Wires the inventory's tools, the resources and the prompts to an MCP
// server. What a call does lives in ../calls; this file adds what only MCP
// gives: progress tokens, cancellation and asking a person (elicitation).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  SetLevelRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ApiClient, AttemptRecord } from '../api/client.js';
import type { Answer, Progress } from '../calls/run.js';
import { runTool } from '../calls/run.js';
import type { Config } from '../config/config.js';
import type { Inventory } from '../inventory/inventory.js';
import { CAPABILITIES } from './capabilities.js';
import { instructions, type RegisteredTool } from './instructions.js';
import type { Logger } from './logger.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { redactor } from '../api/redact.js';

/** Which tools a server offers and how they behave: the same for every server of a process. */
export interface Serving {
  inventory: Inventory;
  /** Ask a person before destructive calls when the client can (--no-confirm turns it off). */
  confirm: boolean;
  /** Largest list result in bytes before it is cut with a continuation. */
  responseBudgetBytes: number;
}

export interface ServerOptions extends Serving {
  config: Config;
  client: ApiClient;
  name: string;
  version: string;
  logger: Logger;
}

function registeredTools(inventory: Inventory): RegisteredTool[] {
  return inventory.entries.map(({ tool, credentials }) => ({
    name: tool.name,
    toolset: tool.toolset,
    annotations: tool.annotations,
    credentials,
    ui: tool.ui,
  }));
}

// A person may take a while to answer; past this the call does nothing.
const CONFIRM_TIMEOUT_MS = 10 * 60_000;

export function createMcpServer(opts: ServerOptions): Server {
  const { config, client, inventory, logger } = opts;
  const server = new Server(
    { name: opts.name, version: opts.version },
    {
      capabilities: CAPABILITIES,
      instructions: instructions(config, {
        environmentId: inventory.environmentId,
        tools: registeredTools(inventory),
      }),
    },
  );
  const listed = inventory.entries.map((e) => e.listing as Tool);
  const redact = redactor(client.secrets);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const entry = inventory.byName.get(request.params.name);
    if (!entry) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool: ${String(request.params.name).slice(0, 100)}`,
      );
    }
    const token = request.params._meta?.progressToken;
    const progress: Progress | undefined =
      token === undefined
        ? undefined
        : (value, total, message) => {
            extra
              .sendNotification({
                method: 'notifications/progress',
                params: {
                  progressToken: token,
                  progress: value,
                  ...(total !== undefined ? { total } : {}),
                  message,
                },
              })
              .catch(() => {});
          };
    const canAsk = opts.confirm && server.getClientCapabilities()?.elicitation?.form !== undefined;
    const ask = async (question: string): Promise<Answer> => {
      let answer: Answer;
      try {
        const r = await server.elicitInput(
          {
            mode: 'form',
            message: redact(question),
            requestedSchema: {
              type: 'object',
              properties: { confirm: { type: 'boolean', title: 'Go ahead', default: true } },
            },
          },
          { signal: extra.signal, timeout: CONFIRM_TIMEOUT_MS },
        );
        // A form answered with the box unticked is a no.
        answer = r.action === 'accept' && r.content?.confirm === false ? 'decline' : r.action;
      } catch {
        answer = 'no_answer';
      }
      logger.log('info', { confirmation: entry.tool.name, answer });
      return answer;
    };
    return runTool(entry, request.params.arguments ?? {}, {
      client,
      inventory,
      responseBudgetBytes: opts.responseBudgetBytes,
      revealWorkSecret: config.revealWorkSecret,
      redact,
      signal: extra.signal,
      progress,
      ask: canAsk ? ask : undefined,
    });
  });

  registerResources(server, { client, inventory, redact });
  registerPrompts(server, inventory);
  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    logger.follow(server, request.params.level);
    return {};
  });
  const previousOnClose = server.onclose;
  server.onclose = () => {
    logger.unfollow(server);
    previousOnClose?.();
  };
  return server;
}

/** The client's per-attempt hook, writing one line per API call to the logger. */
export function attemptLogger(logger: Logger): (r: AttemptRecord) => void {
  return (r) =>
    logger.log(r.status !== undefined && r.status < 400 ? 'debug' : 'info', {
      api: `${r.method} ${r.route}`,
      status: r.status ?? null,
      ms: r.durationMs,
      request_id: r.requestId ?? null,
      attempt: r.attempt,
      ...(r.error ? { error: r.error } : {}),
    });
}
