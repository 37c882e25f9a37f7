// MCP over stdio: stdout carries only JSON-RPC. The process ends cleanly (exit
// 0) when the host closes stdin or sends SIGINT/SIGTERM, in-flight calls and
// all.
//
// A host starts this server with every window it opens, and most starts end
// after initialize and tools/list. So a small front answers those two (and
// ping) itself, from the build-time catalog (../inventory/catalog.ts) and
// through the same selection code, without loading zod, the SDK or undici;
// the first other message opens the full session (./stdio-session.ts), which
// is told of the client's initialize and then handles everything, in order.
// Start time and memory stay near a bare Node process (BENCHMARKS.md).
import type { Config, Values } from '../config/config.js';
import { listingOf, loadCatalog } from '../inventory/catalog.js';
import { readSwitches, selectTools } from '../inventory/select.js';
import { CAPABILITIES } from '../server/capabilities.js';
import { instructions } from '../server/instructions.js';
import { createLogger } from '../server/logger.js';
import { lineReader, type Message } from './lines.js';
import type { Session } from './stdio-session.js';

type Pkg = { name: string; version: string };

export async function serveStdio(config: Config, values: Values, pkg: Pkg): Promise<void> {
  const catalog = loadCatalog();
  // A bad switch is a ConfigError here, before anything is served.
  const switches = readSwitches(values, catalog.tools);
  const { chosen, notes } = selectTools(catalog.tools, switches);
  const logger = createLogger(config.logLevel);
  for (const note of notes) logger.log('warning', { message: note });

  const send = (message: Message) => {
    process.stdout.write(`${JSON.stringify(message)}\n`); // stdout-ok: the JSON-RPC transport itself
  };
  const refused = (reason: string) => logger.log('debug', { message: reason });

  let initialize: Record<string, unknown> | undefined;
  let initialized = false;
  const initializeResult = (params: Record<string, unknown>) => ({
    protocolVersion: catalog.protocol.supported.includes(params.protocolVersion as string)
      ? params.protocolVersion
      : catalog.protocol.latest,
    capabilities: CAPABILITIES,
    serverInfo: { name: pkg.name, version: pkg.version },
    instructions: instructions(config, { environmentId: switches.environmentId, tools: chosen }),
  });
  let tools: Message | undefined;

  /** Answers what the front can answer exactly as the SDK would; false hands the message on. */
  const front = (value: unknown): boolean => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const m = value as Message;
    if (m.jsonrpc !== '2.0' || typeof m.method !== 'string') return false;
    if (
      m.params !== undefined &&
      (m.params === null || typeof m.params !== 'object' || Array.isArray(m.params))
    )
      return false;
    const params = (m.params ?? {}) as Record<string, unknown>;
    if (!('id' in m)) {
      if (m.method !== 'notifications/initialized') return false;
      initialized = true;
      return true;
    }
    if (typeof m.id !== 'string' && typeof m.id !== 'number') return false;
    const answer = (result: unknown) => send({ jsonrpc: '2.0', id: m.id, result });
    switch (m.method) {
      case 'initialize':
        if (initialize || !isInitializeParams(params)) return false;
        initialize = params;
        answer(initializeResult(params));
        return true;
      case 'ping':
        answer({});
        return true;
      case 'tools/list':
        if (params.cursor !== undefined) return false;
        tools ??= { tools: chosen.map((t) => listingOf(t, switches)) };
        answer(tools);
        return true;
      default:
        return false;
    }
  };

  let session: Promise<Session> | undefined;
  let queue = Promise.resolve();
  // A session that cannot open (e.g. the emulator's port) ends the server with the reason.
  const open = () =>
    (session ??= import('./stdio-session.js')
      .then(({ openSession }) =>
        openSession({
          config,
          values,
          pkg,
          send,
          refused,
          initialize,
          initialized,
          notesLogged: true,
        }),
      )
      .catch(fatal));
  const useFront = values.stdioFront ?? true;
  const deliver = (value: unknown) => {
    if (!session && useFront && front(value)) return;
    const opened = open();
    // In arrival order, once the session is there.
    queue = queue.then(async () => (await opened).deliver(value)).catch(fatal);
  };
  // Emulator mode starts the emulator (and says where) at once; without the
  // front (--no-stdio-front) the session opens at once and answers everything.
  if (config.emulator || !useFront) open();

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    // Never wait long: a host that closed our stdin will kill us anyway.
    setTimeout(() => process.exit(0), 1500).unref();
    Promise.resolve(session?.then((s) => s.close()))
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // A write to a closed stdout (host gone) must end us, not crash with EPIPE.
  process.stdout.on('error', shutdown);
  process.stdin.on('data', lineReader({ value: deliver, send, refused }));
}

function fatal(err: unknown): never {
  process.stderr.write(`agent-environments-mcp: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
}

/** The shape the SDK's initialize requires; anything else goes to the SDK for its error. */
function isInitializeParams(p: Record<string, unknown>): boolean {
  const info = p.clientInfo as Record<string, unknown> | undefined;
  return (
    typeof p.protocolVersion === 'string' &&
    p.capabilities !== null &&
    typeof p.capabilities === 'object' &&
    !Array.isArray(p.capabilities) &&
    info !== null &&
    typeof info === 'object' &&
    typeof info.name === 'string' &&
    typeof info.version === 'string'
  );
}
