import * as d3 from 'd3';
import { axes, frame, legend } from './frame.ts';

/**
 * Queue length over time: the focus chart above, a context strip below with a brush that picks
 * the window shown, mouse-wheel zoom on the focus, and buttons for keyboard users. The theoretical
 * mean, when there is one, is a dashed line.
 */
export function timeSeriesChart(parent: HTMLElement, tMs: number[], values: number[], theory: number | null, label: string): void {
  const points = tMs.map((t, i) => ({ t: t / 1000, v: values[i]! }));
  const f = frame(parent, `${label} over time`, 560, 260);
  const full = d3.extent(points, (p) => p.t) as [number, number];
  const x = d3.scaleLinear().domain(full).range([0, f.width]);
  const y = d3.scaleLinear().domain([0, Math.max(d3.max(points, (p) => p.v) ?? 1, theory ?? 0) * 1.1 || 1]).range([f.height, 0]);
  const xAxis = axes(f, x, y, 'simulated time (s)', `${label} (messages)`);
  const clipId = `clip-${Math.random().toString(36).slice(2)}`;
  f.plot.append('clipPath').attr('id', clipId).append('rect').attr('width', f.width).attr('height', f.height);
  const line = d3.line<{ t: number; v: number }>().x((p) => x(p.t)).y((p) => y(p.v));
  const path = f.plot.append('path').datum(points).attr('class', 'line series-line').attr('clip-path', `url(#${clipId})`).attr('d', line);
  if (theory !== null && Number.isFinite(theory)) {
    f.plot.append('line').attr('class', 'theory-line').attr('x1', 0).attr('x2', f.width).attr('y1', y(theory)).attr('y2', y(theory));
    legend(f, [
      { label: 'simulated', className: 'line' },
      { label: 'theory (mean)', className: 'theory-line' },
    ]);
  }
  const context = d3.select(parent).append('svg').attr('viewBox', `0 0 560 60`).attr('width', '100%').attr('aria-label', 'time window selector');
  const cx = d3.scaleLinear().domain(full).range([0, f.width]);
  const cy = d3.scaleLinear().domain(y.domain()).range([40, 4]);
  const cg = context.append('g').attr('transform', 'translate(64,4)');
  cg.append('path').datum(points).attr('class', 'line').attr('d', d3.line<{ t: number; v: number }>().x((p) => cx(p.t)).y((p) => cy(p.v)));
  cg.append('g').attr('class', 'axis').attr('transform', 'translate(0,40)').call(d3.axisBottom(cx).ticks(6));
  const redraw = (domain: [number, number]) => {
    x.domain(domain);
    xAxis.call(d3.axisBottom(x).ticks(6));
    path.attr('d', line);
  };
  const brush = d3
    .brushX()
    .extent([
      [0, 0],
      [f.width, 40],
    ])
    .on('brush end', (event: d3.D3BrushEvent<unknown>) => {
      const s = event.selection as [number, number] | null;
      redraw(s ? [cx.invert(s[0]), cx.invert(s[1])] : full);
    });
  const brushG = cg.append('g').attr('class', 'brush').call(brush);
  const setWindow = (domain: [number, number]) => {
    const lo = Math.max(full[0], domain[0]);
    const hi = Math.min(full[1], domain[1]);
    if (hi - lo <= 0 || (lo === full[0] && hi === full[1])) brushG.call(brush.move, null);
    else brushG.call(brush.move, [cx(lo), cx(hi)]);
  };
  f.svg.on('wheel', (event: WheelEvent) => {
    event.preventDefault();
    const [lo, hi] = x.domain() as [number, number];
    const centre = x.invert(d3.pointer(event, f.plot.node())[0]);
    const k = event.deltaY > 0 ? 1.25 : 0.8;
    setWindow([centre - (centre - lo) * k, centre + (hi - centre) * k]);
  });
  const buttons = d3.select(parent).append('div').attr('class', 'zoom-buttons');
  const zoomBy = (k: number) => {
    const [lo, hi] = x.domain() as [number, number];
    const mid = (lo + hi) / 2;
    setWindow([mid - ((hi - lo) / 2) * k, mid + ((hi - lo) / 2) * k]);
  };
  buttons.append('button').attr('type', 'button').text('Zoom in').on('click', () => zoomBy(0.5));
  buttons.append('button').attr('type', 'button').text('Zoom out').on('click', () => zoomBy(2));
  buttons.append('button').attr('type', 'button').text('Reset').on('click', () => setWindow(full));
}
