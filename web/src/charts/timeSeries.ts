import * as d3 from 'd3';
import { axes, frame, legend, legendRows } from './frame.ts';

export interface SeriesLayer {
  label: string;
  className: string;
  values: number[];
}

export interface TimeSeriesOptions {
  title: string;
  yLabel: string;
  /** Stacked areas, bottom first; the first one is also drawn as the line (`.series-line`). */
  layers: SeriesLayer[];
  theory?: { value: number; label: string } | null;
  /** Observations before this were deleted as warm-up. */
  warmupSec?: number;
  /** Fault windows, e.g. a broker crash until its recovery. */
  windows?: { fromSec: number; toSec: number; kind: string }[];
}

/**
 * A time series: the focus chart above, a context strip below with a brush that picks the window
 * shown, mouse-wheel zoom on the focus, and buttons for keyboard users. The warm-up that was
 * deleted and the fault windows are shaded; the theoretical mean, when there is one, is dashed.
 */
export function timeSeriesChart(parent: HTMLElement, tMs: number[], o: TimeSeriesOptions): void {
  const t = tMs.map((v) => v / 1000);
  const stacked = o.layers.map((_, k) => t.map((_, i) => d3.sum(o.layers.slice(0, k + 1), (l) => l.values[i]!)));
  const items: Parameters<typeof legend>[1] = o.layers.map((l) => ({ label: l.label, className: `area ${l.className}`, swatch: 'box' as const }));
  if (o.theory && Number.isFinite(o.theory.value)) items.push({ label: o.theory.label, className: 'theory-line' });
  if (o.warmupSec) items.push({ label: 'warm-up (deleted)', className: 'warmup', swatch: 'box' });
  if (o.windows?.length) items.push({ label: 'broker down: crash → recovered', className: 'fault-window', swatch: 'box' });
  const rows = legendRows(items.map((i) => i.label), 560 - 66 - 8);
  const f = frame(parent, o.title, 560, 270 + 15 * rows, o.title, rows);
  const full = d3.extent(t) as [number, number];
  const x = d3.scaleLinear().domain(full).range([0, f.width]);
  const top = Math.max(d3.max(stacked[stacked.length - 1]!) ?? 1, o.theory?.value ?? 0) * 1.1 || 1;
  const y = d3.scaleLinear().domain([0, top]).range([f.height, 0]);
  const xAxis = axes(f, x, y, 'simulated time (s)', o.yLabel);
  const clipId = `clip-${Math.random().toString(36).slice(2)}`;
  f.plot.append('clipPath').attr('id', clipId).append('rect').attr('width', f.width).attr('height', f.height);
  const clipped = f.plot.append('g').attr('clip-path', `url(#${clipId})`);
  const shades = clipped.append('g').attr('class', 'shades');
  const areas = o.layers.map((layer, k) => {
    const area = d3
      .area<number>()
      .x((_, i) => x(t[i]!))
      .y0((_, i) => y(k === 0 ? 0 : stacked[k - 1]![i]!))
      .y1((_, i) => y(stacked[k]![i]!));
    return { path: clipped.append('path').datum(t).attr('class', `area ${layer.className}`).attr('d', area), area };
  });
  const line = d3.line<number>().x((_, i) => x(t[i]!)).y((v) => y(v));
  const path = clipped.append('path').datum(o.layers[0]!.values).attr('class', 'line series-line').attr('d', line);
  const drawShades = () => {
    shades.selectAll('*').remove();
    if (o.warmupSec !== undefined && o.warmupSec > 0) {
      shades.append('rect').attr('class', 'warmup').attr('x', x(full[0])).attr('width', Math.max(0, x(o.warmupSec) - x(full[0]))).attr('height', f.height);
    }
    for (const w of o.windows ?? []) {
      shades.append('rect').attr('class', `fault-window fault-${w.kind}`).attr('x', x(w.fromSec)).attr('width', Math.max(1, x(w.toSec) - x(w.fromSec))).attr('height', f.height);
    }
  };
  drawShades();
  if (o.theory && Number.isFinite(o.theory.value)) {
    f.plot.append('line').attr('class', 'theory-line').attr('x1', 0).attr('x2', f.width).attr('y1', y(o.theory.value)).attr('y2', y(o.theory.value));
  }
  legend(f, items);
  const redraw = (domain: [number, number]) => {
    x.domain(domain);
    xAxis.call(d3.axisBottom(x).ticks(6));
    path.attr('d', line);
    for (const a of areas) a.path.attr('d', a.area);
    drawShades();
  };
  contextStrip(parent, t, stacked[stacked.length - 1]!, full, f.width, redraw, f.svg);
}

function contextStrip(
  parent: HTMLElement,
  t: number[],
  values: number[],
  full: [number, number],
  width: number,
  redraw: (domain: [number, number]) => void,
  focus: d3.Selection<SVGSVGElement, unknown, null, undefined>,
): void {
  const context = d3.select(parent).append('svg').attr('class', 'context').attr('viewBox', `0 0 560 62`).attr('width', '100%').style('max-width', '560px').attr('aria-label', 'time window selector');
  const cx = d3.scaleLinear().domain(full).range([0, width]);
  const cy = d3.scaleLinear().domain([0, d3.max(values) || 1]).range([40, 4]);
  const cg = context.append('g').attr('transform', 'translate(66,2)');
  cg.append('path').datum(values).attr('class', 'line').attr('d', d3.line<number>().x((_, i) => cx(t[i]!)).y((v) => cy(v)));
  cg.append('g').attr('class', 'axis').attr('transform', 'translate(0,40)').call(d3.axisBottom(cx).ticks(6));
  const brush = d3
    .brushX()
    .extent([
      [0, 0],
      [width, 40],
    ])
    .on('brush end', (event: d3.D3BrushEvent<unknown>) => {
      const s = event.selection as [number, number] | null;
      redraw(s ? [cx.invert(s[0]), cx.invert(s[1])] : full);
    });
  const brushG = cg.append('g').attr('class', 'brush').call(brush);
  let shown: [number, number] = full;
  const setWindow = (domain: [number, number]) => {
    const lo = Math.max(full[0], domain[0]);
    const hi = Math.min(full[1], domain[1]);
    shown = [lo, hi];
    if (hi - lo <= 0 || (lo === full[0] && hi === full[1])) brushG.call(brush.move, null);
    else brushG.call(brush.move, [cx(lo), cx(hi)]);
  };
  focus.on('wheel', (event: WheelEvent) => {
    event.preventDefault();
    const [lo, hi] = shown;
    const k = event.deltaY > 0 ? 1.25 : 0.8;
    const mid = (lo + hi) / 2;
    setWindow([mid - (mid - lo) * k, mid + (hi - mid) * k]);
  });
  const buttons = d3.select(parent).append('div').attr('class', 'zoom-buttons');
  const zoomBy = (k: number) => {
    const [lo, hi] = shown;
    const mid = (lo + hi) / 2;
    setWindow([mid - ((hi - lo) / 2) * k, mid + ((hi - lo) / 2) * k]);
  };
  buttons.append('button').attr('type', 'button').text('Zoom in').on('click', () => zoomBy(0.5));
  buttons.append('button').attr('type', 'button').text('Zoom out').on('click', () => zoomBy(2));
  buttons.append('button').attr('type', 'button').text('Reset').on('click', () => setWindow(full));
}
