// The id rule, without zod: the start path (switch checks) needs it before
// any schema library is loaded.

// Ids end up as URL path segments. An allowlist (rather than a list of bad
// characters) makes `..`, `/`, `?`, `#`, `%2F`, white space and control
// characters impossible by construction, before any request is made.
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function idRule(example: string): string {
  return `must be an id like ${example}: 1-128 letters, digits, _ or -`;
}

export const ENVIRONMENT_ID_EXAMPLE = 'env_011CZkZ9X2dpNyB7HsEFoRfW';
export const WORK_ID_EXAMPLE = 'work_011CZkZ9X2dpNyB7HsEFoRfW';
