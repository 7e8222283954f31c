import * as d3 from 'd3';
import { shortNames } from '../../../sim/report/labels.ts';
import type { Report } from '../../../sim/report/schema.ts';
import { axes, frame, textWidth } from './frame.ts';

type Run = Report['runs'][number];
interface Point {
  label: string;
  x: number;
  lo: number;
  hi: number;
  lost: number;
  noConfirms: boolean;
}

/**
 * The reliability trade-off: what a setting costs (publish → confirm latency p99, or achieved
 * throughput when the settings have no confirms) against what it loses (messages lost, confirmed and
 * unconfirmed, over all replications). Each point carries its 95 % interval as a horizontal bar;
 * labels are the names without their shared prefix, nudged apart so none overlap. A setting without
 * confirms waits for none: on the latency axis it is a hollow point at 0, said so under the chart.
 */
export function tradeoffChart(parent: HTMLElement, runs: Run[]): void {
  const names = shortNames(runs.map((r) => r.label));
  const withConfirms = runs.filter((r) => r.result.summary.confirmLatency?.p99.mean != null);
  const byLatency = withConfirms.length * 2 >= runs.length;
  const lost = (r: Run) => r.result.accounting.lost + r.result.accounting.lostUnconfirmed;
  const points: Point[] = [];
  const offAxis: string[] = [];
  runs.forEach((run, i) => {
    const interval = byLatency ? run.result.summary.confirmLatency?.p99 : run.result.summary.throughput;
    if (interval?.mean == null) {
      offAxis.push(names[i]!);
      return void points.push({ label: names[i]!, x: 0, lo: 0, hi: 0, lost: lost(run), noConfirms: true });
    }
    points.push({ label: names[i]!, x: interval.mean, lo: interval.ci95?.[0] ?? interval.mean, hi: interval.ci95?.[1] ?? interval.mean, lost: lost(run), noConfirms: false });
  });
  const title = byLatency ? 'Confirm latency p99 against messages lost' : 'Achieved throughput against messages lost';
  const f = frame(parent, title, 640, 340);
  const x = d3.scaleLinear().domain([0, (d3.max(points, (p) => p.hi) ?? 1) * 1.15]).nice().range([0, f.width]);
  const y = d3.scaleLinear().domain([0, Math.max(1, d3.max(points, (p) => p.lost) ?? 1) * 1.15]).nice().range([f.height, 0]);
  axes(f, x, y, byLatency ? 'publish → confirm latency p99 (ms), 95 % interval' : 'achieved throughput (msg/s), 95 % interval', 'messages lost (all replications)');
  const g = f.plot.selectAll('g.setting').data(points).join('g').attr('class', 'setting');
  g.append('line').attr('class', 'interval').attr('stroke', 'currentColor').attr('x1', (p) => x(p.lo)).attr('x2', (p) => x(p.hi)).attr('y1', (p) => y(p.lost)).attr('y2', (p) => y(p.lost));
  g.append('circle').attr('class', (p) => (p.noConfirms ? 'point no-confirms' : 'point')).attr('fill', (p) => (p.noConfirms ? 'none' : null)).attr('stroke', 'currentColor').attr('r', 4).attr('cx', (p) => x(p.x)).attr('cy', (p) => y(p.lost));
  g.append('title').text((p) => `${p.label}: ${d3.format('.4~g')(p.x)} [${d3.format('.4~g')(p.lo)} – ${d3.format('.4~g')(p.hi)}], lost ${p.lost}`);
  const labels = g.append('text').attr('class', 'point-label').style('font-size', '10px').text((p) => p.label);
  // Measured widths: an estimate per character let two long labels at one point overlap.
  const widths = labels.nodes().map((node, i) => textWidth(node, points[i]!.label));
  const placed = placeLabels(points.map((p, i) => ({ x: x(p.x) + 7, y: y(p.lost) - 5, width: widths[i]! })), f.height);
  labels.attr('x', (_, i) => placed[i]!.x).attr('y', (_, i) => placed[i]!.y);
  if (offAxis.length > 0 && byLatency) d3.select(parent).append('p').attr('class', 'note').text(`Hollow at 0: no publisher confirms, so nothing waited for (${offAxis.join(', ')}).`);
}

/**
 * Greedy label placement: each label tries its own spot, then 12 px steps above and below it in
 * turn, and takes the first whose box overlaps no earlier label and stays inside the plot's height.
 */
export function placeLabels(labels: { x: number; y: number; width: number }[], height: number): { x: number; y: number }[] {
  const boxes: { x: number; y: number; width: number }[] = [];
  const free = (x: number, y: number, width: number) => boxes.every((b) => !(x < b.x + b.width + 2 && b.x < x + width + 2 && Math.abs(b.y - y) < 12));
  return labels.map((l) => {
    let y = l.y;
    for (let step = 0; step < 60; step++) {
      const candidate = l.y + (step % 2 === 0 ? 1 : -1) * Math.ceil(step / 2) * 12;
      if (candidate < 10 || candidate > height - 2) continue;
      if (free(l.x, candidate, l.width)) {
        y = candidate;
        break;
      }
    }
    boxes.push({ x: l.x, y, width: l.width });
    return { x: l.x, y };
  });
}
