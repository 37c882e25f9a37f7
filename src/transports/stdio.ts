// MCP over stdio: stdout carries only JSON-RPC. The process ends cleanly (exit
// 0) when the host closes stdin or sends SIGINT/SIGTERM, in-flight calls and
// all.
//
// A host starts this server with every window it opens, and most starts end
// after the opening and tools/list. So a small front answers the openings of
// both protocol generations itself: `initialize`, `ping` and `tools/list` of
// 2025-11-25, `server/discover` and `tools/list` of 2026-07-28 (per-request
// _meta envelope), from the build-time catalog (../inventory/catalog.ts) and
// through the same selection code, without loading zod, the SDK or undici.
// The first other message opens the full session (./stdio-session.ts), which
// is given the opening messages again and then handles everything, in order.
// Start time and memory stay near a bare Node process (BENCHMARKS.md).
import type { Config, Values } from '../config/config.js';
import { listingOf, loadCatalog, type ListedTool } from '../inventory/catalog.js';
import { readSwitches, selectTools } from '../inventory/select.js';
import { CACHE_HINTS, CAPABILITIES, serverInfo } from '../server/capabilities.js';
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

  const info = serverInfo(pkg.name, pkg.version);
  const text = instructions(config, { environmentId: switches.environmentId, tools: chosen });
  const listed = () => (tools ??= chosen.map((t) => listingOf(t, switches)));
  let tools: ListedTool[] | undefined;
  /** Where the connection is, as the SDK's stdio entry would see it (opening, a discover probe, or pinned). */
  let era: 'opening' | 'probe' | 'legacy' | 'modern' = 'opening';
  /** The messages that brought the connection there, replayed into the session when it opens. */
  let opening: Message[] = [];
  const pin = (to: typeof era, m: Message, replace = false) => {
    if (era === to) return;
    era = to;
    opening = replace ? [m] : [...opening, m];
  };
  /** 2026-07-28 results carry the cache hint and the server's identity, as the SDK's encoder adds them. */
  const modern = (
    result: Record<string, unknown>,
    hint: { ttlMs: number; cacheScope: string },
  ) => ({
    ...result,
    resultType: 'complete',
    ...hint,
    _meta: { [SERVER_INFO_KEY]: info },
  });

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
    const claim = claimOf(params, catalog.protocol.modern);
    if (!('id' in m)) {
      // The legacy handshake's last step; anything else is the SDK's.
      if (m.method !== 'notifications/initialized' || era !== 'legacy' || claim !== 'none')
        return false;
      opening.push(m);
      return true;
    }
    if (typeof m.id !== 'string' && typeof m.id !== 'number') return false;
    // Key order as the SDK writes its answers, so the bytes are the same.
    const answer = (result: unknown) => send({ result, jsonrpc: '2.0', id: m.id });
    if (claim === 'invalid') return false;
    if (claim === 'modern' && era !== 'legacy') {
      switch (m.method) {
        case 'server/discover':
          if (era === 'opening') pin('probe', m);
          answer(
            modern(
              {
                supportedVersions: catalog.protocol.modern,
                capabilities: CAPABILITIES,
                instructions: text,
              },
              CACHE_HINTS['server/discover'],
            ),
          );
          return true;
        case 'tools/list':
          if (params.cursor !== undefined) return false;
          pin('modern', m);
          answer(modern({ tools: listed() }, CACHE_HINTS['tools/list']));
          return true;
        default:
          return false;
      }
    }
    // A claim-less message, or any message once the connection is pinned to 2025-11-25.
    if (era === 'modern') return false;
    switch (m.method) {
      case 'initialize':
        if (era === 'legacy' || claim !== 'none' || !isInitializeParams(params)) return false;
        pin('legacy', m, true);
        answer({
          protocolVersion: catalog.protocol.supported.includes(params.protocolVersion as string)
            ? params.protocolVersion
            : catalog.protocol.latest,
          capabilities: CAPABILITIES,
          serverInfo: info,
          instructions: text,
        });
        return true;
      case 'ping':
        pin('legacy', m, true);
        answer({});
        return true;
      case 'tools/list':
        if (params.cursor !== undefined) return false;
        pin('legacy', m, true);
        answer({ tools: listed() });
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
        openSession({ config, values, pkg, send, refused, opening, notesLogged: true }),
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

const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';
const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';
const SERVER_INFO_KEY = 'io.modelcontextprotocol/serverInfo';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Whether a request claims the 2026-07-28 envelope (its _meta names a protocol
 * version) and, if so, whether the front is sure the SDK would accept it. Any
 * doubt is 'invalid': the message goes to the SDK, which answers it or names
 * the problem.
 */
function claimOf(
  params: Record<string, unknown>,
  modern: readonly string[],
): 'none' | 'modern' | 'invalid' {
  const meta = params._meta;
  if (!isObject(meta) || !(PROTOCOL_VERSION_KEY in meta)) return 'none';
  if (!modern.includes(meta[PROTOCOL_VERSION_KEY] as string)) return 'invalid';
  for (const [key, v] of Object.entries(meta)) {
    if (key === PROTOCOL_VERSION_KEY || key === 'progressToken') continue;
    if (key === CLIENT_CAPABILITIES_KEY && isObject(v) && Object.values(v).every(isObject))
      continue;
    if (
      key === CLIENT_INFO_KEY &&
      isObject(v) &&
      typeof v.name === 'string' &&
      typeof v.version === 'string'
    )
      continue;
    if (!key.startsWith('io.modelcontextprotocol/')) continue;
    return 'invalid';
  }
  return CLIENT_CAPABILITIES_KEY in meta ? 'modern' : 'invalid';
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
