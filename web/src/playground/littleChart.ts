import * as d3 from 'd3';
import { axes, frame, legend } from '../charts/frame.ts';

export interface LittlePoint {
  lambdaW: number;
  L: number;
  stable: boolean;
}

/**
 * Little's law live: every stable run so far as a point (λ·W, L) next to the line L = λW. Whatever
 * the sliders say — priorities, prefetch, failures, distributions — the points sit on the line.
 */
export function littleChart(parent: HTMLElement, points: LittlePoint[]): void {
  const f = frame(parent, "Little's law over your runs: L against λ·W", 560, 290);
  // Unstable runs have no steady state (their L and λW are just how far the backlog got): they are
  // counted, not plotted, so they cannot squash the stable points into a corner.
  const stable = points.filter((p) => p.stable);
  const unstable = points.length - stable.length;
  const top = (d3.max(stable, (p) => Math.max(p.L, p.lambdaW)) ?? 1) * 1.1 || 1;
  const x = d3.scaleLinear().domain([0, top]).nice().range([0, f.width]);
  const y = d3.scaleLinear().domain(x.domain()).range([f.height, 0]);
  axes(f, x, y, 'λ·W (throughput × mean sojourn, messages)', 'L (messages in system)');
  f.plot.append('line').attr('class', 'theory-line little-line').attr('x1', 0).attr('y1', f.height).attr('x2', f.width).attr('y2', 0);
  f.plot
    .selectAll('circle.point')
    .data(stable)
    .join('circle')
    .attr('class', (p) => `point${p === points[points.length - 1] ? ' latest' : ''}`)
    .attr('r', (p) => (p === points[points.length - 1] ? 5 : 3.5))
    .attr('cx', (p) => x(p.lambdaW))
    .attr('cy', (p) => y(p.L));
  legend(f, [
    { label: 'L = λW', className: 'theory-line' },
    { label: 'a run (latest larger)', className: 'point', swatch: 'dot' },
    ...(unstable > 0 ? [{ label: `${unstable} UNSTABLE run${unstable > 1 ? 's' : ''} not shown`, className: 'point unstable', swatch: 'dot' as const }] : []),
  ]);
}
