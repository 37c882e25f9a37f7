// Whose Anthropic keys a signed-in person's calls use (--oauth-key-map FILE):
// a JSON mapping from the token's subject, or one of its groups, to a named
// set of keys, each held in an environment variable or a file. Keys are read
// once at start; the file holds only references, never a key itself, and no
// key ever goes into a tool argument or result. Someone the mapping does not
// name gets no key at all (never the server's own).
//
// {
//   "subjects": { "alice@example.com": "team-a" },
//   "groups": { "platform": "team-a" },
//   "default": "read-only-team",          (optional)
//   "keys": {
//     "team-a": { "apiKey": { "env": "TEAM_A_ANTHROPIC_API_KEY" },
//                 "environmentKey": { "file": "/run/secrets/team-a-environment-key" } }
//   }
// }
import { readFileSync } from 'node:fs';
import type { Credentials } from '../api/credentials.js';
import { ConfigError } from '../config/config.js';
import type { Principal } from './verify.js';

export interface KeyMap {
  /** The key set's name and keys, or undefined when the mapping names nobody like this. */
  keysFor(p: Principal): { name: string; credentials: Credentials } | undefined;
}

type Ref = { env: string } | { file: string };
const KINDS = ['apiKey', 'environmentKey'] as const;

function read(ref: unknown, where: string, env: NodeJS.ProcessEnv): string {
  const r = ref as Partial<Record<'env' | 'file', unknown>> | null;
  let value: string | undefined;
  if (r && typeof r.env === 'string' && r.file === undefined) {
    value = env[r.env];
    if (!value)
      throw new ConfigError(`${where}: the environment variable ${r.env.slice(0, 80)} is not set`);
  } else if (r && typeof r.file === 'string' && r.env === undefined) {
    try {
      value = readFileSync(r.file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(
        `${where}: cannot read ${r.file.slice(0, 200)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  } else {
    throw new ConfigError(
      `${where}: must be {"env": "VARIABLE"} or {"file": "/path"} (a key itself is never written here)`,
    );
  }
  // Never quote the key in the message.
  if (!/^[\x21-\x7e]+$/.test(value))
    throw new ConfigError(`${where}: the key must be visible ASCII without spaces`);
  return value;
}

export function loadKeyMap(file: string, env: NodeJS.ProcessEnv = process.env): KeyMap {
  const from = `--oauth-key-map ${file.slice(0, 200)}`;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${from}: ${code ? `cannot read it (${code})` : 'not valid JSON'}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ConfigError(`${from}: must be a JSON object`);
  const unknownKey = Object.keys(doc).find(
    (k) => !['subjects', 'groups', 'default', 'keys'].includes(k),
  );
  if (unknownKey)
    throw new ConfigError(
      `${from}: unknown field "${unknownKey.slice(0, 40)}" (allowed: subjects, groups, default, keys)`,
    );
  const sets = new Map<string, Credentials>();
  const keys = (doc.keys ?? {}) as Record<string, Record<string, Ref>>;
  if (typeof keys !== 'object' || Array.isArray(keys))
    throw new ConfigError(`${from}: keys must be an object of key sets`);
  for (const [name, set] of Object.entries(keys)) {
    const creds: Credentials = {};
    if (typeof set !== 'object' || set === null)
      throw new ConfigError(`${from}: keys.${name}: must be an object`);
    for (const field of Object.keys(set)) {
      if (!(KINDS as readonly string[]).includes(field))
        throw new ConfigError(
          `${from}: keys.${name}.${field.slice(0, 40)}: unknown (allowed: apiKey, environmentKey)`,
        );
      creds[field as (typeof KINDS)[number]] = read(
        set[field],
        `${from}: keys.${name}.${field}`,
        env,
      );
    }
    sets.set(name, creds);
  }
  const table = (field: 'subjects' | 'groups'): Map<string, string> => {
    const t = (doc[field] ?? {}) as Record<string, unknown>;
    if (typeof t !== 'object' || Array.isArray(t))
      throw new ConfigError(`${from}: ${field} must be an object`);
    for (const [who, set] of Object.entries(t)) {
      if (typeof set !== 'string' || !sets.has(set))
        throw new ConfigError(`${from}: ${field}.${who.slice(0, 80)}: names no key set in keys`);
    }
    return new Map(Object.entries(t as Record<string, string>));
  };
  const subjects = table('subjects');
  const groups = table('groups');
  const fallback = doc.default;
  if (fallback !== undefined && (typeof fallback !== 'string' || !sets.has(fallback)))
    throw new ConfigError(`${from}: default names no key set in keys`);
  return {
    keysFor(p) {
      // The subject wins; then the first group in the file's order that the token has.
      const name =
        subjects.get(p.subject) ??
        [...groups].find(([g]) => p.groups.includes(g))?.[1] ??
        (fallback as string | undefined);
      return name === undefined ? undefined : { name, credentials: sets.get(name)! };
    },
  };
}
