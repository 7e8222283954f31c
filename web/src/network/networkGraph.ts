import * as d3 from 'd3';
import { exportButtons } from '../export.ts';
import { element } from '../panels.ts';
import type { Network, NetNode } from './networkModel.ts';

const NODE_W = 136;
const NODE_H = 54;
/** Exchange hops carry only their name: smaller boxes, so a three-stage pipeline fits a page's width. */
const size = (n: NetNode) => (n.kind === 'exchange' ? { w: 92, h: 34 } : { w: NODE_W, h: NODE_H });
const GAP = 52;
const ROW = NODE_H + 30;
const PORT_STEP = 9;

type Box = { x: number; y: number; width: number; height: number };
const clear = (a: Box, b: Box) => a.x >= b.x + b.width + 2 || a.x + a.width + 2 <= b.x || a.y >= b.y + b.height + 1 || a.y + a.height + 1 <= b.y;

/**
 * The pipeline as a left-to-right graph: a box per producer group, exchange hop, queue and consumer
 * group, with the stage's queue length and arrival rate on each queue and its utilisation (text and
 * bar) on each consumer group; edges carry routing shares, feedback edges loop under the boxes.
 * Laid out in fixed columns, not by a force simulation, so the same report always draws the same
 * picture; edge labels that would collide with a box's text or another label are nudged off it.
 */
export function networkGraph(parent: HTMLElement, net: Network, title: string): void {
  const figure = d3.select(parent).append('figure').attr('class', 'chart network-chart');
  const svg = figure.append('svg').attr('class', 'network').attr('role', 'img').attr('aria-label', title);
  svg.append('defs').append('marker').attr('id', 'network-arrow').attr('viewBox', '0 0 8 8').attr('refX', 8).attr('refY', 4).attr('markerWidth', 7).attr('markerHeight', 7).attr('orient', 'auto').append('path').attr('d', 'M0,0 L8,4 L0,8 z').attr('class', 'arrow-head');
  const root = svg.append('g');
  const heading = root.append('text').attr('class', 'chart-title').attr('x', 0).attr('y', 0).text(title);
  const tallest = d3.max(d3.rollup(net.nodes, (v) => v.length, (n) => n.column).values()) ?? 1;
  const rowsIn = d3.rollup(net.nodes, (v) => v.length, (n) => n.column);
  const widths = Array.from({ length: net.columns }, (_, c) => d3.max(net.nodes.filter((n) => n.column === c), (n) => size(n).w) ?? 0);
  const left = widths.map((_, c) => d3.sum(widths.slice(0, c)) + c * GAP);
  const at = new Map<string, { x: number; y: number; w: number; h: number }>();
  for (const n of net.nodes) {
    const { w, h } = size(n);
    at.set(n.id, { x: left[n.column]! + (widths[n.column]! - w) / 2, y: 24 + ((tallest - rowsIn.get(n.column)!) * ROW) / 2 + n.row * ROW + (NODE_H - h) / 2, w, h });
  }
  const placed: Box[] = [heading.node()!.getBBox()];
  const edgeLayer = root.append('g').attr('class', 'edges');
  const nodeLayer = root.append('g').attr('class', 'nodes');
  for (const n of net.nodes) drawNode(nodeLayer, n, at.get(n.id)!, placed);
  const ports = portOffsets(net);
  const bottom = 24 + tallest * ROW - (ROW - NODE_H);
  const labels = edgeLayer.append('g').attr('class', 'edge-labels');
  let backs = 0;
  net.edges.forEach((e, k) => {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    const g = edgeLayer.insert('g', '.edge-labels').attr('class', `edge${e.back ? ' back' : ''}`);
    g.append('title').text(e.title);
    let labelAt: { x: number; y: number; anchor: string };
    if (!e.back) {
      const from: [number, number] = [a.x + a.w, a.y + a.h / 2 + ports.out[k]!];
      const to: [number, number] = [b.x - 2, b.y + b.h / 2 + ports.in[k]!];
      g.append('path').attr('class', 'edge-line').attr('marker-end', 'url(#network-arrow)').attr('d', d3.linkHorizontal()({ source: from, target: to }));
      labelAt = { x: to[0] - 6, y: to[1] - 4, anchor: 'end' };
    } else {
      // Down from the source, along under every box, up the gap left of the target and into its side:
      // never across another box, whichever row the target is in.
      const depth = bottom + 16 + 14 * backs++;
      const sx = a.x + a.w / 2;
      const gapX = b.x - 14 - 4 * (backs - 1);
      const ty = b.y + b.h / 2 + ports.in[k]!;
      g.append('path').attr('class', 'edge-line').attr('marker-end', 'url(#network-arrow)').attr('d', `M${sx},${a.y + a.h} V${depth} H${gapX} V${ty} H${b.x - 2}`);
      labelAt = { x: (sx + gapX) / 2, y: depth + 13, anchor: 'middle' };
    }
    if (e.label !== '') placeLabel(labels, e.label, labelAt, placed);
  });
  const box = (root.node() as SVGGElement).getBBox();
  const pad = 6;
  svg
    .attr('viewBox', `${box.x - pad} ${box.y - pad} ${box.width + 2 * pad} ${box.height + 2 * pad}`)
    .attr('width', '100%')
    .style('max-width', `${Math.ceil(box.width + 2 * pad)}px`);
  exportButtons(figure.node()!, svg.node()!, title);
  const notes = ['Rounded boxes are exchanges. Each box\u2019s numbers are the stage\u2019s means over replications: Lq queue length, λ arrivals per second, ρ utilisation of its consumers (bar: red at 100 %). Edge labels: share of a producer\u2019s keys or a route\u2019s forwarding probability; ×n: messages published per service.', ...net.notes];
  parent.append(element('p', { class: 'note' }, notes.join(' ')));
}

