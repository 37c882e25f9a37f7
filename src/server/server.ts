// Wires the inventory's tools, the resources and the prompts to an MCP
// server (the MCP SDK v2's, which serves 2026-07-28 and 2025-11-25 clients
// alike). What a call does lives in ../calls; this file adds what only MCP
// gives: progress tokens, cancellation and asking a person (./confirm.ts).
import { ProtocolError, ProtocolErrorCode, Server, type Tool } from '@modelcontextprotocol/server';
import type { ApiClient, AttemptRecord } from '../api/client.js';
import type { CallObserver } from '../calls/observe.js';
import type { CallEnv, Progress } from '../calls/run.js';
import { runTool } from '../calls/run.js';
import type { Config } from '../config/config.js';
import type { Inventory } from '../inventory/inventory.js';
import { CACHE_HINTS, CAPABILITIES, serverInfo } from './capabilities.js';
import { asking } from './confirm.js';
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
  /** Watches calls (audit log, traces). */
  observer?: CallObserver;
  /** Who this server answers (HTTP: the token's subject) and the request's trace headers. */
  caller?: CallEnv['caller'];
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

export function createMcpServer(opts: ServerOptions): Server {
  const { config, client, inventory, logger } = opts;
  const server = new Server(serverInfo(opts.name, opts.version), {
    capabilities: CAPABILITIES,
    instructions: instructions(config, {
      environmentId: inventory.environmentId,
      tools: registeredTools(inventory),
    }),
    cacheHints: CACHE_HINTS,
  });
  const listed = inventory.entries.map((e) => e.listing as Tool);
  // With --reveal-work-secret the user sees work secrets; credentials stay hidden always.
  const redact = redactor(() => client.secrets({ work: !config.revealWorkSecret }));

  server.setRequestHandler('tools/list', async () => ({ tools: listed }));

  server.setRequestHandler('tools/call', async (request, ctx) => {
    const entry = inventory.byName.get(request.params.name);
    if (!entry) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool: ${String(request.params.name).slice(0, 100)}`,
      );
    }
    const token = ctx.mcpReq._meta?.progressToken;
    const progress: Progress | undefined =
      token === undefined
        ? undefined
        : (value, total, message) => {
            ctx.mcpReq
              .notify({
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
    const args = request.params.arguments ?? {};
    const asker = opts.confirm
      ? asking(
          server,
          ctx,
          { tool: entry.tool.name, args },
          {
            redact,
            log: (answer) => logger.log('info', { confirmation: entry.tool.name, answer }),
          },
        )
      : undefined;
    const result = await runTool(entry, args, {
      client,
      inventory,
      responseBudgetBytes: opts.responseBudgetBytes,
      revealWorkSecret: config.revealWorkSecret,
      redact,
      signal: ctx.mcpReq.signal,
      deadlineMs: config.deadlineMs,
      progress,
      ask: asker?.ask,
      observer: opts.observer,
      caller: opts.observer ? callerOf(opts.caller, request.params._meta) : undefined,
    });
    // A question still to be answered (2026-07-28): the client asks and calls again.
    return asker?.pending() ?? server.projectCallToolResult(result, entry.listing.outputSchema);
  });

  registerResources(server, {
    client,
    inventory,
    redact,
    revealWorkSecret: config.revealWorkSecret,
  });
  registerPrompts(server, inventory);
  // Deprecated by 2026-07-28 (a modern client sets a level per request); legacy clients still use it.
  // Ours replaces the SDK's built-in one, which keeps the level to itself.
  server.removeRequestHandler('logging/setLevel');
  server.setRequestHandler('logging/setLevel', async (request) => {
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

/** The caller, with the trace context of the request's `_meta` (MCP) over the HTTP headers'. */
function callerOf(
  caller: CallEnv['caller'],
  meta: Record<string, unknown> | undefined,
): CallEnv['caller'] {
  const text = (v: unknown) => (typeof v === 'string' && v.length <= 512 ? v : undefined);
  const traceparent = text(meta?.traceparent);
  const base = caller ?? { who: 'stdio' };
  return traceparent ? { ...base, traceparent, tracestate: text(meta?.tracestate) } : base;
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
