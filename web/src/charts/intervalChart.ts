import * as d3 from 'd3';
import type { Interval } from '../figures.ts';
import { axes, frame, legend } from './frame.ts';

export interface IntervalRow {
  label: string;
  interval: Interval;
  className: string;
}

/** Point estimates with their 95 % intervals, one short-labelled row each, on a shared axis. */
export function intervalChart(parent: HTMLElement, title: string, rows: IntervalRow[], xLabel: string, keys: { label: string; className: string }[]): void {
  const f = frame(parent, title, 560, 70 + rows.length * 30 + 30);
  const top = d3.max(rows, (r) => r.interval.ci95?.[1] ?? r.interval.mean ?? 0) || 1;
  const x = d3.scaleLinear().domain([0, top * 1.08]).nice().range([0, f.width]);
  const y = d3.scaleBand().domain(rows.map((r) => r.label)).range([0, f.height]).padding(0.4);
  axes(f, x, y as unknown as d3.AxisScale<d3.NumberValue>, xLabel, '', { x: 6, y: rows.length });
  f.plot.select('.axis-y').call(d3.axisLeft(y) as never);
  const g = f.plot.selectAll('g.row').data(rows.filter((r) => r.interval.mean !== null)).join('g').attr('class', (r) => `row ${r.className}`);
  const mid = (r: IntervalRow) => y(r.label)! + y.bandwidth() / 2;
  g.filter((r) => r.interval.ci95 !== null)
    .append('line')
    .attr('class', 'errorbar')
    .attr('x1', (r) => x(Math.max(0, r.interval.ci95![0])))
    .attr('x2', (r) => x(r.interval.ci95![1]))
    .attr('y1', mid)
    .attr('y2', mid);
  g.append('circle').attr('class', 'point').attr('r', 4).attr('cx', (r) => x(r.interval.mean!)).attr('cy', mid);
  legend(f, keys.map((k) => ({ ...k, swatch: 'dot' as const })));
}
