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
  return [secret, json1, json2, encodeURIComponent(secret), html];
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
