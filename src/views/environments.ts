// The environments screen: name, type, scope, archived and, for self-hosted
// ones, their queue depth (get_work_queue_stats each); a row opens the
// work-queue screen of that environment.
import type { Host } from './protocol.js';
import { h } from './text.js';
import { resultJson } from './work-queue.js';

/** Depths read for at most this many self-hosted environments per listing: one call each. */
const MAX_DEPTHS = 25;

interface Environment {
  id: string;
  name: string;
  config?: { type?: string };
  scope?: string | null;
  archived_at?: string | null;
}

export function environmentsScreen(
  root: HTMLElement,
  host: Host,
  list: Record<string, unknown>,
  open: (id: string) => void,
) {
  const envs = (Array.isArray(list.data) ? list.data : []) as Environment[];
  const depthCell = new Map<string, HTMLElement>();
  const rows = envs.map((e) => {
    const selfHosted = e.config?.type === 'self_hosted';
    const depth = h('td', { class: 'num', 'data-testid': 'env-depth' }, selfHosted ? '…' : '');
    if (selfHosted) depthCell.set(e.id, depth);
    const row = h(
      'tr',
      {
        'data-environment-id': e.id,
        class: selfHosted ? 'opens' : undefined,
        tabindex: selfHosted ? '0' : undefined,
      },
      h(
        'td',
        {},
        h('span', { class: 'name' }, e.name),
        h('small', { class: 'id', 'data-volatile': '' }, e.id),
      ),
      h('td', {}, e.config?.type ?? '—'),
      h('td', {}, e.scope ?? '—'),
      h('td', {}, e.archived_at ? 'yes' : 'no'),
      depth,
    );
    if (selfHosted) {
      row.addEventListener('click', () => open(e.id));
      row.addEventListener('keydown', (ev) => {
        if ((ev as KeyboardEvent).key === 'Enter') open(e.id);
      });
    }
    return row;
  });
  root.replaceChildren(
    h(
      'main',
      { class: 'envs' },
      h(
        'header',
        {},
        h('h1', {}, 'Environments'),
        h('span', { class: 'status' }, `${envs.length}${list.next_page ? '+' : ''} shown`),
      ),
      envs.length
        ? h(
            'table',
            { 'data-testid': 'environments' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Name'),
                h('th', {}, 'Type'),
                h('th', {}, 'Scope'),
                h('th', {}, 'Archived'),
                h('th', { class: 'num' }, 'Depth'),
              ),
            ),
            h('tbody', {}, ...rows),
          )
        : h('p', { class: 'quiet' }, 'No environments.'),
      depthCell.size
        ? h('p', { class: 'quiet' }, 'Select a self-hosted environment to watch its work queue.')
        : null,
    ),
  );
  let n = 0;
  for (const [id, cell] of depthCell) {
    if (n++ >= MAX_DEPTHS) {
      cell.textContent = '';
      continue;
    }
    host
      .callTool('get_work_queue_stats', { environment_id: id })
      .then((r) => {
        cell.textContent = String(resultJson(r).depth ?? '—');
      })
      .catch(() => {
        cell.textContent = '?';
        cell.title = 'The depth could not be read';
      });
  }
}
