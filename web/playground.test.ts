import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveViewer } from '../sim/cli/viewServer.ts';
import { ensureBuilt } from '../sim/cli/webBuild.ts';
import { ARTIFACTS, CHROMIUM, launchChromium } from './browserHarness.ts';
import { textLayoutProblems } from './layoutCheck.ts';

describe.skipIf(CHROMIUM === undefined)('the teaching playground in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    const dist = await ensureBuilt('app');
    ({ server, url } = await serveViewer(dist, [], 0));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  const runsDone = (n: number) => page.waitForSelector(`#playground[data-runs="${n}"]`, { timeout: 120_000 });

  it('reruns the simulation when a slider moves and redraws against theory', async () => {
    await page.goto(`${url}playground.html`);
    await runsDone(1);
    expect(await page.locator('.chart-compare .theory-mark').count()).toBe(4);
    expect(await page.locator('.chart-compare line.errorbar').count()).toBe(4);
    await page.locator('#slider-consumers').focus();
    await page.keyboard.press('ArrowRight'); // keyboard-usable: 3 → 4 consumers
    await runsDone(2);
    expect(await page.locator('output[for="slider-consumers"]').textContent()).toMatch(/^4/);
    expect(await page.locator('.theory-note').textContent()).toMatch(/Theory: mmc \(exact\)/);
    expect(await textLayoutProblems(page)).toEqual([]);
  });

  it('shades the unstable stretch of each slider where ρ = λ/(cμ) ≥ 1', async () => {
    // λ = 2.4, μ = 1, c = 4 now: λ is unstable from 4 msg/s on a 0.1–10 track, c at 1 and 2 of 1–8.
    const lambda = await page.locator('#slider-lambda + .stability-track .unstable-stretch').evaluate((e) => [parseFloat((e as HTMLElement).style.left), parseFloat((e as HTMLElement).style.width)]);
    expect(lambda[0]).toBeCloseTo(((4 - 0.1) / 9.9) * 100, 0);
    expect(lambda[0]! + lambda[1]!).toBeCloseTo(100, 1);
    const consumers = await page.locator('#slider-consumers + .stability-track .unstable-stretch').evaluate((e) => [parseFloat((e as HTMLElement).style.left), parseFloat((e as HTMLElement).style.width)]);
    expect(consumers[0]).toBe(0);
    expect(consumers[1]).toBeGreaterThan((1 / 7) * 100);
    expect(consumers[1]).toBeLessThan((2.5 / 7) * 100);
  });

  it('the service distribution is selectable, and an approximation is labelled as one', async () => {
    await page.selectOption('#service-select', 'lognormal');
    await runsDone(3);
    expect(await page.locator('#slider-scv').isDisabled()).toBe(false);
    expect(await page.locator('.theory-note').textContent()).toMatch(/an approximation .*not exact/);
    expect(await page.locator('.chart-compare .legend').textContent()).toContain('theory (approximation)');
    await page.selectOption('#service-select', 'deterministic');
    await runsDone(4);
    expect(await page.locator('#slider-scv').isDisabled()).toBe(true);
    await page.locator('#slider-consumers').fill('1');
    await runsDone(5);
    expect(await page.locator('.theory-note').textContent()).toMatch(/Theory: md1 \(exact\)/);
  });

  it('follows the first messages through queue, buffer and service, and plots every run on the L = λW line', async () => {
    expect(await page.locator('.chart-strip g.message').count()).toBe(40);
    expect(await page.locator('.chart-strip rect.strip-service').count()).toBeGreaterThan(30);
    // Five runs so far; the fifth (c = 1 at λ = 2.4, μ = 1: ρ = 2.4) is unstable, counted but not plotted.
    expect(await page.locator('.chart-little .plot circle.point').count()).toBe(4);
    expect(await page.locator('.chart-little .legend').textContent()).toContain('1 UNSTABLE run not shown');
    expect(await page.locator('.chart-little .plot .little-line').count()).toBe(1);
  });

  it('an unstable setting is drawn as UNSTABLE: grey bars, no intervals', async () => {
    await page.locator('#slider-lambda').fill('3.3'); // c = 1, μ = 1: ρ = 3.3
    await runsDone(6);
    expect(await page.locator('.rho-note').textContent()).toMatch(/ρ = .*3\.3.* — UNSTABLE/);
    expect(await page.locator('.theory-note').textContent()).toMatch(/^UNSTABLE: /);
    expect(await page.locator('.chart-compare rect.sim-bar.unstable').count()).toBe(4);
    expect(await page.locator('.chart-compare line.errorbar').count()).toBe(0);
    expect(await page.locator('.chart-compare .unstable-label').textContent()).toBe('UNSTABLE: no steady state');
    expect(await page.locator('.chart-little .plot circle.point').count()).toBe(4);
    expect(await page.locator('.chart-little .legend').textContent()).toContain('2 UNSTABLE runs not shown');
    expect(await textLayoutProblems(page)).toEqual([]);
  });

  it('"Record trial" builds a table of the experiments, downloadable as CSV', async () => {
    await page.click('#record-trial');
    await page.locator('#slider-lambda').fill('0.5');
    await runsDone(7);
    await page.click('#record-trial');
    const rows = page.locator('table.trials tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).textContent()).toMatch(/λ=3\.3 .*deterministic.*UNSTABLE/);
    expect(await rows.nth(2).textContent()).toMatch(/λ=0\.5 .*steady/);
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png'), fullPage: true });
  });
});
