// Which tools take which credential, from the operation table's credentials
// (through the inventory, or the build-time catalog on the lean start). The
// server instructions, `--help` and the README's tables name credentials
// from this, so they cannot drift from what the client sends.
import {
  CREDENTIAL_KINDS,
  type CredentialKind,
  type CredentialNeeds,
} from '../api/credential-kinds.js';

export interface NeedsCredentials {
  name: string;
  credentials: CredentialNeeds;
}

/** The tools that may send this kind of credential, in their order. */
export function toolsUsing(tools: readonly NeedsCredentials[], kind: CredentialKind): string[] {
  return tools.filter((t) => t.credentials.some((alts) => alts.includes(kind))).map((t) => t.name);
}

/**
 * Tool names shortened for a person: names that differ only in their first
 * word share the rest (`get/update/stop_work_item`), in first-seen order.
 */
export function compactNames(names: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const cut = name.indexOf('_');
    const [verb, rest] = cut > 0 ? [name.slice(0, cut), name.slice(cut)] : [name, ''];
    const verbs = groups.get(rest) ?? [];
    verbs.push(verb);
    groups.set(rest, verbs);
  }
  return [...groups].map(([rest, verbs]) => `${verbs.join('/')}${rest}`).join(', ');
}

/** `a/b_c` → `a_c, b_c`: the inverse of compactNames, for checks of text that uses it. */
export function expandNames(text: string): string[] {
  return text
    .split(/,\s*/)
    .map((part) => part.trim())
    .filter(Boolean)
    .flatMap((part) => {
      const m = /^([a-z/]+)(_[a-z_]+)$/.exec(part);
      return m ? m[1]!.split('/').map((verb) => `${verb}${m[2]}`) : [part];
    });
}

/** For `--help`: by a kind's first variable (ANTHROPIC_API_KEY…), the tools that take it, compacted. */
export function credentialUses(tools: readonly NeedsCredentials[]): Record<string, string> {
  const uses: Record<string, string> = {};
  for (const [kind, info] of Object.entries(CREDENTIAL_KINDS) as [
    CredentialKind,
    (typeof CREDENTIAL_KINDS)[CredentialKind],
  ][]) {
    const first = info.variables[0];
    if (first) uses[first] = compactNames(toolsUsing(tools, kind));
  }
  return uses;
}
