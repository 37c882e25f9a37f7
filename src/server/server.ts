// Wires tools to an MCP server: lists them, validates arguments with the
// operation's zod shape, calls the API client, and shapes the result.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ApiClient, AttemptRecord } from '../api/client.js';
import { operations, type OperationName } from '../api/operations.js';
import type { Config } from '../config/config.js';
import type { ToolDefinition } from '../tools/define.js';
import { inputJsonSchema, outputJsonSchema, outputProblems } from '../tools/schemas.js';
import { instructions } from './instructions.js';
import { errorResult, invalidArguments, redactor, success, unexpectedResponse } from './results.js';
import type { Logger } from './logger.js';

export interface ServerOptions {
  config: Config;
  client: ApiClient;
  tools: readonly ToolDefinition[];
  name: string;
  version: string;
  logger: Logger;
}

export function listing(tool: ToolDefinition): Tool {
  const op = operations[tool.name];
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputJsonSchema(op.params) as Tool['inputSchema'],
    outputSchema: outputJsonSchema(tool.result?.schema ?? op.response) as Tool['outputSchema'],
    annotations: { title: tool.title, ...tool.annotations },
  };
}

// HTTP mode builds a server per request from the same tools array: derive
// the JSON Schemas (the costly part, milliseconds) once per array.
const listings = new WeakMap<readonly ToolDefinition[], Tool[]>();

function listingsOf(tools: readonly ToolDefinition[]): Tool[] {
  let listed = listings.get(tools);
  if (!listed) {
    listed = tools.map(listing);
    listings.set(tools, listed);
  }
  return listed;
}

export function createMcpServer(opts: ServerOptions): Server {
  const { config, client, tools, logger } = opts;
  const server = new Server(
    { name: opts.name, version: opts.version },
    {
      capabilities: { tools: {}, logging: {} },
      instructions: instructions(config),
    },
  );
  const byName = new Map(tools.map((t) => [t.name, t]));
  const listed = listingsOf(tools);
  const outputSchemas = new Map(listed.map((t) => [t.name, t.outputSchema as Record<string, unknown>]));
  const redact = redactor(client.secrets);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name as OperationName);
    if (!tool) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${String(request.params.name).slice(0, 100)}`);
    }
    const op = operations[tool.name];
    const parsed = op.params.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      return invalidArguments(tool.name, parsed.error.issues, Object.keys(op.params.shape), redact);
    }
    try {
      const data = await client.call(tool.name, parsed.data as never, { signal: extra.signal });
      const structured = tool.result
        ? tool.result.from(data as never, { revealWorkSecret: config.revealWorkSecret })
        : (data as Record<string, unknown>);
      const problems = outputProblems(structured, outputSchemas.get(tool.name)!);
      // `structured`, not `data`: the poll secret stays redacted here too.
      if (problems.length > 0) return unexpectedResponse(tool.name, problems, structured, redact);
      return success(structured, redact);
    } catch (err) {
      return errorResult(err, tool.name, redact);
    }
  });

  logger.attach(server);
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
