import * as d3 from 'd3';

export interface Frame {
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  plot: d3.Selection<SVGGElement, unknown, null, undefined>;
  width: number;
  height: number;
}

const MARGIN = { top: 28, right: 56, bottom: 44, left: 64 };

/** An SVG with a titled plot area, labelled for screen readers. */
export function frame(parent: HTMLElement, title: string, width = 560, height = 260): Frame {
  const svg = d3
    .select(parent)
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', '100%')
    .attr('role', 'img')
    .attr('aria-label', title);
  svg.append('text').attr('class', 'chart-title').attr('x', MARGIN.left).attr('y', 16).text(title);
  const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  return { svg, plot, width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom };
}

/** Bottom and left axes with their labels (units in the label). */
export function axes(f: Frame, x: d3.AxisScale<d3.NumberValue>, y: d3.AxisScale<d3.NumberValue>, xLabel: string, yLabel: string) {
  const xAxis = f.plot.append('g').attr('class', 'axis axis-x').attr('transform', `translate(0,${f.height})`).call(d3.axisBottom(x).ticks(6));
  f.plot.append('g').attr('class', 'axis axis-y').call(d3.axisLeft(y).ticks(5));
  f.plot.append('text').attr('class', 'axis-label').attr('x', f.width / 2).attr('y', f.height + 36).attr('text-anchor', 'middle').text(xLabel);
  f.plot
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(-48,${f.height / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(yLabel);
  return xAxis;
}

export function legend(f: Frame, items: { label: string; className: string }[]): void {
  // Inside the plot's top-right corner, under the title, so long titles never collide with it.
  const g = f.plot.append('g').attr('class', 'legend').attr('transform', `translate(${f.width - 118},6)`);
  items.forEach((item, i) => {
    g.append('line').attr('class', item.className).attr('x1', 0).attr('x2', 18).attr('y1', i * 14).attr('y2', i * 14);
    g.append('text').attr('x', 22).attr('y', i * 14 + 4).text(item.label);
  });
}
