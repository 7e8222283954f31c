import './style.css';
import './views/index.ts';
import type { Report } from '../../sim/report/schema.ts';
import { loadReports, type LoadedReport } from './data.ts';
import { download, fileSlug } from './export.ts';
import { renderLanding } from './landing.ts';
import { element } from './panels.ts';
import { reportCsv, seriesCsv } from './reportCsv.ts';
import { viewsFor } from './views/registry.ts';

/**
 * The viewer. With no `?report=` it opens on the index of reports; `?report=<name>` shows one
 * (`&run=i` picks the run detailed, `&compare=<name>` puts a second report beside it). Every state
 * is in the URL, so any view can be linked to.
 */
function exportBar(report: Report, runIndex: number): HTMLElement {
  const bar = element('div', { class: 'export report-export' });
  const button = (label: string, action: () => void) => {
    const b = element('button', { type: 'button' }, label);
    b.addEventListener('click', action);
    bar.append(b);
  };
  button('Report data (CSV)', () => download(`${fileSlug(report.title)}.csv`, new Blob([reportCsv(report)], { type: 'text/csv' })));
  button('Time series (CSV)', () => download(`${fileSlug(report.title)}-series.csv`, new Blob([seriesCsv(report.runs[runIndex] ?? report.runs[0]!)], { type: 'text/csv' })));
  return bar;
}

function renderReport(parent: HTMLElement, loaded: LoadedReport, runIndex: number, selectRun: (i: number) => void): void {
  parent.replaceChildren();
  if (loaded.report === undefined) {
    parent.append(element('p', { class: 'error', role: 'alert' }, `Cannot show ${loaded.name}: ${loaded.error}`));
    return;
  }
  const report = loaded.report;
  const head = element('div', { class: 'report-head' });
  head.append(element('h2', { class: 'report-title' }, `${report.title} (${report.kind})`), exportBar(report, runIndex));
  parent.append(head);
  if (report.description) parent.append(element('p', { class: 'report-description' }, report.description));
  for (const view of viewsFor(report)) {
    const section = element('div', { class: `view view-${view.id}` });
    parent.append(section);
    view.render(section, report, { runIndex: Math.min(runIndex, report.runs.length - 1), selectRun });
  }
}

/** The run detailed when the link names none: a plan's answer, else the first. */
function defaultRun(report: Report | undefined): number {
  if (report?.plan?.answer === null || report?.plan === undefined) return 0;
  const vary = report.plan.vary;
  return Math.max(0, report.runs.findIndex((r) => Number(r.params?.[vary]) === report.plan!.answer));
}

function navigate(params: Record<string, string | undefined>): void {
  const url = new URL(location.href);
  url.search = '';
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  history.pushState(null, '', url);
}

async function start(): Promise<void> {
  const app = document.getElementById('app')!;
  const choose = document.getElementById('report-select') as HTMLSelectElement;
  const compare = document.getElementById('compare-select') as HTMLSelectElement;
  let reports: LoadedReport[];
  try {
    reports = await loadReports();
  } catch (error) {
    app.replaceChildren(element('p', { class: 'error', role: 'alert' }, `Cannot load reports: ${(error as Error).message}`));
    return;
  }
  if (reports.length === 0) {
    app.replaceChildren(element('p', { class: 'status' }, 'No reports yet: run npx qlab run <scenario> or npm start, then reload.'));
    return;
  }
  choose.append(new Option('— all reports —', ''));
  reports.forEach((r, i) => {
    choose.append(new Option(r.name, String(i)));
    compare.append(new Option(r.name, String(i)));
  });
  const indexOf = (name: string | null) => reports.findIndex((r) => r.name === name);
  const link = (name: string) => `?report=${encodeURIComponent(name)}`;
  const draw = () => {
    const params = new URLSearchParams(location.search);
    // A self-contained HTML file holds one report: show it, there is nothing to choose from.
    const current = reports.length === 1 ? 0 : indexOf(params.get('report'));
    const other = indexOf(params.get('compare'));
    const runIndex = params.has('run') ? Math.max(0, Number(params.get('run')) || 0) : defaultRun(reports[current]?.report);
    choose.value = current < 0 ? '' : String(current);
    compare.value = other < 0 ? '' : String(other);
    app.replaceChildren();
    if (current < 0) {
      renderLanding(app, reports, link);
    } else {
      const columns = element('div', { class: other < 0 ? 'single' : 'columns' });
      app.append(columns);
      for (const [i, index] of [current, other].filter((v) => v >= 0).entries()) {
        const column = element('div', { class: 'report' });
        columns.append(column);
        const selectRun = (run: number) => {
          navigate({ report: reports[current]!.name, compare: other < 0 ? undefined : reports[other]!.name, run: i === 0 ? String(run) : params.get('run') ?? undefined });
          draw();
        };
        renderReport(column, reports[index]!, i === 0 ? runIndex : 0, selectRun);
      }
    }
    document.body.dataset.rendered = String(Number(document.body.dataset.rendered ?? 0) + 1);
  };
  choose.addEventListener('change', () => {
    navigate({ report: choose.value === '' ? undefined : reports[Number(choose.value)]!.name, compare: compare.value === '' ? undefined : reports[Number(compare.value)]!.name });
    draw();
  });
  compare.addEventListener('change', () => {
    const base = choose.value === '' ? (compare.value === '' ? undefined : reports[Number(compare.value)]!.name) : reports[Number(choose.value)]!.name;
    navigate({ report: base, compare: compare.value === '' || choose.value === '' ? undefined : reports[Number(compare.value)]!.name });
    draw();
  });
  window.addEventListener('popstate', draw);
  draw();
}

void start();
