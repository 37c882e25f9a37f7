// Text from the API reaches a person here, so it cannot be allowed to forge
// what they read: every string is set as text (never as HTML), stripped of
// control and bidirectional-override characters and bounded in length.

// C0/C1 controls, and the bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069, U+200E/F, U+061C).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

export function clean(value: unknown, max = 200): string {
  const text = String(value ?? '').replace(UNSAFE, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

type Child = Node | string | null | undefined | false;

/** An element with attributes and children; strings become text nodes (cleaned). */
export function h(
  tag: string,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs))
    if (v !== undefined) el.setAttribute(k, clean(v, 500));
  for (const c of children)
    if (c !== null && c !== undefined && c !== false)
      el.append(typeof c === 'string' ? clean(c, 1000) : c);
  return el;
}

/** "42 s", "7 min", "3 h": how long ago a number of seconds is. */
export function age(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

export function clock(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toLocaleTimeString() : '—';
}
