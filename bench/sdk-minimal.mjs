// A minimal MCP SDK server with one tool (echo): the reference point for
// "what the SDK alone costs" at start and per call.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'sdk-minimal', version: '1.0.0' });
server.registerTool(
  'echo',
  { description: 'Echo', inputSchema: { text: z.string().optional() } },
  async (args) => ({
    content: [{ type: 'text', text: JSON.stringify(args) }],
  }),
);
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
