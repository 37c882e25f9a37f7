// Which credential an operation sends, and the per-item tokens a poll hands out.
import { CREDENTIAL_KINDS, type CredentialKind } from './credential-kinds.js';
import { MissingCredentialError } from './errors.js';

export interface Credentials {
  apiKey?: string;
  authToken?: string;
  environmentKey?: string;
}

/**
 * Per-item tokens from poll responses, kept in memory only so that heartbeat
 * (and stop) can use them as the SDK's worker does, without the model ever
 * seeing them. Bounded, oldest first out.
 */
export class WorkTokens {
  private readonly tokens = new Map<string, string>();
  constructor(private readonly max = 1000) {}

  remember(workId: string, secret: string | null | undefined): void {
    const token = sessionsTokenFromSecret(secret);
    if (!token) return;
    this.tokens.delete(workId);
    this.tokens.set(workId, token);
    if (this.tokens.size > this.max) this.tokens.delete(this.tokens.keys().next().value!);
  }

  get(workId: string | undefined): string | undefined {
    return workId === undefined ? undefined : this.tokens.get(workId);
  }

  values(): IterableIterator<string> {
    return this.tokens.values();
  }
}

/** The `secret` is URL-safe base64 of JSON holding `sessions_token` (SDK's worker). */
export function sessionsTokenFromSecret(secret: string | null | undefined): string | undefined {
  if (!secret) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(secret, 'base64url').toString('utf8'));
    const token = (parsed as { sessions_token?: unknown } | null)?.sessions_token;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** The header carrying the first available credential of the operation's kinds. */
export function credentialHeader(
  kinds: readonly CredentialKind[],
  creds: Credentials,
  workToken: string | undefined,
  tool: string,
): [string, string] {
  for (const kind of kinds) {
    if (kind === 'api_key') {
      // x-api-key is the long-documented form (SDK 1.14 sends a Bearer instead).
      if (creds.apiKey) return ['x-api-key', creds.apiKey];
      if (creds.authToken) return ['authorization', `Bearer ${creds.authToken}`];
    } else if (kind === 'environment_key') {
      if (creds.environmentKey) return ['authorization', `Bearer ${creds.environmentKey}`];
    } else if (workToken) {
      return ['authorization', `Bearer ${workToken}`];
    }
  }
  const wanted = kinds.filter((k) => k !== 'work_secret');
  throw new MissingCredentialError(
    wanted.flatMap((k) => CREDENTIAL_KINDS[k].variables),
    `${tool} needs ${wanted.map((k) => CREDENTIAL_KINDS[k].needs).join(' or ')}, which is not set. ` +
      "Set it in the env of this MCP server in your host's configuration, then restart the server.",
  );
}
