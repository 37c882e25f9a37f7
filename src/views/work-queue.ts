// The work-queue screen: four numbers, items per state, the items that need
// attention, depth and pending over time; refreshed every few seconds through
// the app-only tool work_queue_snapshot while the view can be seen. Actions
// call the server's own tools, so its confirmations, --read-only, scope and
// redaction hold as they do for the model.
import { chart, MAX_SAMPLES, type Sample } from './chart.js';
import type { Host, ToolResult } from './protocol.js';
import { age, clean, clock, h } from './text.js';

export const REFRESH_MS = 3000;
/** After failed refreshes the wait doubles up to this (a rate limit or an outage is not hammered). */
const MAX_BACKOFF_MS = 60_000;
const STATES = ['queued', 'starting', 'active', 'stopping', 'stopped'] as const;
/** The findings about single items a person may act on. */
const ATTENTION: Record<string, string> = {
  acked_never_heartbeated: 'Acked, never heartbeated',
  heartbeat_expired: 'Heartbeat expired',
  stuck_stopping: 'Stuck stopping',
};

interface Stats {
  depth: number;
  pending: number;
  oldest_queued_at: string | null;
  workers_polling: number | null;
}
interface FindingItem {
  work_id: string;
  state: string;
  age_seconds: number;
}
interface Finding {
  code: string;
  severity: string;
  summary: string;
  items?: FindingItem[];
}
export interface Snapshot {
  environment_id: string;
  read_at: string;
  stats: Stats | null;
  counts: Record<string, number>;
  findings: Finding[];
  can_stop: boolean;
  incomplete?: string[];
}

/** A tool result's JSON: structuredContent, else the text block; an error result is an Error. */
export function resultJson(r: ToolResult): Record<string, unknown> {
  const text = r.content?.find((c) => c.type === 'text') as { text?: string } | undefined;
  if (r.isError) {
    let message = text?.text ?? 'the call failed';
    try {
      const e = JSON.parse(message).error;
      message = [e?.status, e?.message].filter(Boolean).join(' ') || message;
    } catch {}
    throw new Error(clean(message, 300));
  }
  if (r.structuredContent && typeof r.structuredContent === 'object')
    return r.structuredContent as Record<string, unknown>;
  return JSON.parse(text?.text ?? '{}') as Record<string, unknown>;
}

const isStats = (v: unknown): v is Stats =>
  !!v && typeof v === 'object' && typeof (v as Stats).depth === 'number';

export interface QueueOptions {
  back?: () => void;
  /** The lease the diagnosis assumes, as the tool the view was opened with was given it. */
  leaseSeconds?: number;
}

