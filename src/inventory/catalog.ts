// The tools/list entries of every tool, computed once at build time
// (build-catalog.ts, `npm run build`) and read at start. With them the stdio
// start answers initialize and tools/list without loading zod or the MCP SDK
// (see ../transports/stdio.ts): the same selection code, the same listings.
import { readFileSync } from 'node:fs';
import type { CredentialNeeds } from '../api/credential-kinds.js';
import type { SafetyHints, ToolUi, Toolset } from '../tools/define.js';
import type { Switches } from './select.js';

/** A tools/list entry (the MCP Tool shape, without importing MCP here). */
export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown> & { type: 'object' };
  outputSchema: Record<string, unknown> & { type: 'object' };
  annotations: SafetyHints;
  /**
   * The MCP Apps link (ToolUi in ../tools/define.ts) when the tool has a view, and
   * anthropic/requiresUserInteraction on tools that ask a person first (Claude Code then prompts on its own too).
   */
  _meta?: { ui?: ToolUi; 'anthropic/requiresUserInteraction'?: true };
}

export interface CatalogTool {
  name: string;
  toolset: Toolset;
  annotations: SafetyHints;
  /** The credentials it sends (../api/operations.ts), for instructions and --help. */
  credentials: CredentialNeeds;
  /** Its MCP Apps marks, for the instructions (which leave out tools for views alone). */
  ui?: ToolUi;
  listing: ListedTool;
  /** The listing when the server is scoped to one environment; null where the tool is then not registered. */
  scopedListing: ListedTool | null;
}

export interface Catalog {
  /**
   * The MCP SDK's protocol versions: `latest` and `supported` as its
   * initialize (2025-11-25 and before) negotiates them, `modern` as its
   * server/discover offers them (2026-07-28 on).
   */
  protocol: { latest: string; supported: string[]; modern: string[] };
  tools: CatalogTool[];
}

export const CATALOG_FILE = 'catalog.json';

/** The catalog written beside the built modules (dist/catalog.json). */
export function loadCatalog(): Catalog {
  return JSON.parse(
    readFileSync(new URL(`../${CATALOG_FILE}`, import.meta.url), 'utf8'),
  ) as Catalog;
}

/** A chosen tool's tools/list entry (chosen by ./select.ts, which drops unscoped tools when scoped). */
export function listingOf(tool: CatalogTool, switches: Switches): ListedTool {
  return switches.environmentId ? tool.scopedListing! : tool.listing;
}
