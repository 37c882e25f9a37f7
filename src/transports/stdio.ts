// MCP over stdio: stdout carries only JSON-RPC. The process ends cleanly (exit
// 0) when the host closes stdin or sends SIGINT/SIGTERM, in-flight calls and
// all.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

export async function serveStdio(server: Server, cleanup: () => Promise<void>): Promise<void> {
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    // Never wait long: a host that closed our stdin will kill us anyway.
    const force = setTimeout(() => process.exit(0), 1500);
    force.unref();
    Promise.allSettled([server.close(), cleanup()]).finally(() => process.exit(0));
  };
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // A write to a closed stdout (host gone) must end us, not crash with EPIPE.
  process.stdout.on('error', shutdown);
  await server.connect(new StdioServerTransport());
}