export function workQueueScreen(
  root: HTMLElement,
  host: Host,
  environmentId: string | undefined,
  opts: QueueOptions,
) {
  let envId = environmentId;
  let snapshot: Snapshot | undefined;
  let readAt: string | undefined;
  let stats: Stats | undefined;
  let findings: Finding[] | undefined;
  const samples: Sample[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let failures = 0;
  let stopped = false;
  let visible = !document.hidden;
  let status = 'starting';
  let notice: { text: string; kind: string } | undefined;
  /** The arguments of a read: this environment (none when the server's scope fills it in) and the lease. */
  const readArgs = () => ({
    ...(envId ? { environment_id: envId } : {}),
    ...(opts.leaseSeconds !== undefined ? { lease_seconds: opts.leaseSeconds } : {}),
  });

  const view = h('main', { class: 'queue' });
  root.replaceChildren(view);

  const render = () => {
    const s = stats;
    const oldestAge = s?.oldest_queued_at
      ? (Date.now() - Date.parse(s.oldest_queued_at)) / 1000
      : undefined;
    const canStop = snapshot?.can_stop === true;
    const header = h(
      'header',
      {},
      opts.back ? button('← Environments', 'back', opts.back) : null,
      h('h1', {}, 'Work queue'),
      h('span', { class: 'env', 'data-volatile': '' }, envId ?? ''),
      h('span', { class: `status ${status}`, 'data-testid': 'status' }, status),
    );
    const big = (label: string, value: string, testid: string, title?: string) =>
      h(
        'div',
        { class: 'stat', 'data-testid': testid, title },
        h('div', { class: 'value' }, value),
        h('div', { class: 'label' }, label),
      );
    const statsGrid = h(
      'section',
      { class: 'stats' },
      big('Depth', s ? String(s.depth) : '—', 'depth'),
      big('Pending', s ? String(s.pending) : '—', 'pending'),
      big(
        'Oldest queued',
        oldestAge === undefined ? (s ? 'none' : '—') : age(oldestAge),
        'oldest',
        s?.oldest_queued_at ?? undefined,
      ),
      big(
        'Workers polling',
        s?.workers_polling == null ? '—' : String(s.workers_polling),
        'workers',
      ),
    );
    const read = h(
      'p',
      { class: 'read-at', 'data-volatile': '' },
      readAt ? `Read at ${clock(readAt)}` : 'Reading…',
    );

    const counts = snapshot?.counts ?? {};
    const total = STATES.reduce((n, k) => n + (counts[k] ?? 0), 0);
    const strip = h('div', { class: 'strip', role: 'img', 'aria-label': 'Items by state' });
    for (const k of STATES) {
      const n = counts[k] ?? 0;
      if (n > 0)
        strip.append(
          h('span', { class: `seg ${k}`, style: `flex-grow:${n}`, title: `${k}: ${n}` }),
        );
    }
    if (total === 0) strip.append(h('span', { class: 'seg empty' }));
    const legend = h(
      'ul',
      { class: 'legend' },
      ...STATES.map((k) =>
        h(
          'li',
          { 'data-state': k },
          h('i', { class: `dot ${k}` }),
          `${k} `,
          h('b', {}, String(counts[k] ?? 0)),
        ),
      ),
    );

    const rows = (findings ?? [])
      .filter((f) => ATTENTION[f.code])
      .flatMap((f) => (f.items ?? []).map((i) => ({ ...i, problem: ATTENTION[f.code]! })))
      .sort((a, b) => b.age_seconds - a.age_seconds);
    const table = rows.length
      ? h(
          'table',
          { class: 'attention', 'data-testid': 'attention' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Work item'),
              h('th', {}, 'Problem'),
              h('th', {}, 'Age'),
              canStop ? h('th', {}, '') : null,
            ),
          ),
          h(
            'tbody',
            {},
            ...rows.map((r) =>
              h(
                'tr',
                { 'data-work-id': r.work_id },
                h('td', { class: 'id', 'data-volatile': '' }, r.work_id, h('small', {}, r.state)),
                h('td', {}, r.problem),
                h('td', { 'data-volatile': '' }, age(r.age_seconds)),
                canStop
                  ? h(
                      'td',
                      { class: 'actions' },
                      r.state === 'active'
                        ? button('Stop', 'stop', () => stop(r.work_id, false))
                        : null,
                      button('Force stop', 'force-stop', () => stop(r.work_id, true)),
                    )
                  : null,
              ),
            ),
          ),
        )
      : h(
          'p',
          { class: 'quiet', 'data-testid': 'attention-empty' },
          findings ? 'No item needs attention.' : '',
        );
    const others = (findings ?? []).filter((f) => !ATTENTION[f.code]);
    const notes = others.length
      ? h(
          'ul',
          { class: 'findings' },
          ...others.map((f) => h('li', { class: f.severity }, f.summary)),
        )
      : null;
    const incomplete = snapshot?.incomplete?.length
      ? h('p', { class: 'warn' }, `Incomplete: ${snapshot.incomplete.join('; ')}`)
      : null;

    view.replaceChildren(
      header,
      statsGrid,
      read,
      h('section', { class: 'states' }, h('h2', {}, 'Items by state'), strip, legend),
      h('section', {}, h('h2', {}, 'Needs attention'), notes, table, incomplete),
      h(
        'section',
        { class: 'trend' },
        h('h2', {}, 'Depth and pending since the view opened'),
        h('div', { 'data-volatile': '' }, chart(samples)),
        h(
          'ul',
          { class: 'legend' },
          h('li', {}, h('i', { class: 'dot depth' }), 'depth'),
          h('li', {}, h('i', { class: 'dot pending' }), 'pending'),
        ),
      ),
      h(
        'footer',
        {},
        button('Re-run diagnosis', 'diagnose', diagnoseNow),
        notice
          ? h('p', { class: `notice ${notice.kind}`, 'data-testid': 'notice' }, notice.text)
          : null,
      ),
    );
  };

  const record = (s: Stats, at: string) => {
    stats = s;
    readAt = at;
    samples.push({ at: Date.parse(at) || Date.now(), depth: s.depth, pending: s.pending });
    if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
  };

  const refresh = async () => {
    if (inFlight || stopped) return;
    inFlight = true;
    try {
      const snap = resultJson(
        await host.callTool('work_queue_snapshot', readArgs()),
      ) as unknown as Snapshot;
      snapshot = snap;
      envId = snap.environment_id;
      findings = snap.findings;
      if (isStats(snap.stats)) record(snap.stats, snap.read_at);
      else readAt = snap.read_at;
      status = visible ? 'live' : 'paused';
      failures = 0;
      if (notice?.kind === 'error' && notice.text.startsWith('Refresh failed')) notice = undefined;
    } catch (err) {
      failures++;
      status = 'error';
      notice = { text: `Refresh failed: ${(err as Error).message}`, kind: 'error' };
    } finally {
      inFlight = false;
    }
    render();
    schedule();
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    if (visible && !stopped)
      timer = setTimeout(refresh, Math.min(MAX_BACKOFF_MS, REFRESH_MS * 2 ** failures));
  };

  // Refreshing pauses while the view cannot be seen: the page hidden, or the frame scrolled away or collapsed.
  const setVisible = (v: boolean) => {
    if (v === visible) return;
    visible = v;
    status = v ? 'live' : 'paused';
    if (v) void refresh();
    else {
      clearTimeout(timer);
      render();
    }
  };
  let onScreen = true;
  const onVisibility = () => setVisible(!document.hidden && onScreen);
  document.addEventListener('visibilitychange', onVisibility);
  const observer = new IntersectionObserver((entries) => {
    onScreen = entries.some((e) => e.isIntersecting);
    onVisibility();
  });
  observer.observe(document.documentElement);

  async function act(what: string, run: () => Promise<string>) {
    notice = { text: `${what}…`, kind: 'busy' };
    render();
    let told: string;
    try {
      told = await run();
      notice = { text: told, kind: 'ok' };
    } catch (err) {
      told = `${what} failed: ${(err as Error).message}`;
      notice = { text: told, kind: 'error' };
    }
    render();
    // The model learns what the person did here; it did not make the call itself.
    host
      .updateModelContext(
        `In the work-queue view of ${envId ?? 'the scoped environment'}, the person: ${told}`,
      )
      .catch(() => {});
    void refresh();
  }

  function stop(workId: string, force: boolean) {
    void act(`${force ? 'Force-stopping' : 'Stopping'} ${workId}`, async () => {
      const out = resultJson(
        await host.callTool('stop_work_item', {
          ...(envId ? { environment_id: envId } : {}),
          work_id: workId,
          ...(force ? { force: true } : {}),
        }),
      );
      if (out.done === false) return clean(String(out.note ?? 'Nothing was done.'), 300);
      return `${force ? 'force-stopped' : 'asked to stop'} ${workId}; it is now ${clean(out.state, 40)}.`;
    });
  }

  function diagnoseNow() {
    void act('Diagnosing', async () => {
      const out = resultJson(await host.callTool('diagnose_work_queue', readArgs()));
      findings = out.findings as Finding[];
      if (isStats(out.stats)) record(out.stats, String(out.checked_at));
      return `re-ran the diagnosis: ${clean(out.summary, 200)}`;
    });
  }

  /** The result of the tool the view was opened with (get_work_queue_stats or diagnose_work_queue). */
  const showResult = (out: Record<string, unknown>) => {
    if (typeof out.environment_id === 'string') envId = out.environment_id;
    if (isStats(out)) record(out, new Date().toISOString());
    else if (isStats(out.stats))
      record(out.stats, String(out.checked_at ?? new Date().toISOString()));
    if (Array.isArray(out.findings)) findings = out.findings as Finding[];
    render();
  };

  render();
  void refresh();
  return {
    showResult,
    setEnvironment(id: string) {
      envId = id;
      void refresh();
    },
    close() {
      stopped = true;
      clearTimeout(timer);
      observer.disconnect();
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}

export function button(label: string, action: string, onClick: () => void): HTMLElement {
  const b = h('button', { type: 'button', 'data-action': action }, label);
  b.addEventListener('click', onClick);
  return b;
}
