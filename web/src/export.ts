/**
 * Getting figures and numbers out: every chart as SVG (vector, with the page's chart styles
 * embedded so it looks the same elsewhere) or PNG (twice the pixel density), and a report's data as
 * CSV. All done in the page: works from `qlab view` and from a `qlab report --html` file alike.
 */

export function download(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function fileSlug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9ρ]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'chart';
}

function pageCss(): string {
  const rules: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    try {
      for (const rule of Array.from(sheet.cssRules)) rules.push(rule.cssText);
    } catch {
      /* a cross-origin sheet: not ours */
    }
  }
  return rules.join('\n');
}

/** The chart as a standalone SVG document. */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const [, , w, h] = (svg.getAttribute('viewBox') ?? '0 0 560 260').split(/\s+/).map(Number);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(w));
  copy.setAttribute('height', String(h));
  copy.removeAttribute('style');
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = `svg { font-family: system-ui, sans-serif; background: #fff; }\n${pageCss()}`;
  copy.insertBefore(style, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

async function pngBlob(svg: SVGSVGElement): Promise<Blob> {
  const text = svgText(svg);
  const [, , w, h] = (svg.getAttribute('viewBox') ?? '0 0 560 260').split(/\s+/).map(Number);
  const image = new Image();
  const loaded = new Promise((resolve, reject) => {
    image.onload = resolve;
    image.onerror = () => reject(new Error('the browser could not draw the SVG'));
  });
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = w! * 2;
  canvas.height = h! * 2;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(2, 2);
  context.drawImage(image, 0, 0, w!, h!);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no PNG'))), 'image/png'));
}

export function exportButtons(container: Element, svg: SVGSVGElement, name: string): void {
  const bar = document.createElement('div');
  bar.className = 'export';
  const button = (label: string, action: () => void | Promise<void>) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.title = `Download this chart as ${label}`;
    b.addEventListener('click', () => void action());
    bar.append(b);
  };
  button('SVG', () => download(`${fileSlug(name)}.svg`, new Blob([svgText(svg)], { type: 'image/svg+xml' })));
  button('PNG', async () => download(`${fileSlug(name)}.png`, await pngBlob(svg)));
  container.append(bar);
}

/** RFC 4180 CSV: quoted where needed. */
export function csv(rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
