import * as d3 from 'd3';
import type { Report } from '../../../sim/report/schema.ts';
import { axes, frame, spreadLabels } from './frame.ts';

type Run = Report['runs'][number];

/** Throughput against messages lost, one numbered point per setting: the reliability trade-off. */
export function reliabilityChart(parent: HTMLElement, runs: Run[]): void {
  const points = runs.map((run) => ({
    label: run.label,
    throughput: run.result.summary.throughput.mean ?? 0,
    lost: run.result.accounting.lost + run.result.accounting.lostUnconfirmed,
  }));
  const f = frame(parent, 'Throughput against messages lost', 560, 300);
  const x = d3.scaleLinear().domain([0, (d3.max(points, (p) => p.throughput) ?? 1) * 1.1]).nice().range([0, f.width]);
  const y = d3.scaleLinear().domain([0, Math.max(1, d3.max(points, (p) => p.lost) ?? 1) * 1.1]).nice().range([f.height, 0]);
  axes(f, x, y, 'throughput (msg/s)', 'messages lost (all replications)');
  const g = f.plot.selectAll('g.setting').data(points).join('g').attr('class', 'setting');
  g.append('circle').attr('class', 'point').attr('r', 4).attr('cx', (p) => x(p.throughput)).attr('cy', (p) => y(p.lost));
  // Numbered (the table below names each setting): long setting names at nearby points would collide.
  const labels = g
    .append('text')
    .attr('class', 'point-label')
    .attr('x', (p) => Math.min(x(p.throughput) + 6, f.width - 14))
    .attr('y', (p) => Math.max(12, y(p.lost) - 4))
    .text((_, i) => String(i + 1));
  spreadLabels(labels.nodes());
}
