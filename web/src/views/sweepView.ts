import { sweepChart, type SweepAxis, type SweepMetric } from '../charts/sweepChart.ts';
import { utilisation, type Run } from '../figures.ts';
import { panel } from '../panel.ts';
import { element, fmt, tableOf } from '../panels.ts';
import type { Report } from '../../../sim/report/schema.ts';
import { waitTheory } from '../waitTheory.ts';
import { registerView } from './registry.ts';

/** A plan's target, as `qlab plan` writes it: "p99 wait < 200ms". */
export function parseTarget(text: string): { stat: string; metric: string; value: number } | null {
  const m = /^\s*(mean|p50|p90|p99|p999|max)\s+(wait|sojourn|queueLength|utilization)\s*(<=|<)\s*([\d.]+(?:e-?\d+)?)\s*(ms|s|%)?\s*$/.exec(text);
  if (m === null) return null;
  const unit = m[5];
  const value = Number(m[4]) * (unit === 's' ? 1000 : unit === '%' ? 0.01 : 1);
  return { stat: m[1]!, metric: m[2]!, value };
}

/** The x-axis: ρ when every point has one (the raw parameter then runs along the top), else the parameter. */
function sweepAxis(report: Report, param: string): SweepAxis {
  const answer = report.plan?.answer === null || report.plan === undefined ? undefined : report.runs.find((r) => Number(r.params?.[param]) === report.plan!.answer);
  const raw = (r: Run) => Number(r.params?.[param]);
  const rhos = report.runs.map(utilisation);
  const distinct = new Set(rhos.map((r) => r?.toFixed(6))).size === report.runs.length;
  if (rhos.every((r) => r !== null && Number.isFinite(r)) && distinct) {
    return { x: (r) => utilisation(r)!, label: 'utilisation ρ = λ / (c·μ)', secondary: { label: param, value: raw }, answer };
  }
  return { x: raw, label: param, answer };
}

/** The mean's theory line: exact, or the approximation it is (G/G/1 Kingman, G/G/c Allen–Cunneen). */
function meanTheoryLabel(report: Report): string {
  if (report.runs.every((r) => r.result.theory === undefined)) return 'no theory: no model applies (see the run\u2019s theory row)';
  const approximation = report.runs.map((r) => r.result.theory?.approximation).find((a) => a !== undefined);
  // The approximation's name only ("Allen–Cunneen G/G/c"); the run's theory row says the rest.
  return approximation === undefined ? 'theory, exact' : `theory, approximate (${approximation.split(/ approximation| \(/)[0]})`;
}

/** The p99 line: exact where the runs' model has a wait distribution in sim/theory; otherwise why there is none. */
function p99TheoryLabel(report: Report): string {
  const theories = report.runs.map(waitTheory);
  const exact = theories.find((t) => t.exact);
  return exact !== undefined ? `theory p99, ${exact.label}` : theories[0]!.label;
}

function metrics(report: Report): SweepMetric[] {
  const target = report.plan ? parseTarget(report.plan.target) : null;
  const t = (stat: string, metric: string) => (target && target.stat === stat && target.metric === metric ? { value: target.value, text: report.plan!.target } : undefined);
  const list: SweepMetric[] = [
    { label: 'mean wait', unit: 'ms', pick: (r) => r.result.summary.wait, theory: (r) => r.result.theory?.values.Wq ?? null, theoryLabel: meanTheoryLabel(report), target: t('mean', 'wait') },
    { label: 'p99 wait', unit: 'ms', pick: (r) => r.result.summary.wait.p99, theory: (r) => waitTheory(r).waitPercentile('p99'), theoryLabel: p99TheoryLabel(report), target: t('p99', 'wait') },
    { label: 'queue length Lq', unit: 'messages', pick: (r) => r.result.summary.queueLength, theory: (r) => r.result.theory?.values.Lq ?? null, theoryLabel: meanTheoryLabel(report), target: t('mean', 'queueLength') },
  ];
  if (target && !list.some((m) => m.target)) {
    const s = (r: Run) => r.result.summary;
    const pick = (r: Run) => {
      const d = target.metric === 'wait' ? s(r).wait : target.metric === 'sojourn' ? s(r).sojourn : target.metric === 'utilization' ? s(r).utilization : s(r).queueLength;
      return (target.stat === 'mean' ? d : (d as unknown as Record<string, typeof d>)[target.stat]) ?? d;
    };
    list.unshift({ label: `${target.stat} ${target.metric}`, unit: target.metric === 'wait' || target.metric === 'sojourn' ? 'ms' : '', pick, target: { value: target.value, text: report.plan!.target } });
  }
  return list;
}

registerView({
  id: 'sweep',
  order: 10,
  applies: (report) => report.kind === 'sweep' || report.kind === 'plan',
  render(parent, report) {
    const param = report.sweep?.params[0]?.path ?? Object.keys(report.runs[0]?.params ?? {})[0];
    if (param === undefined) return;
    if (report.plan) {
      const plan = report.plan;
      const section = panel(parent, 'Plan', 'plan-summary');
      section.append(
        element('p', { class: 'plan-answer' }, plan.answer === null ? `No value of ${plan.vary} tried meets ${plan.target}.` : `Answer: ${plan.vary} = ${plan.answer} — ${plan.reason}.`),
        tableOf([['target', 'varied', 'answer', 'theory bracket'], [plan.target, plan.vary, fmt(plan.answer), plan.theoryBracket ? `${plan.theoryBracket.from} – ${plan.theoryBracket.to}` : '—']]),
      );
    }
    const charts = panel(parent, report.kind === 'plan' ? 'Points tried' : 'Sweep', 'chart-sweep');
    const grid = element('div', { class: 'chart-grid' });
    charts.append(grid);
    const axis = sweepAxis(report, param);
    for (const metric of metrics(report)) sweepChart(grid, report.runs, axis, metric);
  },
});
