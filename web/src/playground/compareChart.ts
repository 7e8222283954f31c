import * as d3 from 'd3';
import { axes, frame, legend } from '../charts/frame.ts';
import type { Interval } from '../figures.ts';

export interface Bar {
  label: string;
  sim: Interval;
  theory: number | null;
}

/**
 * Simulated means (bars, 95 % interval) against theory (dashes). An unstable run has no steady
 * state: its bars are greyed, drawn without intervals, and the chart says UNSTABLE across them.
 */
export function compareChart(parent: HTMLElement, bars: Bar[], stable: boolean, theoryLabel: string): void {
  const f = frame(parent, 'Simulated (95 % interval) against theory', 560, 290);
  const x = d3.scaleBand().domain(bars.map((b) => b.label)).range([0, f.width]).padding(0.35);
  const top = d3.max(bars, (b) => Math.max(b.sim.ci95?.[1] ?? b.sim.mean ?? 0, b.theory ?? 0)) ?? 1;
  const y = d3.scaleLinear().domain([0, top * 1.1 || 1]).nice().range([f.height, 0]);
  axes(f, x as unknown as d3.AxisScale<d3.NumberValue>, y, 'quantity', 'value');
  f.plot.select('.axis-x').call(d3.axisBottom(x) as never);
  for (const b of bars) {
    const cx = x(b.label)! + x.bandwidth() / 2;
    if (b.sim.mean !== null) {
      f.plot.append('rect').attr('class', `bar sim-bar${stable ? '' : ' unstable'}`).attr('x', x(b.label)!).attr('width', x.bandwidth()).attr('y', y(b.sim.mean)).attr('height', f.height - y(b.sim.mean));
    }
    if (stable && b.sim.ci95) f.plot.append('line').attr('class', 'errorbar').attr('x1', cx).attr('x2', cx).attr('y1', y(Math.max(0, b.sim.ci95[0]))).attr('y2', y(b.sim.ci95[1]));
    if (b.theory !== null && Number.isFinite(b.theory)) {
      f.plot.append('line').attr('class', 'theory-line theory-mark').attr('x1', x(b.label)! - 6).attr('x2', x(b.label)! + x.bandwidth() + 6).attr('y1', y(b.theory)).attr('y2', y(b.theory));
    }
  }
  if (!stable) f.plot.append('text').attr('class', 'unstable-label').attr('x', f.width / 2).attr('y', f.height / 2).attr('text-anchor', 'middle').text('UNSTABLE: no steady state');
  legend(f, [
    { label: stable ? 'simulated ±95 %' : 'simulated (this run only)', className: stable ? 'bar' : 'bar unstable', swatch: 'box' },
    ...(bars.some((b) => b.theory !== null) ? [{ label: theoryLabel, className: 'theory-line' }] : []),
  ]);
}
