// A minimal MCP SDK (v2) server with one tool (echo), serving both protocol
// generations: the reference point for "what the SDK alone costs" at start
// and per call.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'sdk-minimal', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Echo', inputSchema: z.object({ text: z.string().optional() }) },
    async (args) => ({
      content: [{ type: 'text', text: JSON.stringify(args) }],
    }),
  );
  return server;
});
process.stdin.on('end', () => process.exit(0));
