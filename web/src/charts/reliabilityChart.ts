import * as d3 from 'd3';
import type { Report } from '../../../sim/report/schema.ts';
import { axes, frame } from './frame.ts';

type Run = Report['runs'][number];

/** Throughput against messages lost, one labelled point per setting: the reliability trade-off. */
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
  g.append('text').attr('x', (p) => x(p.throughput) + 6).attr('y', (p) => y(p.lost) - 4).style('font-size', '10px').text((p) => p.label);
}
