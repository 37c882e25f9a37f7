// Depth and pending over the minutes the view has been open: two polylines
// in an SVG, drawn from the samples this view took. No chart library.
const SVG = 'http://www.w3.org/2000/svg';

export interface Sample {
  at: number;
  depth: number;
  pending: number;
}

/** At most this many samples are kept (an hour at one refresh every 3 s, then the oldest go). */
export const MAX_SAMPLES = 1200;

function el(tag: string, attrs: Record<string, string>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export function chart(samples: readonly Sample[]): SVGElement {
  const w = 320;
  const hgt = 96;
  const pad = { l: 28, r: 6, t: 6, b: 16 };
  const svg = el('svg', {
    viewBox: `0 0 ${w} ${hgt}`,
    class: 'chart',
    role: 'img',
    'aria-label': 'Depth and pending over time',
  });
  const top = Math.max(1, ...samples.map((s) => Math.max(s.depth, s.pending)));
  const first = samples[0]?.at ?? 0;
  const last = samples[samples.length - 1]?.at ?? first;
  const span = Math.max(60_000, last - first);
  const x = (at: number) => pad.l + ((at - first) / span) * (w - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - v / top) * (hgt - pad.t - pad.b);
  svg.append(
    el('line', {
      x1: String(pad.l),
      x2: String(w - pad.r),
      y1: String(y(0)),
      y2: String(y(0)),
      class: 'axis',
    }),
    el('line', {
      x1: String(pad.l),
      x2: String(w - pad.r),
      y1: String(y(top)),
      y2: String(y(top)),
      class: 'grid',
    }),
  );
  const label = (text: string, attrs: Record<string, string>) => {
    const t = el('text', attrs);
    t.textContent = text;
    svg.append(t);
  };
  label(String(top), { x: String(pad.l - 4), y: String(y(top) + 4), 'text-anchor': 'end' });
  label('0', { x: String(pad.l - 4), y: String(y(0) + 4), 'text-anchor': 'end' });
  label(`${Math.max(1, Math.round(span / 60_000))} min`, {
    x: String(w - pad.r),
    y: String(hgt - 3),
    'text-anchor': 'end',
  });
  for (const key of ['pending', 'depth'] as const) {
    const points = samples.map((s) => `${x(s.at).toFixed(1)},${y(s[key]).toFixed(1)}`).join(' ');
    // One sample is a dot's worth of line: draw it across a few pixels so it shows.
    const shown =
      samples.length === 1
        ? `${points} ${(x(first) + 3).toFixed(1)},${y(samples[0]![key]).toFixed(1)}`
        : points;
    svg.append(el('polyline', { points: shown, class: `line ${key}` }));
  }
  return svg;
}
