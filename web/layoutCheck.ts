import type { Page } from 'playwright-core';

/**
 * Runs in the page: every visible text of every SVG, checked against every other text of the same
 * SVG (no overlap beyond `tolerancePx`) and against the SVG's own box (nothing drawn outside).
 * Returns one line per problem, naming the texts, so a failure says what collided.
 */
export async function textLayoutProblems(page: Page, tolerancePx = 1): Promise<string[]> {
  return page.evaluate((tolerance) => {
    const problems: string[] = [];
    const svgs = Array.from(document.querySelectorAll('svg'));
    svgs.forEach((svg, n) => {
      const box = svg.getBoundingClientRect();
      if (box.width === 0) return;
      const name = svg.getAttribute('aria-label') ?? `svg #${n}`;
      const texts = Array.from(svg.querySelectorAll('text'))
        .filter((t) => (t.textContent ?? '').trim() !== '' && t.getClientRects().length > 0)
        .map((t) => ({ label: (t.textContent ?? '').trim(), r: t.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0);
      for (const { label, r } of texts) {
        if (r.left < box.left - tolerance || r.right > box.right + tolerance || r.top < box.top - tolerance || r.bottom > box.bottom + tolerance) {
          problems.push(`${name}: "${label}" is outside the chart`);
        }
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i]!.r;
          const b = texts[j]!.r;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > tolerance && h > tolerance) problems.push(`${name}: "${texts[i]!.label}" overlaps "${texts[j]!.label}"`);
        }
      }
    });
    return problems;
  }, tolerancePx);
}
