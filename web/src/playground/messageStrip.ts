import * as d3 from 'd3';
import { axes, frame, legend } from '../charts/frame.ts';
import type { MessagePath } from '../playgroundWorker.ts';

/**
 * The first messages of the run followed one by one, one row each: waiting in the queue (arrival →
 * delivery), in a consumer's prefetch buffer (delivery → start of service), then in service.
 */
export function messageStrip(parent: HTMLElement, paths: MessagePath[]): void {
  const f = frame(parent, `The first ${paths.length} messages, followed`, 560, 330);
  const end = d3.max(paths, (p) => p.endMs ?? p.serviceStartMs ?? p.arrivalMs) ?? 1;
  const x = d3.scaleLinear().domain([0, end / 1000]).nice().range([0, f.width]);
  const y = d3.scaleBand<number>().domain(paths.map((_, i) => i)).range([0, f.height]).padding(0.2);
  axes(f, x, d3.scaleLinear().domain([0, paths.length]).range([0, f.height]) as d3.AxisScale<d3.NumberValue>, 'simulated time (s)', 'message (in arrival order)');
  const rows = f.plot.selectAll('g.message').data(paths).join('g').attr('class', 'message').attr('transform', (_, i) => `translate(0,${y(i)})`);
  const segment = (cls: string, from: (p: MessagePath) => number | null, to: (p: MessagePath) => number | null) =>
    rows
      .filter((p) => from(p) !== null && to(p) !== null && to(p)! > from(p)!)
      .append('rect')
      .attr('class', cls)
      .attr('x', (p) => x(from(p)! / 1000))
      .attr('width', (p) => Math.max(1, x(to(p)! / 1000) - x(from(p)! / 1000)))
      .attr('height', y.bandwidth());
  segment('strip-wait', (p) => p.arrivalMs, (p) => p.deliveredMs ?? p.serviceStartMs);
  segment('strip-buffer', (p) => p.deliveredMs, (p) => p.serviceStartMs);
  segment('strip-service', (p) => p.serviceStartMs, (p) => p.endMs);
  rows.append('circle').attr('class', 'strip-arrival').attr('r', 2).attr('cx', (p) => x(p.arrivalMs / 1000)).attr('cy', y.bandwidth() / 2);
  legend(f, [
    { label: 'arrival', className: 'strip-arrival', swatch: 'dot' },
    { label: 'waiting in queue', className: 'strip-wait', swatch: 'box' },
    { label: 'in prefetch buffer', className: 'strip-buffer', swatch: 'box' },
    { label: 'in service', className: 'strip-service', swatch: 'box' },
  ]);
}
