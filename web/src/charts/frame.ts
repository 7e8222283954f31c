import * as d3 from 'd3';
import { exportButtons } from '../export.ts';

export interface Frame {
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  plot: d3.Selection<SVGGElement, unknown, null, undefined>;
  width: number;
  height: number;
}

/**
 * Room around the plot: the title on the first line, the legend on the second (both above the
 * plot, so neither can collide with data labels inside it), tick labels and axis titles outside.
 */
export const MARGIN = { top: 46, right: 56, bottom: 44, left: 66 };
const LEGEND_ROW = 15;

/**
 * An SVG with a titled plot area, labelled for screen readers, drawn at its natural size (never
 * scaled up, so its type matches the page's scale), with SVG / PNG export buttons under it.
 */
export function frame(parent: HTMLElement, title: string, width = 560, height = 260, file = title, legendRows = 1): Frame {
  const top = MARGIN.top + (legendRows - 1) * LEGEND_ROW;
  const figure = d3.select(parent).append('figure').attr('class', 'chart');
  const svg = figure
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', '100%')
    .style('max-width', `${width}px`)
    .attr('role', 'img')
    .attr('aria-label', title);
  svg.append('text').attr('class', 'chart-title').attr('x', MARGIN.left).attr('y', 17).text(title);
  const plot = svg.append('g').attr('class', 'plot').attr('transform', `translate(${MARGIN.left},${top})`);
  exportButtons(figure.node()!, svg.node()!, file);
  return { svg, plot, width: width - MARGIN.left - MARGIN.right, height: height - top - MARGIN.bottom };
}

/** Short tick labels (1.5k, 20M) so a wide number never runs into the axis title. */
export function tickFormat(scale: d3.AxisScale<d3.NumberValue>): (v: d3.NumberValue) => string {
  const [lo, hi] = (scale as d3.ScaleLinear<number, number>).domain();
  const largest = Math.max(Math.abs(lo ?? 0), Math.abs(hi ?? 0));
  if (largest >= 10_000) return d3.format('~s');
  return largest > 0 && largest < 0.01 ? d3.format('.1~e') : d3.format('~g');
}

/** Bottom and left axes with their labels (units in the label). */
export function axes(f: Frame, x: d3.AxisScale<d3.NumberValue>, y: d3.AxisScale<d3.NumberValue>, xLabel: string, yLabel: string, ticks = { x: 6, y: 5 }) {
  const xAxis = f.plot
    .append('g')
    .attr('class', 'axis axis-x')
    .attr('transform', `translate(0,${f.height})`)
    .call(d3.axisBottom(x).ticks(ticks.x).tickFormat(tickFormat(x)));
  f.plot.append('g').attr('class', 'axis axis-y').call(d3.axisLeft(y).ticks(ticks.y).tickFormat(tickFormat(y)));
  f.plot.append('text').attr('class', 'axis-label').attr('x', f.width / 2).attr('y', f.height + 36).attr('text-anchor', 'middle').text(xLabel);
  f.plot
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(${12 - MARGIN.left},${f.height / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(yLabel);
  return xAxis;
}

/** The legend: rows between the title and the plot (wrapping; frame() reserves `legendRows`). */
export function legend(f: Frame, items: { label: string; className: string; swatch?: 'line' | 'box' | 'dot' | 'none' }[]): void {
  const g = f.svg.append('g').attr('class', 'legend').attr('transform', `translate(${MARGIN.left},34)`);
  let x = 0;
  let y = 0;
  for (const item of items) {
    const entry = g.append('g');
    if (item.swatch === 'box') entry.append('rect').attr('class', item.className).attr('x', 0).attr('y', -6).attr('width', 14).attr('height', 9);
    else if (item.swatch === 'dot') entry.append('circle').attr('class', item.className).attr('cx', 7).attr('cy', -2).attr('r', 3.5);
    else if (item.swatch !== 'none') entry.append('line').attr('class', item.className).attr('x1', 0).attr('x2', 16).attr('y1', -2).attr('y2', -2);
    const indent = item.swatch === 'none' ? 0 : 20;
    const text = entry.append('text').attr('x', indent).attr('y', 2).text(item.label);
    if (item.swatch === 'none') text.attr('class', item.className);
    fitWidth(text.node()!, item.label, f.width + MARGIN.right - 8 - indent);
    const width = indent + textWidth(text.node()!, text.text());
    if (x > 0 && x + width > f.width + MARGIN.right - 8) [x, y] = [0, y + LEGEND_ROW];
    entry.attr('transform', `translate(${x},${y})`);
    x += width + 14;
  }
}

/** Rows the legend will wrap into, from estimated label widths (generous: the chart is sized before any text is laid out). */
export function legendRows(labels: string[], widthPx: number): number {
  let rows = 1;
  let x = 0;
  for (const label of labels) {
    const w = 20 + label.length * 6.6;
    if (x > 0 && x + w > widthPx) [rows, x] = [rows + 1, 0];
    x += w + 14;
  }
  return rows;
}

/** Shortens a label that cannot fit its row with an ellipsis; the whole label stays as its tooltip. */
function fitWidth(node: SVGTextElement, label: string, widthPx: number): void {
  if (textWidth(node, label) <= widthPx) return;
  d3.select(node.parentNode as SVGGElement).append('title').text(label);
  let n = label.length;
  while (n > 4 && textWidth(node, node.textContent ?? '') > widthPx) node.textContent = `${label.slice(0, --n)}…`;
}

/** Width of a text element; a rough estimate where layout is not available (no browser). */
export function textWidth(node: SVGTextElement, text: string): number {
  try {
    const w = node.getComputedTextLength();
    if (w > 0) return w;
  } catch {
    /* not laid out */
  }
  return text.length * 6.2;
}

/**
 * Moves labels that share a baseline down, row by row, until none overlaps another: for marks
 * whose positions come from data (percentiles, annotations) and can fall close together.
 */
export function spreadLabels(nodes: SVGTextElement[], rowHeight = 12): void {
  const placed: DOMRect[] = [];
  const clear = (a: DOMRect, b: DOMRect) => a.x >= b.x + b.width + 2 || a.x + a.width + 2 <= b.x || a.y >= b.y + b.height || a.y + a.height <= b.y;
  for (const node of [...nodes].sort((a, b) => a.getBBox().x - b.getBBox().x)) {
    const y0 = Number(node.getAttribute('y') ?? 0);
    for (let row = 0; row < 50; row++) {
      node.setAttribute('y', String(y0 + row * rowHeight));
      const box = node.getBBox();
      if (placed.every((b) => clear(box, b))) {
        placed.push(box);
        break;
      }
    }
  }
}
