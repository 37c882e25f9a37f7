// The kinds of credential an operation may take, and how each is named to a
// model, a person and in the README. Without dependencies: the stdio front
// and `--help` name credentials before any schema library is loaded.

/**
 * Credential kinds, in the order an operation prefers them.
 * - api_key: ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), for management calls
 * - environment_key: ANTHROPIC_ENVIRONMENT_KEY, the self-hosted environment's key
 * - work_secret: the per-item token carried by the `secret` a poll returned
 */
export type CredentialKind = 'api_key' | 'environment_key' | 'work_secret';

export interface CredentialKindInfo {
  /** The environment variables that hold it, preferred first. */
  variables: readonly string[];
  /** What a missing-credential error says is needed. */
  needs: string;
  /** Its name in the server instructions (for a model). */
  instruction: string;
  /** Its name in the README's tool table (for a person). */
  readme: string;
}

export const CREDENTIAL_KINDS: Readonly<Record<CredentialKind, CredentialKindInfo>> = {
  api_key: {
    variables: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'],
    needs: 'ANTHROPIC_API_KEY (a Claude API key; ANTHROPIC_AUTH_TOKEN also works)',
    instruction: 'ANTHROPIC_API_KEY',
    readme: 'API key',
  },
  environment_key: {
    variables: ['ANTHROPIC_ENVIRONMENT_KEY'],
    needs: "ANTHROPIC_ENVIRONMENT_KEY (the self-hosted environment's key)",
    instruction: 'ANTHROPIC_ENVIRONMENT_KEY',
    readme: 'environment key',
  },
  work_secret: {
    variables: [],
    needs: 'a work secret from poll_work_item',
    instruction: "the item's token from a poll by this server",
    readme: "the item's token from a poll by this server",
  },
};

/**
 * What a tool needs: every entry must be met, by any one of its kinds (in
 * order of preference). One entry for a tool that is one operation; a
 * composite tool has one per operation it calls.
 */
export type CredentialNeeds = readonly (readonly CredentialKind[])[];

/** `ANTHROPIC_API_KEY, else …` / `API key and environment key`, in the chosen style. */
export function credentialPhrase(needs: CredentialNeeds, style: 'instruction' | 'readme'): string {
  return needs
    .map((alts) => alts.map((k) => CREDENTIAL_KINDS[k][style]).join(', else '))
    .join(' and ');
}
