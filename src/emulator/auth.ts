// Who may call what. Lenient (the default): any non-empty credential, as
// `x-api-key` or `Authorization: Bearer`. Strict: the credential must be one
// of the configured keys or a sessions token a poll handed out, of a kind the
// endpoint takes (`credentials` in ../api/operations.ts; README: Tools),
// answering 401 / 403 as the API does.
import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialKind, Operation, OperationName } from '../api/operations.js';
import { EmulatorError } from './errors.js';

/** The placeholder keys the emulator accepts in strict mode unless told others. */
export const EMULATOR_API_KEY = 'emulator-api-key';
export const EMULATOR_ENVIRONMENT_KEY = 'emulator-environment-key';

export interface StrictAuth {
  /** API keys and auth tokens: the management credential. */
  apiKeys: readonly string[];
  /** Self-hosted environment keys (valid for every environment of the emulator). */
  environmentKeys: readonly string[];
}

/** A work item's sessions token: valid for that item only. */
export interface TokenOwner {
  environmentId: string;
  workId: string;
}

const KIND_NAMES: Record<CredentialKind, string> = {
  api_key: 'an API key',
  environment_key: 'the environment key',
  work_secret: "the work item's sessions token (from its secret)",
};

/** The credential sent, from `Authorization: Bearer` or else `x-api-key`. */
export function presentedCredential(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : undefined;
  }
  const key = headers['x-api-key'];
  return typeof key === 'string' && key.trim() !== '' ? key.trim() : undefined;
}

/**
 * The kinds an operation takes. The official SDK documents the sessions token
 * as good for ack as well (BetaWorkSecret), beyond the kinds our client sends.
 */
function acceptedKinds(name: OperationName, op: Operation): readonly CredentialKind[] {
  return name === 'ack_work_item' ? [...op.credentials, 'work_secret'] : op.credentials;
}

export function checkCredential(
  name: OperationName,
  op: Operation,
  headers: IncomingHttpHeaders,
  params: { environment_id?: string; work_id?: string },
  strict: StrictAuth | undefined,
  tokenOwner: (token: string) => TokenOwner | undefined,
): void {
  const credential = presentedCredential(headers);
  if (credential === undefined) {
    throw new EmulatorError(
      401,
      'Missing credential: send x-api-key: <key> or Authorization: Bearer <key>',
    );
  }
  if (!strict) return;
  const owner = tokenOwner(credential);
  const kind: CredentialKind | undefined = strict.apiKeys.includes(credential)
    ? 'api_key'
    : strict.environmentKeys.includes(credential)
      ? 'environment_key'
      : owner
        ? 'work_secret'
        : undefined;
  if (!kind)
    throw new EmulatorError(
      401,
      'invalid credential: not an API key, environment key or work token this server issued',
    );
  const accepted = acceptedKinds(name, op);
  if (!accepted.includes(kind)) {
    throw new EmulatorError(
      403,
      `${name} does not accept ${KIND_NAMES[kind]}; use ${accepted.map((k) => KIND_NAMES[k]).join(' or ')}`,
    );
  }
  if (
    kind === 'work_secret' &&
    (owner!.workId !== params.work_id || owner!.environmentId !== params.environment_id)
  ) {
    throw new EmulatorError(403, 'this sessions token belongs to another work item');
  }
}
