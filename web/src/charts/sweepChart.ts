import * as d3 from 'd3';
import { steadiness, type Interval, type Run } from '../figures.ts';
import { axes, frame, legend, legendRows, MARGIN, spreadLabels } from './frame.ts';

export interface SweepMetric {
  label: string;
  unit: string;
  pick: (run: Run) => Interval;
  theory?: (run: Run) => number | null;
  /** The theory line's legend ("theory, exact"), or, when no run has a theory value, why not (shown instead of the line). */
  theoryLabel?: string;
  /** A target to meet (plan): a horizontal line; points whose interval misses it are greyed. */
  target?: { value: number; text: string };
}

export interface SweepAxis {
  /** Position of a run on the x-axis (ρ, or the raw parameter). */
  x: (run: Run) => number;
  label: string;
  /** The raw parameter as a second axis along the top, when x is ρ. */
  secondary?: { label: string; value: (run: Run) => number };
  /** The run a plan chose. */
  answer?: Run;
}

type Point = { run: Run; x: number; interval: Interval; theory: number | null; stable: boolean; feasible: boolean };

/**
 * A metric against a swept parameter: simulated means with their 95 % interval bars, the theory
 * line through the points where theory applies (the hockey stick), a log scale where the values
 * span decades, and unstable or infeasible points greyed so they neither hide nor dominate.
 */
