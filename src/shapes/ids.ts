// The id rule, without zod: the start path (switch checks) needs it before
// any schema library is loaded.

// Ids end up as URL path segments. The client refuses only what cannot be a
// safe segment (tool contract): empty, `/`, `?`, `#`, `..` (and a lone `.`,
// the other dot segment), white space, control characters, and text that is
// not valid Unicode (a lone surrogate cannot be percent-encoded). Everything
// else (any length, any other character) goes to the API, which judges it;
// the client percent-encodes it as SDK 1.16 does.
export const ID_PATTERN = /^(?!\.$)(?!.*\.\.)[^/?#\s\p{Cc}\p{Cs}]+$/u;

export function idRule(example: string): string {
  return `must be an id like ${example}: not empty, and without /, ?, #, .., white space or control characters`;
}

export const ENVIRONMENT_ID_EXAMPLE = 'env_011CZkZ9X2dpNyB7HsEFoRfW';
export const WORK_ID_EXAMPLE = 'work_011CZkZ9X2dpNyB7HsEFoRfW';
