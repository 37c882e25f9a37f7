// What the server offers and how it presents itself, declared once: the SDK
// server declares it, and the stdio front (../transports/stdio.ts) answers
// initialize and server/discover with it before the SDK is loaded. No imports:
// the front reads this at start.

export const CAPABILITIES = { tools: {}, logging: {}, resources: {}, prompts: {} };

/**
 * The server's icon, one small SVG as a data: URI, so hosts that show icons
 * show ours without fetching anything (one for the server, none per tool: a
 * per-tool icon would grow every tools/list).
 */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="7" fill="#262625"/>' +
  '<path d="M8 11h16M8 16h16M8 21h10" stroke="#f0eee6" stroke-width="2.5" stroke-linecap="round"/>' +
  '<circle cx="23" cy="21" r="2.5" fill="#d97757"/></svg>';

export const ICONS = [
  {
    src: `data:image/svg+xml;base64,${Buffer.from(ICON_SVG).toString('base64')}`,
    mimeType: 'image/svg+xml',
    sizes: ['any'],
  },
];

export function serverInfo(
  name: string,
  version: string,
): { name: string; version: string; icons: typeof ICONS } {
  return { name, version, icons: ICONS };
}

/**
 * Cache hints on 2026-07-28 list results (older clients never see them). The
 * lists are fixed for the life of a process (they depend only on the start
 * switches), so a client may keep them for an hour; `private`, since the
 * switches (and so the list) are this user's.
 */
export const CACHE_HINTS = {
  'tools/list': { ttlMs: 3_600_000, cacheScope: 'private' },
  'prompts/list': { ttlMs: 3_600_000, cacheScope: 'private' },
  'resources/templates/list': { ttlMs: 3_600_000, cacheScope: 'private' },
  'server/discover': { ttlMs: 3_600_000, cacheScope: 'private' },
} as const;

/**
 * The 2026-07-28-era revisions the SDK's server/discover offers (it does not
 * export the list); test/stdio-front.test.ts holds this equal to its answer.
 */
export const MODERN_PROTOCOL_VERSIONS = ['2026-07-28'] as const;
