import * as d3 from 'd3';
import { axes, frame, legend, legendRows, spreadLabels } from './frame.ts';

export interface Bucket {
  lo: number;
  hi: number;
  count: number;
}

/**
 * A time distribution (wait or sojourn): histogram bars (share of messages per ms), the empirical
 * CDF on the right axis, the theoretical CDF dashed where a closed form exists, and p50 / p90 / p99
 * marked. The x range stops at the 99.9th percentile so the bulk is readable.
 */
export function distributionChart(
  parent: HTMLElement,
  title: string,
  buckets: Bucket[],
  percentiles: { label: string; value: number | null }[],
  theoryCdf: ((tMs: number) => number) | null,
  /** "exact (M/M/c)" beside the theory CDF, or why there is none: said in the legend either way. */
  theoryLabel = '',
): void {
  const legendLabels = ['simulated CDF', theoryCdf !== null ? `theory CDF, ${theoryLabel}` : theoryLabel, 'p50 / p90 / p99'].filter((l) => l !== '');
  const rows = legendRows(legendLabels, 560 - 66 - 8);
  const f = frame(parent, title, 560, 255 + 15 * rows, title, rows);
  const total = d3.sum(buckets, (b) => b.count);
  if (total === 0) {
    f.plot.append('text').attr('y', 20).text('nothing measured');
    return;
  }
  const sorted = [...buckets].sort((a, b) => a.lo - b.lo);
  let seen = 0;
  let cut = sorted[sorted.length - 1]!.hi;
  for (const b of sorted) {
    seen += b.count;
    if (seen / total >= 0.999) {
      cut = Math.max(b.hi, 1e-9);
      break;
    }
  }
  // Messages served at once (zero wait) are a point mass, not a density: say how many instead of a bar.
  const zeros = sorted.filter((b) => b.hi <= 0).reduce((n, b) => n + b.count, 0);
  const shown = sorted.filter((b) => b.hi > 0 && b.lo <= cut);
  const x = d3.scaleLinear().domain([0, cut]).range([0, f.width]);
  const density = (b: Bucket) => b.count / total / Math.max(b.hi - b.lo, cut / 1000);
  const y = d3.scaleLinear().domain([0, d3.max(shown, density) ?? 1]).nice().range([f.height, 0]);
  axes(f, x, y, 'time (ms)', 'share of messages per ms');
  f.plot
    .selectAll('rect.bar')
    .data(shown)
    .join('rect')
    .attr('class', 'bar')
    .attr('x', (b) => x(b.lo))
    .attr('width', (b) => Math.max(1, x(Math.min(b.hi, cut)) - x(b.lo)))
    .attr('y', (b) => y(density(b)))
    .attr('height', (b) => f.height - y(density(b)));
  const yc = d3.scaleLinear().domain([0, 1]).range([f.height, 0]);
  f.plot.append('g').attr('class', 'axis axis-cdf').attr('transform', `translate(${f.width},0)`).call(d3.axisRight(yc).ticks(5, '%'));
  let cumulative = zeros;
  const cdf = [{ t: 0, p: zeros / total }, ...shown.map((b) => ({ t: Math.min(b.hi, cut), p: (cumulative += b.count) / total }))];
  if (zeros > 0) {
    f.plot
      .append('text')
      .attr('class', 'zero-share')
      .attr('x', 6)
      .attr('y', f.height - 6)
      .text(`${((100 * zeros) / total).toFixed(1)} % did not wait at all`);
  }
  f.plot.append('path').datum(cdf).attr('class', 'cdf').attr('d', d3.line<{ t: number; p: number }>().x((d) => x(d.t)).y((d) => yc(d.p)));
  const items: Parameters<typeof legend>[1] = [{ label: 'simulated CDF', className: 'cdf' }];
  if (theoryCdf !== null) {
    const grid = d3.range(0, 201).map((i) => (cut * i) / 200);
    f.plot
      .append('path')
      .datum(grid)
      .attr('class', 'theory-line theory-cdf')
      .attr('d', d3.line<number>().x((t) => x(t)).y((t) => yc(theoryCdf(t))));
    items.push({ label: theoryLabel === '' ? 'theory CDF' : `theory CDF, ${theoryLabel}`, className: 'theory-line' });
  } else if (theoryLabel !== '') items.push({ label: theoryLabel, className: 'theory-missing', swatch: 'none' });
  const labels: SVGTextElement[] = [];
  for (const p of percentiles) {
    if (p.value === null || p.value > cut) continue;
    f.plot.append('line').attr('class', 'percentile').attr('x1', x(p.value)).attr('x2', x(p.value)).attr('y1', 0).attr('y2', f.height);
    // Right of its line, or left of it near the right edge, so it never leaves the plot.
    const right = x(p.value) > f.width - 30;
    labels.push(f.plot.append('text').attr('class', 'percentile-label').attr('x', right ? x(p.value) - 3 : x(p.value) + 3).attr('text-anchor', right ? 'end' : 'start').attr('y', 10).text(p.label).node()!);
  }
  spreadLabels(labels);
  legend(f, [...items, { label: 'p50 / p90 / p99', className: 'percentile' }]);
}