function drawNode(layer: d3.Selection<SVGGElement, unknown, null, undefined>, n: NetNode, p: { x: number; y: number; w: number; h: number }, placed: Box[]): void {
  const g = layer.append('g').attr('class', `node node-${n.kind}`).attr('transform', `translate(${p.x},${p.y})`);
  g.append('rect').attr('class', 'node-box').attr('width', p.w).attr('height', p.h).attr('rx', n.kind === 'exchange' ? 14 : 3);
  const lines = [n.label, ...n.detail];
  lines.forEach((line, i) => {
    const t = g.append('text').attr('class', i === 0 ? 'node-label' : 'node-detail').attr('x', 8).attr('y', (n.detail.length === 0 ? p.h / 2 + 4 : 15) + i * 14).text(line);
    fitText(t.node()!, line, p.w - 12);
    const b = t.node()!.getBBox();
    placed.push({ x: b.x + p.x, y: b.y + p.y, width: b.width, height: b.height });
  });
  if (n.utilisation !== undefined) {
    const u = Math.max(0, n.utilisation);
    g.append('rect').attr('class', 'util-track').attr('x', 8).attr('y', p.h - 7).attr('width', p.w - 16).attr('height', 4);
    g.append('rect')
      .attr('class', `util-bar${u >= 1 ? ' util-over' : u >= 0.8 ? ' util-high' : ''}`)
      .attr('x', 8)
      .attr('y', p.h - 7)
      .attr('width', Math.min(1, u) * (p.w - 16))
      .attr('height', 4);
  }
}

/** Shortens a text with an ellipsis until it fits (the full text stays in a tooltip). */
function fitText(node: SVGTextElement, text: string, widthPx: number): void {
  if (node.getComputedTextLength() <= widthPx) return;
  d3.select(node.parentNode as SVGGElement).append('title').text(text);
  let n = text.length;
  while (n > 1 && node.getComputedTextLength() > widthPx) node.firstChild!.textContent = `${text.slice(0, --n)}…`;
}

function placeLabel(layer: d3.Selection<SVGGElement, unknown, null, undefined>, label: string, at: { x: number; y: number; anchor: string }, placed: Box[]): void {
  const t = layer.append('text').attr('class', 'edge-label').attr('x', at.x).attr('y', at.y).attr('text-anchor', at.anchor).text(label);
  for (const dy of [0, -11, 11, -22, 22, -33, 33]) {
    t.attr('y', at.y + dy);
    const b = t.node()!.getBBox();
    if (placed.every((p) => clear(b, p))) {
      placed.push(b);
      return;
    }
  }
  placed.push(t.node()!.getBBox());
}

/** Vertical offsets of each edge's ends, so edges leaving or entering one box fan out instead of meeting at a point. */
function portOffsets(net: Network): { out: number[]; in: number[] } {
  const spread = (key: (e: Network['edges'][number]) => string, side: 'in' | 'out') => {
    const groups = d3.group(
      net.edges.map((e, k) => ({ e, k })).filter(({ e }) => !e.back || side === 'in'),
      ({ e }) => key(e),
    );
    const offsets = net.edges.map(() => 0);
    for (const members of groups.values()) members.forEach(({ k }, i) => (offsets[k] = (i - (members.length - 1) / 2) * Math.min(PORT_STEP, 24 / members.length)));
    return offsets;
  };
  return { out: spread((e) => e.from, 'out'), in: spread((e) => e.to, 'in') };
}
