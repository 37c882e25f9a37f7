// Logs go to stderr (stdout carries only JSON-RPC) and, once a client asks
// with logging/setLevel, to that client as MCP log messages. Callers pass
// data that never holds a credential; the line is redacted again on the way out.
// Types only from the SDK: the stdio start logs before the SDK is loaded.
import type { LoggingLevel, Server } from '@modelcontextprotocol/server';

const SEVERITY: Record<LoggingLevel, number> = {
  debug: 0,
  info: 1,
  notice: 2,
  warning: 3,
  error: 4,
  critical: 5,
  alert: 6,
  emergency: 7,
};

export interface Logger {
  log(level: LoggingLevel, data: Record<string, unknown>): void;
  /** Forwards logs to this server's client from this level on (its logging/setLevel). */
  follow(server: Server, level: LoggingLevel): void;
  /** Stops forwarding to this server's client (closed). */
  unfollow(server: Server): void;
  setRedactor(redact: (text: string) => string): void;
}

export function createLogger(
  stderrLevel: LoggingLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const clients = new Map<Server, LoggingLevel>();
  let redact = (text: string) => text;
  return {
    log(level, data) {
      const wantedByStderr = SEVERITY[level] >= SEVERITY[stderrLevel];
      const wantedByClient = [...clients.values()].some((l) => SEVERITY[level] >= SEVERITY[l]);
      if (!wantedByStderr && !wantedByClient) return;
      const line = redact(JSON.stringify({ time: new Date().toISOString(), level, ...data }));
      if (wantedByStderr) write(`${line}\n`);
      for (const [server, min] of clients) {
        if (SEVERITY[level] >= SEVERITY[min]) {
          server
            .sendLoggingMessage({ level, logger: 'agent-environments-mcp', data: JSON.parse(line) })
            .catch(() => {});
        }
      }
    },
    follow(server, level) {
      clients.set(server, level);
    },
    unfollow(server) {
      clients.delete(server);
    },
    setRedactor(r) {
      redact = r;
    },
  };
}
