import * as d3 from 'd3';
import type { Report } from '../../sim/report/schema.ts';
import { axes, frame, legend } from './charts/frame.ts';
import { element, fmt, tableOf } from './panels.ts';

type Run = Report['runs'][number];
type Interval = { mean: number | null; ci95: [number, number] | null };

const cell = (i: Interval) => (i.mean === null ? '—' : i.ci95 ? `${fmt(i.mean)} [${fmt(i.ci95[0])} – ${fmt(i.ci95[1])}]` : fmt(i.mean));
const percent = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${fmt(v * 100, 3)} %`);

/**
 * `qlab gap` reports: the simulation against each real run, per metric (values with intervals,
 * relative gap, the real run's own half-width, verdict), where the real runs ran, and the wait
 * CDFs of every run overlaid. Renders nothing for other reports.
 */
export function gapPanel(parent: HTMLElement, report: Report): void {
  if (report.gap === undefined) return;
  const section = element('section', { class: 'panel gap' });
  section.append(element('h2', {}, 'Simulation against reality'));
  for (const against of report.gap.against) {
    section.append(
      tableOf(
        [
          ['metric', 'simulated [95 %]', `${against.mode} [95 %]`, 'gap', 'real ± (relative)', 'verdict'],
          ...against.rows.map((r) => [`${r.metric}${r.unit ? ` (${r.unit})` : ''}`, cell(r.simulated), cell(r.real), percent(r.relativeGap), percent(r.realRelativeHalfWidth), r.verdict]),
        ],
        `against ${against.runLabel}: target |gap| ≤ ${report.gap.target * 100} %, judged where the real half-width ≤ ${report.gap.realPrecisionTarget * 100} %`,
      ),
    );
  }
  for (const input of report.gap.simulationInputs) section.append(element('p', {}, `fed to the simulation: ${input}`));
  if (report.real) {
    const m = report.real.machine;
    section.append(element('p', {}, `real run: ${m.cpus} × ${m.cpuModel}, load ${m.loadAverage.join(' ')}; producer lateness mean ${fmt(report.real.arrivalLateness.meanMs)} ms, timer overshoot mean ${fmt(report.real.timerOvershoot.meanMs)} ms`));
  }
  waitCdfs(section, report.runs);
  parent.append(section);
}

/** Each run's empirical wait CDF from its histogram, on one chart. */
function waitCdfs(parent: HTMLElement, runs: Run[]): void {
  const curves = runs.map((run) => {
    const buckets = [...run.result.histograms.waitMs].sort((a, b) => a.lo - b.lo);
    const total = d3.sum(buckets, (b) => b.count) || 1;
    let seen = 0;
    return { label: run.label, points: buckets.map((b) => ((seen += b.count), [b.hi, seen / total] as [number, number])) };
  });
  const maxMs = d3.max(curves.flatMap((c) => c.points.filter(([, p]) => p <= 0.999).map(([t]) => t))) ?? 1;
  const f = frame(parent, 'wait CDF (ms)', 560, 260);
  const x = d3.scaleLinear().domain([0, maxMs]).range([0, f.width]);
  const y = d3.scaleLinear().domain([0, 1]).range([f.height, 0]);
  axes(f, x, y, 'wait (ms)', 'share of messages');
  const colour = d3.scaleOrdinal(d3.schemeTableau10);
  const line = d3.line<[number, number]>().x(([t]) => x(Math.min(t, maxMs))).y(([, p]) => y(p)).curve(d3.curveStepAfter);
  curves.forEach((c, i) => f.plot.append('path').attr('class', `gap-run-${i}`).attr('d', line([[0, 0], ...c.points]) ?? '').attr('fill', 'none').attr('stroke', colour(c.label)).attr('stroke-width', 1.5));
  legend(f, curves.map((c, i) => ({ label: c.label, className: `gap-run-${i}` })));
  // The legend's lines carry only a class: give them their run's colour here (the stylesheet is the viewer's).
  curves.forEach((c, i) => f.plot.selectAll(`.legend line.gap-run-${i}`).attr('stroke', colour(c.label)).attr('stroke-width', 2));
}
