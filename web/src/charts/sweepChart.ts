import * as d3 from 'd3';
import type { Report } from '../../../sim/report/schema.ts';
import { axes, frame, legend } from './frame.ts';

type Run = Report['runs'][number];
type Interval = { mean: number | null; ci95: [number, number] | null };

export interface SweepMetric {
  label: string;
  unit: string;
  pick: (run: Run) => Interval;
  theory?: (run: Run) => number | null;
}

/**
 * A metric against a swept parameter: simulated means with their 95 % interval bars, and the theory
 * line through the points where theory applies — the hockey stick of wait against utilisation.
 */
export function sweepChart(parent: HTMLElement, runs: Run[], param: string, metric: SweepMetric): void {
  const points = runs
    .map((run) => ({ x: Number(run.params?.[param]), interval: metric.pick(run), theory: metric.theory?.(run) ?? null }))
    .filter((p) => Number.isFinite(p.x) && p.interval.mean !== null);
  const f = frame(parent, `${metric.label} against ${param}`, 560, 280);
  const x = d3.scaleLinear().domain(d3.extent(points, (p) => p.x) as [number, number]).nice().range([0, f.width]);
  const top = d3.max(points, (p) => Math.max(p.interval.ci95?.[1] ?? p.interval.mean!, p.theory ?? 0)) ?? 1;
  const y = d3.scaleLinear().domain([0, top * 1.05 || 1]).nice().range([f.height, 0]);
  axes(f, x, y, param, `${metric.label} (${metric.unit})`);
  const withTheory = points.filter((p) => p.theory !== null && Number.isFinite(p.theory));
  if (withTheory.length > 1) {
    f.plot
      .append('path')
      .datum(withTheory)
      .attr('class', 'theory-line')
      .attr('d', d3.line<(typeof points)[number]>().x((p) => x(p.x)).y((p) => y(p.theory!)));
  }
  f.plot
    .selectAll('line.errorbar')
    .data(points.filter((p) => p.interval.ci95 !== null))
    .join('line')
    .attr('class', 'errorbar')
    .attr('x1', (p) => x(p.x))
    .attr('x2', (p) => x(p.x))
    .attr('y1', (p) => y(Math.max(0, p.interval.ci95![0])))
    .attr('y2', (p) => y(p.interval.ci95![1]));
  f.plot
    .selectAll('circle.point')
    .data(points)
    .join('circle')
    .attr('class', 'point')
    .attr('r', 3.5)
    .attr('cx', (p) => x(p.x))
    .attr('cy', (p) => y(p.interval.mean!))
    .append('title')
    .text((p) => `${param} = ${p.x}: ${p.interval.mean}`);
  legend(f, withTheory.length > 1 ? [{ label: 'simulated ±95 %', className: 'errorbar' }, { label: 'theory', className: 'theory-line' }] : [{ label: 'simulated ±95 %', className: 'errorbar' }]);
}
