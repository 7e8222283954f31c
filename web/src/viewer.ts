import './style.css';
import type { Report } from '../../sim/report/schema.ts';
import { mmc } from '../../sim/theory/mmc.ts';
import { sojournTail } from '../../sim/theory/waitingTime.ts';
import { distributionChart } from './charts/distributionChart.ts';
import { tradeoffChart } from './charts/tradeoffChart.ts';
import { sweepChart } from './charts/sweepChart.ts';
import { timeSeriesChart } from './charts/timeSeries.ts';
import { loadReports, type LoadedReport } from './data.ts';
import { accountingTable, element, fmt, metadataTable, summaryTable, tableOf } from './panels.ts';

type Run = Report['runs'][number];

function panel(parent: HTMLElement, title: string, className = ''): HTMLElement {
  const section = element('section', { class: `panel ${className}`.trim() });
  section.append(element('h2', {}, title));
  parent.append(section);
  return section;
}

/** The theoretical CDFs of wait and sojourn where a closed form exists (M/M/1, M/M/c). */
function theoryCdfs(run: Run): { wait: ((t: number) => number) | null; sojourn: ((t: number) => number) | null } {
  const t = run.result.theory;
  if (t === undefined || (t.model !== 'mm1' && t.model !== 'mmc')) return { wait: null, sojourn: null };
  const lambda = t.inputs.lambda as number;
  const mu = t.inputs.mu as number;
  const c = (t.inputs.c as number | undefined) ?? 1;
  const r = mmc(lambda, mu, c);
  if (!r.stable) return { wait: null, sojourn: null };
  const theta = c * mu - lambda;
  return {
    wait: (ms) => 1 - r.Pwait! * Math.exp((-theta * ms) / 1000),
    sojourn: (ms) => 1 - sojournTail(ms / 1000, r.Pwait!, theta, mu),
  };
}

/** One run in detail: summary, queue length over time, wait and sojourn distributions, accounting. */
function renderRun(parent: HTMLElement, report: Report, run: Run): void {
  const s = run.result.summary;
  panel(parent, `Summary — ${run.label}`).append(summaryTable(run));
  const series = run.result.series;
  timeSeriesChart(panel(parent, 'Queue length', 'chart-queue'), series.tMs, series.queueLength, run.result.theory?.values.Lq ?? null, 'ready messages (Lq)');
  const cdfs = theoryCdfs(run);
  const marks = (d: typeof s.wait) => [
    { label: 'p50', value: d.p50.mean },
    { label: 'p90', value: d.p90.mean },
    { label: 'p99', value: d.p99.mean },
  ];
  distributionChart(panel(parent, 'Waiting time', 'chart-wait'), 'Wait in queue (arrival → start of service)', run.result.histograms.waitMs, marks(s.wait), cdfs.wait);
  distributionChart(panel(parent, 'Sojourn time', 'chart-sojourn'), 'Sojourn (arrival → ack)', run.result.histograms.sojournMs, marks(s.sojourn), cdfs.sojourn);
  const bottom = panel(parent, 'Accounting and run');
  bottom.append(accountingTable(run), metadataTable(report, run));
}

function renderReport(parent: HTMLElement, loaded: LoadedReport): void {
  parent.replaceChildren();
  if (loaded.report === undefined) {
    parent.append(element('p', { class: 'error', role: 'alert' }, `Cannot show ${loaded.name}: ${loaded.error}`));
    return;
  }
  const report = loaded.report;
  parent.append(element('h2', { class: 'report-title' }, `${report.title} (${report.kind})`));
  if (report.description) parent.append(element('p', {}, report.description));
  const runs = report.runs;
  const detail = element('div', { class: 'run-detail' });
  const showRun = (i: number) => {
    detail.replaceChildren();
    renderRun(detail, report, runs[i]!);
  };
  if (report.kind === 'sweep' || report.kind === 'plan') {
    const param = report.sweep?.params[0]?.path ?? Object.keys(runs[0]?.params ?? {})[0];
    if (param !== undefined) {
      const charts = panel(parent, 'Sweep', 'chart-sweep');
      sweepChart(charts, runs, param, { label: 'mean wait', unit: 'ms', pick: (r) => r.result.summary.wait, theory: (r) => r.result.theory?.values.Wq ?? null });
      sweepChart(charts, runs, param, { label: 'p99 wait', unit: 'ms', pick: (r) => r.result.summary.wait.p99 });
      sweepChart(charts, runs, param, { label: 'queue length Lq', unit: 'messages', pick: (r) => r.result.summary.queueLength, theory: (r) => r.result.theory?.values.Lq ?? null });
    }
    if (report.plan) {
      panel(parent, 'Plan').append(tableOf([['target', 'varied', 'answer', 'why'], [report.plan.target, report.plan.vary, fmt(report.plan.answer), report.plan.reason]]));
    }
  }
  if (report.kind === 'compare') {
    const p = panel(parent, 'Reliability comparison', 'chart-reliability');
    tradeoffChart(p, runs);
    p.append(
      tableOf([
        ['setting', 'throughput (msg/s)', 'wait p99', 'lost (confirmed)', 'lost (unconfirmed)', 'duplicated', 'crashes'],
        ...runs.map((r) => [
          r.label,
          fmt(r.result.summary.throughput.mean),
          `${fmt(r.result.summary.wait.p99.mean)} ms`,
          fmt(r.result.accounting.lost),
          fmt(r.result.accounting.lostUnconfirmed),
          fmt(r.result.accounting.duplicated),
          fmt(r.result.summary.recovery.crashes),
        ]),
      ]),
    );
  }
  if (runs.length > 1) {
    const label = element('label', {}, 'Details of ');
    const select = element('select', { class: 'run-select' }) as HTMLSelectElement;
    runs.forEach((r, i) => select.append(new Option(r.label, String(i))));
    select.addEventListener('change', () => showRun(Number(select.value)));
    label.append(select);
    parent.append(label);
  }
  parent.append(detail);
  showRun(0);
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
  reports.forEach((r, i) => {
    choose.append(new Option(r.name, String(i)));
    compare.append(new Option(r.name, String(i)));
  });
  const wanted = new URLSearchParams(location.search).get('report');
  const initial = reports.findIndex((r) => r.name === wanted);
  choose.value = String(Math.max(0, initial));
  const draw = () => {
    app.replaceChildren();
    const columns = element('div', { class: compare.value === '' ? '' : 'columns' });
    app.append(columns);
    for (const value of [choose.value, compare.value].filter((v) => v !== '')) {
      const column = element('div', { class: 'report' });
      columns.append(column);
      renderReport(column, reports[Number(value)]!);
    }
    document.body.dataset.rendered = String(Number(document.body.dataset.rendered ?? 0) + 1);
  };
  choose.addEventListener('change', draw);
  compare.addEventListener('change', draw);
  draw();
}

void start();
