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

  it('reruns the simulation when a slider moves and redraws against theory', async () => {
    await page.goto(`${url}playground.html`);
    await page.waitForSelector('#playground[data-runs="1"]', { timeout: 60_000 });
    expect(await page.locator('.chart-compare .theory-mark').count()).toBe(4);
    await page.locator('#slider-consumers').focus();
    await page.keyboard.press('ArrowRight'); // keyboard-usable: 3 → 4 consumers
    await page.waitForSelector('#playground[data-runs="2"]', { timeout: 60_000 });
    expect(await page.locator('output[for="slider-consumers"]').textContent()).toMatch(/^4/);
    expect(await page.locator('.theory-note').textContent()).toMatch(/Theory: mmc/);
    expect(await textLayoutProblems(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png'), fullPage: true });
  });
});
