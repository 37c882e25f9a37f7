// Redaction: every text that leaves the server (tool results, resources,
// logs, the doctor's report) goes through a redactor over the credentials
// the client may send, so a credential the API (or a proxy) echoes back
// never reaches a reader.

export type Redact = (text: string) => string;

export const REDACTED = '[redacted]';

/**
 * The forms a credential takes once echoed back: as is, JSON-escaped (an API
 * error quoting a header, then our own JSON around it), URL-encoded and
 * HTML-escaped (a proxy's error page).
 */
function echoedForms(secret: string): string[] {
  const json1 = JSON.stringify(secret).slice(1, -1);
  const json2 = JSON.stringify(json1).slice(1, -1);
  const html = secret.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
  return [
    secret,
    json1,
    json2,
    encodeURIComponent(secret),
    html,
    ...cutShort(secret),
    ...base64Forms(secret),
  ];
}

// Shorter than this, a cut or encoded piece could match ordinary text.
const MIN_PIECE = 16;

/** The secret cut short by up to 4 characters at its end (an echo that truncates). */
function cutShort(secret: string): string[] {
  const out: string[] = [];
  for (let k = 1; k <= 4 && secret.length - k >= MIN_PIECE; k++) out.push(secret.slice(0, -k));
  return out;
}

/**
 * The secret base64-encoded inside any longer text (`Basic base64(user:key)`,
 * a token in a JSON blob): at each of the three byte alignments, the part of
 * the encoding that only the secret's bytes decide, in both alphabets.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let r = 0; r < 3; r++) {
    const encoded = Buffer.concat([Buffer.alloc(r), bytes]).toString('base64');
    // Whole 3-byte groups of the secret alone: skip the first group when it holds padding bytes.
    const piece = encoded.slice(r === 0 ? 0 : 4, Math.floor((r + bytes.length) / 3) * 4);
    if (piece.length < MIN_PIECE) continue;
    out.push(piece, piece.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

export function redactor(secrets: () => readonly string[]): Redact {
  let key: string | undefined;
  let pattern: RegExp | undefined;
  return (text) => {
    const current = secrets().filter((s) => s.length >= 4);
    const now = current.join('\0');
    if (now !== key) {
      key = now;
      const forms = [...new Set(current.flatMap(echoedForms))];
      // Longest first, so a secret (or form) containing another is replaced whole.
      forms.sort((a, b) => b.length - a.length);
      pattern = forms.length
        ? new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
        : undefined;
    }
    return pattern ? text.replace(pattern, REDACTED) : text;
  };
}
