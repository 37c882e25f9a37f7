// URL and header text encoded exactly as @anthropic-ai/sdk 1.16.0 encodes it
// (internal/utils/path, internal/qs), so that the same arguments make the same
// bytes on the wire (test/parity.test.ts holds them equal).

/** A path segment: everything but RFC 3986 pchar is percent-encoded (the SDK's encodeURIPath). */
export function encodePathSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]+/g, encodeURIComponent);
}

/** A query key or value, as qs (RFC 3986 format) writes it: only A-Z a-z 0-9 - . _ ~ stay as they are. */
export function encodeQueryPart(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The query string of the given parameters, in the order given; undefined
 * ones left out, null ones sent as `name=` (qs without strictNullHandling,
 * as the SDK calls it).
 */
export function queryString(entries: readonly (readonly [string, unknown])[]): string {
  const parts: string[] = [];
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    parts.push(`${encodeQueryPart(name)}=${value === null ? '' : encodeQueryPart(String(value))}`);
  }
  return parts.join('&');
}

/** fetch (which the SDK sends with) strips leading and trailing HTTP white space from a header value. */
export function headerValue(value: unknown): string {
  return String(value).replace(/^[\t ]+|[\t ]+$/g, '');
}
