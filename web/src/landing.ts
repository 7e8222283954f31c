import type { LoadedReport } from './data.ts';
import { keyFigures, steadiness } from './figures.ts';
import { element } from './panels.ts';

/**
 * The index page: every report with its kind, title, date and key figures, filterable by text and
 * kind; each row links to the report (`?report=<name>`), a link one can share or bookmark.
 */
export function renderLanding(parent: HTMLElement, reports: LoadedReport[], link: (name: string) => string): void {
  parent.replaceChildren();
  const section = element('section', { class: 'panel landing' });
  section.append(element('h2', {}, `Reports (${reports.length})`));
  const controls = element('div', { class: 'filters' });
  const text = element('input', { id: 'filter', type: 'search', placeholder: 'filter: title, file, figure…', 'aria-label': 'Filter reports' }) as HTMLInputElement;
  const kind = element('select', { id: 'kind-filter', 'aria-label': 'Kind' }) as HTMLSelectElement;
  for (const k of ['', 'run', 'sweep', 'plan', 'compare', 'invalid']) kind.append(new Option(k === '' ? 'all kinds' : k, k));
  const wanted = new URLSearchParams(location.search);
  text.value = wanted.get('q') ?? '';
  kind.value = wanted.get('kind') ?? '';
  controls.append(text, kind);
  section.append(controls);
  const table = element('table', { class: 'report-index' });
  table.append(element('tr', {}));
  table.firstElementChild!.append(...['report', 'kind', 'title', 'date', 'key figures'].map((h) => element('th', {}, h)));
  const rows = reports.map((r) => {
    const tr = element('tr', { class: 'report-row' });
    const a = element('a', { href: link(r.name) }, r.name);
    const figures = r.report ? keyFigures(r.report) : [r.error ?? 'unreadable'];
    const unstable = r.report?.runs.some((run) => !steadiness(run).steady) ?? false;
    const cells = [a, r.report?.kind ?? 'invalid', r.report?.title ?? '—', r.modifiedMs === undefined ? '—' : new Date(r.modifiedMs).toISOString().slice(0, 16).replace('T', ' '), figures.join(' · ')];
    for (const c of cells) {
      const td = element('td');
      if (typeof c === 'string') td.textContent = c;
      else td.append(c);
      tr.append(td);
    }
    if (unstable) tr.classList.add('has-unstable');
    tr.dataset.kind = r.report?.kind ?? 'invalid';
    tr.dataset.search = [r.name, r.report?.kind, r.report?.title, r.report?.description, ...figures].join(' ').toLowerCase();
    table.append(tr);
    return tr;
  });
  const apply = () => {
    const q = text.value.trim().toLowerCase();
    let shown = 0;
    for (const tr of rows) {
      const visible = (kind.value === '' || tr.dataset.kind === kind.value) && (q === '' || q.split(/\s+/).every((w) => tr.dataset.search!.includes(w)));
      tr.hidden = !visible;
      shown += visible ? 1 : 0;
    }
    count.textContent = `${shown} of ${rows.length} shown`;
    const url = new URL(location.href);
    for (const [key, value] of [['q', text.value], ['kind', kind.value]] as const) {
      if (value) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    }
    history.replaceState(null, '', url);
  };
  const count = element('p', { class: 'status', 'aria-live': 'polite' });
  text.addEventListener('input', apply);
  kind.addEventListener('change', apply);
  section.append(table, count);
  parent.append(section);
  apply();
}
