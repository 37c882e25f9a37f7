// Text from the API, made safe for a person to read: a confirmation question,
// the doctor's report. API data (a name, an error message) must not be able
// to rewrite what it is shown in: control characters (terminal escapes, line
// breaks) and bidi overrides (U+202E turns text around) are taken out or made
// visible, and length is bounded so that a huge name cannot push the real id
// out of view. No imports: tools, doctor and views use it alike.

// C0 and C1 controls and DEL; bidi embeddings, overrides, isolates and marks;
// zero-width characters and the BOM; line and paragraph separators.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** `text` without control, bidi or zero-width characters, cut to `max` characters with a count. */
export function plainText(text: string, max: number): string {
  const plain = text.replace(HIDDEN, '');
  if (plain.length <= max) return plain;
  return `${plain.slice(0, max)}… (${plain.length} characters in all)`;
}

/** API data quoted for a sentence: plain, bounded, quotes and backslashes escaped. */
export function quoted(text: string, max = 80): string {
  return JSON.stringify(plainText(text, max));
}

/**
 * For a terminal: every control character but the newline is shown as
 * \xNN (or \uNNNN), so an ANSI sequence in an API message prints as text
 * instead of erasing lines; bidi controls too.
 */
export function terminalSafe(text: string): string {
  return text.replace(HIDDEN, (c) =>
    c === '\n'
      ? c
      : c.charCodeAt(0) <= 0xff
        ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
