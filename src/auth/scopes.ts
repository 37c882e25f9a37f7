// What a token's scopes let it do: any request needs the read scope (when
// one is configured); tools that change something need the write scope. A
// token without it sees only the read-only tools and cannot call the others.
import type { Inventory } from '../inventory/inventory.js';
import type { OAuthOptions } from './options.js';
import type { Principal } from './verify.js';

export interface ScopeRefusal {
  /** The scope to ask for (the WWW-Authenticate scope). */
  scope: string;
  message: string;
  /** The tool called, when the refusal is of a tools/call. */
  tool?: string;
  args?: Record<string, unknown>;
}

export function canWrite(p: Principal, opts: OAuthOptions): boolean {
  return p.scopes.includes(opts.writeScope);
}

/** The write scope implies the read scope. */
export function canRead(p: Principal, opts: OAuthOptions): boolean {
  return opts.readScope === undefined || p.scopes.includes(opts.readScope) || canWrite(p, opts);
}

/** The inventory without the tools that change something. */
export function readOnlyInventory(inv: Inventory): Inventory {
  const entries = inv.entries.filter((e) => e.tool.annotations.readOnlyHint === true);
  return { ...inv, entries, byName: new Map(entries.map((e) => [e.tool.name, e])) };
}

type Message = { method?: unknown; params?: { name?: unknown; arguments?: unknown } };

/**
 * A refusal when the token may not send this body: no read scope at all, or a
 * tools/call of a tool that changes something without the write scope. (Such
 * a tool is also absent from this token's tools/list.)
 */
export function scopeRefusal(
  body: unknown,
  p: Principal,
  opts: OAuthOptions,
  full: Inventory,
): ScopeRefusal | null {
  const wanted = [opts.readScope, opts.writeScope].filter(Boolean).join(' ');
  const calls = ((Array.isArray(body) ? body : [body]) as Message[]).flatMap((m) => {
    if (typeof m !== 'object' || m === null || m.method !== 'tools/call') return [];
    const entry = typeof m.params?.name === 'string' ? full.byName.get(m.params.name) : undefined;
    const args =
      typeof m.params?.arguments === 'object' && m.params.arguments !== null
        ? (m.params.arguments as Record<string, unknown>)
        : {};
    return entry ? [{ entry, args }] : [];
  });
  if (!canRead(p, opts)) {
    // The first tool called, if any, so that the audit log records the refusal.
    const first = calls[0];
    return {
      scope: wanted,
      message: `Forbidden: the access token lacks the ${opts.readScope} scope`,
      ...(first ? { tool: first.entry.tool.name, args: first.args } : {}),
    };
  }
  if (canWrite(p, opts)) return null;
  const write = calls.find((c) => c.entry.tool.annotations.readOnlyHint !== true);
  if (!write) return null;
  const name = write.entry.tool.name;
  return {
    scope: wanted,
    tool: name,
    args: write.args,
    message: `Forbidden: ${name} changes something and needs the ${opts.writeScope} scope, which the access token lacks`,
  };
}
