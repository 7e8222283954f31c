import type { Report } from '../../sim/report/schema.ts';

type Run = Report['runs'][number];
type Interval = { mean: number | null; ci95: [number, number] | null };

export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e6 || a < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(digits)).toLocaleString('en-US');
}

const ms = (v: number | null) => (v === null ? '—' : Math.abs(v) >= 1000 ? `${fmt(v / 1000)} s` : `${fmt(v)} ms`);
const interval = (i: Interval, show: (v: number | null) => string = (v) => fmt(v)) => (i.ci95 ? `${show(i.mean)} [${show(i.ci95[0])} – ${show(i.ci95[1])}]` : show(i.mean));

export function element(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function tableOf(rows: (string | HTMLElement)[][], caption?: string): HTMLTableElement {
  const table = document.createElement('table');
  if (caption) table.append(element('caption', {}, caption));
  rows.forEach((row, i) => {
    const tr = document.createElement('tr');
    for (const cell of row) {
      const td = element(i === 0 ? 'th' : 'td');
      if (typeof cell === 'string') td.textContent = cell;
      else td.append(cell);
      tr.append(td);
    }
    table.append(tr);
  });
  return table;
}

function verdictCell(v: string | undefined): HTMLElement | string {
  return v === undefined ? '' : element('span', { class: v }, v);
}

/** Metrics with intervals, theory and verdict. */
export function summaryTable(run: Run): HTMLTableElement {
  const s = run.result.summary;
  const t = run.result.theory;
  return tableOf([
    ['metric', 'mean [95 % interval]', 'theory', 'verdict'],
    ['throughput (msg/s)', interval(s.throughput), '', ''],
    ['wait Wq', interval(s.wait, ms), t ? ms(t.values.Wq) : '', verdictCell(t?.verdict.Wq)],
    ['wait p50 / p99', `${ms(s.wait.p50.mean)} / ${ms(s.wait.p99.mean)}`, '', ''],
    ['sojourn W', interval(s.sojourn, ms), t ? ms(t.values.W) : '', verdictCell(t?.verdict.W)],
    ['sojourn p50 / p99', `${ms(s.sojourn.p50.mean)} / ${ms(s.sojourn.p99.mean)}`, '', ''],
    ['queue length Lq (messages)', interval(s.queueLength), t ? fmt(t.values.Lq) : '', verdictCell(t?.verdict.Lq)],
    ['in system L (messages)', interval(s.inSystem), t ? fmt(t.values.L) : '', verdictCell(t?.verdict.L)],
    ['utilisation', interval(s.utilization, (v) => (v === null ? '—' : `${fmt(v * 100, 3)} %`)), '', ''],
  ]);
}

export function accountingTable(run: Run): HTMLTableElement {
  const a = run.result.accounting;
  return tableOf([
    ['accounting', 'messages'],
    ['published', fmt(a.published)],
    ['confirmed', fmt(a.confirmed)],
    ['delivered', fmt(a.delivered)],
    ['acked', fmt(a.acked)],
    ['dead-lettered', fmt(a.deadLettered)],
    ['lost (confirmed)', fmt(a.lost)],
    ['lost (unconfirmed)', fmt(a.lostUnconfirmed)],
    ['duplicated', fmt(a.duplicated)],
    ['unexpected', fmt(a.unexpected)],
    ['unavailable (broker down)', fmt(a.unavailable)],
    ['unavailable at end (on disk, broker not back)', fmt(a.unavailableAtEnd ?? 0)],
    ['stranded (in the broker at the end)', fmt(a.stranded)],
    ['unroutable (reached no queue)', fmt(a.unroutable ?? 0)],
    ['returned (mandatory, unroutable)', fmt(a.returned ?? 0)],
    ['lost in consumer (auto ack: delivered, never processed)', fmt(a.lostInConsumer ?? 0)],
  ]);
}

export function metadataTable(report: Report, run: Run): HTMLTableElement {
  const scenario = run.result.scenario as { name?: string; description?: string; durationSec?: number };
  return tableOf([
    ['run', ''],
    ['scenario', scenario.name ?? run.label],
    ['seeds', run.result.seeds.join(', ')],
    ['intervals from', run.result.intervals],
    ['steady state', run.result.steadyState ? `${run.result.steadyState.status}: ${run.result.steadyState.reason}` : '—'],
    ['warm-up deleted', `${run.result.warmupMs.map((w) => ms(w)).join(', ')}${run.result.warmupRules ? ` (${[...new Set(run.result.warmupRules)].join(', ')})` : ''}`],
    ['family verdict', run.result.theory?.family ? `${run.result.theory.family.verdict} (Holm, ${run.result.theory.family.level * 100} %)` : '—'],
    ['simulated duration', `${fmt(scenario.durationSec ?? null)} s`],
    ['theory', run.result.theory ? `${run.result.theory.model}${run.result.theory.approximation ? ' (approximation)' : ''}` : run.result.theoryNotApplicable ?? '—'],
    ['tool', `${report.tool.name} ${report.tool.version}, report v${report.version}`],
  ]);
}