export function sweepChart(parent: HTMLElement, runs: Run[], axis: SweepAxis, metric: SweepMetric): void {
  const points: Point[] = runs
    .map((run) => {
      const interval = metric.pick(run);
      const upper = interval.ci95?.[1] ?? interval.mean;
      return { run, x: axis.x(run), interval, theory: metric.theory?.(run) ?? null, stable: steadiness(run).steady, feasible: metric.target === undefined || (upper !== null && upper < metric.target.value) };
    })
    .filter((p) => Number.isFinite(p.x) && p.interval.mean !== null);
  const title = `${metric.label} against ${axis.label}`;
  // At least two legend rows (plans list target and greyed points too); the raw parameter's axis takes 24px more.
  const rows = Math.max(2, legendRows(['simulated ±95 %', metric.theoryLabel ?? 'theory', metric.target ? `target ${metric.target.text}` : '', 'UNSTABLE', 'misses target'].filter((l) => l !== ''), 560 - 66 - 8));
  const f = frame(parent, title, 560, (axis.secondary ? 320 : 295) + 15 * (rows - 2), title, rows);
  if (axis.secondary) {
    f.plot.attr('transform', `translate(${MARGIN.left},${MARGIN.top + 15 * (rows - 1) + 24})`);
    f.height -= 24;
  }
  const x = d3.scaleLinear().domain(d3.extent(points, (p) => p.x) as [number, number]).nice().range([0, f.width]);
  const values = points.flatMap((p) => [p.interval.mean!, p.interval.ci95?.[0] ?? p.interval.mean!, p.interval.ci95?.[1] ?? p.interval.mean!, p.theory ?? NaN, metric.target?.value ?? NaN]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = d3.min(values) ?? 1;
  const hi = d3.max(values) ?? 1;
  const log = hi / lo >= 100;
  const y = log ? d3.scaleLog().domain([lo / 1.5, hi * 1.5]).nice().range([f.height, 0]).clamp(true) : d3.scaleLinear().domain([0, hi * 1.05 || 1]).nice().range([f.height, 0]);
  axes(f, x, y as d3.AxisScale<d3.NumberValue>, axis.label, `${metric.label} (${metric.unit}${log ? ', log scale' : ''})`, { x: 6, y: log ? 4 : 5 });
  if (log) f.plot.select('.axis-y').call(d3.axisLeft(y).ticks(4, '~s') as never);
  const at = (v: number) => y(Math.max(v, log ? lo / 1.5 : 0));
  if (axis.secondary) secondaryAxis(f, x, points, axis.secondary);
  const withTheory = points.filter((p) => p.theory !== null && Number.isFinite(p.theory) && p.theory > 0).sort((a, b) => a.x - b.x);
  if (withTheory.length > 1) f.plot.append('path').datum(withTheory).attr('class', 'theory-line').attr('d', d3.line<Point>().x((p) => x(p.x)).y((p) => at(p.theory!)));
  if (metric.target) f.plot.append('line').attr('class', 'target-line').attr('x1', 0).attr('x2', f.width).attr('y1', at(metric.target.value)).attr('y2', at(metric.target.value));
  const cls = (p: Point) => (!p.stable ? 'unstable' : !p.feasible ? 'infeasible' : '');
  const marks = f.plot.append('g').attr('class', 'marks');
  marks
    .selectAll('line.errorbar')
    .data(points.filter((p) => p.interval.ci95 !== null))
    .join('line')
    .attr('class', (p) => `errorbar ${cls(p)}`)
    .attr('x1', (p) => x(p.x))
    .attr('x2', (p) => x(p.x))
    .attr('y1', (p) => at(p.interval.ci95![0]))
    .attr('y2', (p) => at(p.interval.ci95![1]));
  marks
    .selectAll('circle.point')
    .data(points)
    .join('circle')
    .attr('class', (p) => `point ${cls(p)}`)
    .attr('r', 3.5)
    .attr('cx', (p) => x(p.x))
    .attr('cy', (p) => at(p.interval.mean!))
    .append('title')
    .text((p) => `${p.run.label}: ${p.interval.mean}${p.stable ? '' : ' (UNSTABLE: no steady state)'}`);
  const answer = points.find((p) => p.run === axis.answer);
  if (answer) {
    f.plot.append('circle').attr('class', 'answer-ring').attr('r', 8).attr('cx', x(answer.x)).attr('cy', at(answer.interval.mean!));
    const right = x(answer.x) > f.width - 80;
    const label = f.plot.append('text').attr('class', 'answer-label').attr('x', x(answer.x) + (right ? -12 : 12)).attr('text-anchor', right ? 'end' : 'start').attr('y', Math.max(12, at(answer.interval.mean!) - 10)).text(`answer: ${answer.run.label}`);
    spreadLabels([label.node()!]);
  }
  const items: Parameters<typeof legend>[1] = [{ label: 'simulated ±95 %', className: 'point', swatch: 'dot' }];
  if (withTheory.length > 1) items.push({ label: metric.theoryLabel ?? 'theory', className: 'theory-line' });
  else if (metric.theoryLabel !== undefined && metric.theory !== undefined) items.push({ label: metric.theoryLabel, className: 'theory-missing', swatch: 'none' });
  if (metric.target) items.push({ label: `target ${metric.target.text}`, className: 'target-line' });
  if (points.some((p) => !p.stable)) items.push({ label: 'UNSTABLE', className: 'point unstable', swatch: 'dot' });
  if (points.some((p) => p.stable && !p.feasible)) items.push({ label: 'misses target', className: 'point infeasible', swatch: 'dot' });
  legend(f, items);
}

/** The raw parameter along the top, at the same positions as the ρ below; labels thinned so none overlap. */
function secondaryAxis(f: ReturnType<typeof frame>, x: d3.ScaleLinear<number, number>, points: Point[], secondary: NonNullable<SweepAxis['secondary']>): void {
  const g = f.plot.append('g').attr('class', 'axis axis-secondary');
  g.append('line').attr('x1', 0).attr('x2', f.width).attr('y1', 0).attr('y2', 0).attr('class', 'domain');
  let lastRight = -Infinity;
  for (const p of [...points].sort((a, b) => a.x - b.x)) {
    const px = x(p.x);
    const text = d3.format('~g')(secondary.value(p.run));
    g.append('line').attr('x1', px).attr('x2', px).attr('y1', 0).attr('y2', -5).attr('class', 'tick-line');
    const half = text.length * 3.3 + 2;
    if (px - half <= lastRight || px + half > f.width + MARGIN.right - 4) continue;
    g.append('text').attr('x', px).attr('y', -8).attr('text-anchor', 'middle').text(text);
    lastRight = px + half;
  }
  g.append('text').attr('class', 'axis-label').attr('x', f.width).attr('y', -8).attr('text-anchor', 'end').attr('dy', '-14').text(secondary.label);
}
