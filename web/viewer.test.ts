import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQlab } from '../sim/cli/runQlab.ts';
import { serveViewer } from '../sim/cli/viewServer.ts';
import { ensureBuilt } from '../sim/cli/webBuild.ts';

/**
 * The viewer in a real headless Chromium (Debian's, driven by playwright-core). Where no Chromium
 * is installed the suite is skipped with a note — unless QLAB_REQUIRE_BROWSER is set, as .ci/run
 * sets it after installing Chromium, so CI can never skip it silently.
 */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const required = process.env.QLAB_REQUIRE_BROWSER === '1';
if (CHROMIUM === undefined && required) throw new Error('QLAB_REQUIRE_BROWSER is set but no Chromium is installed (apt-get install chromium)');
if (CHROMIUM === undefined) console.warn('web/viewer.test.ts: no Chromium found; browser tests skipped (apt-get install chromium)');

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const examples = (name: string) => join('reports', 'examples', name);

describe.skipIf(CHROMIUM === undefined)('the report viewer in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;
  const tmp = mkdtempSync(join(tmpdir(), 'qlab-web-'));
  const badReport = join(tmp, 'bad.json');
  const oldReport = join(tmp, 'old.json');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(badReport, JSON.stringify({ version: 1, kind: 'run', tool: { name: 'queuelab', version: '0' }, title: 'broken', description: '', runs: [] }));
    writeFileSync(oldReport, JSON.stringify({ version: 0, whatever: true }));
    const dist = await ensureBuilt('app');
    ({ server, url } = await serveViewer(dist, [examples('mmc.json'), examples('utilization-sweep.json'), examples('reliability.json'), badReport, oldReport], 0));
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const open = async (report: string) => {
    await page.goto(`${url}?report=${encodeURIComponent(report)}`);
    await page.waitForSelector('body[data-rendered]');
  };

  it('draws a run: axes, the queue-length series with every point, the theory line, histograms with their bars', async () => {
    await open(examples('mmc.json'));
    const report = JSON.parse(readFileSync(examples('mmc.json'), 'utf8'));
    const run = report.runs[0].result;
    expect(await page.locator('.chart-queue svg .axis-x').count()).toBeGreaterThan(0);
    expect(await page.locator('.chart-queue svg .axis-y').count()).toBeGreaterThan(0);
    const d = await page.locator('.chart-queue path.series-line').getAttribute('d');
    expect(d!.split(/[ML]/).filter(Boolean)).toHaveLength(run.series.tMs.length);
    expect(await page.locator('.chart-queue .theory-line').count()).toBeGreaterThan(0);
    // Bars: every bucket up to the one holding the 99.9th percentile.
    const buckets = [...run.histograms.waitMs].sort((a: { lo: number }, b: { lo: number }) => a.lo - b.lo);
    const total = buckets.reduce((n: number, b: { count: number }) => n + b.count, 0);
    let seen = 0;
    let cut = buckets[buckets.length - 1].hi;
    for (const b of buckets) {
      seen += b.count;
      if (seen / total >= 0.999) {
        cut = b.hi;
        break;
      }
    }
    // The zero-wait bucket is a point mass, labelled instead of drawn as a bar.
    expect(await page.locator('.chart-wait rect.bar').count()).toBe(buckets.filter((b: { lo: number; hi: number }) => b.hi > 0 && b.lo <= cut).length);
    expect(await page.locator('.chart-wait .zero-share').textContent()).toMatch(/% did not wait at all/);
    expect(await page.locator('.chart-wait .theory-cdf').count()).toBe(1);
    expect(await page.locator('.chart-wait .percentile').count()).toBe(3);
    expect(await page.locator('text=inside').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-run.png'), fullPage: true });
  });

  it('draws a sweep: one point per swept value, interval bars and the theory line (the hockey stick)', async () => {
    await open(examples('utilization-sweep.json'));
    const report = JSON.parse(readFileSync(examples('utilization-sweep.json'), 'utf8'));
    const firstChart = page.locator('.chart-sweep svg').first();
    // Data marks only: the legend draws a sample of each style too.
    expect(await firstChart.locator('g:not(.legend) > circle.point').count()).toBe(report.runs.length);
    expect(await firstChart.locator('g:not(.legend) > line.errorbar').count()).toBe(report.runs.length);
    expect(await firstChart.locator('g:not(.legend) > .theory-line').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-sweep.png'), fullPage: true });
  });

  it('draws the reliability comparison: a point per setting and its table', async () => {
    await open(examples('reliability.json'));
    const report = JSON.parse(readFileSync(examples('reliability.json'), 'utf8'));
    expect(await page.locator('.chart-reliability circle.point').count()).toBe(report.runs.length);
    expect(await page.locator('.chart-reliability table tr').count()).toBe(report.runs.length + 1);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-reliability.png'), fullPage: true });
  });

  it('shows two reports side by side', async () => {
    await open(examples('mmc.json'));
    await page.selectOption('#compare-select', { label: examples('reliability.json') });
    await page.waitForFunction(() => document.querySelectorAll('.report').length === 2);
    expect(await page.locator('.columns .report').count()).toBe(2);
  });

  it('a bad or old report shows a clear message in the page, not a blank chart', async () => {
    await open(badReport.replace(`${process.cwd()}/`, ''));
    await page.selectOption('#report-select', { index: 3 });
    await page.waitForSelector('.error');
    expect(await page.locator('.error').textContent()).toMatch(/not a valid report: runs/);
    await page.selectOption('#report-select', { index: 4 });
    await page.waitForFunction(() => /version 0 report/.test(document.querySelector('.error')?.textContent ?? ''));
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-error.png') });
  });

  it('the playground reruns the simulation when a slider moves and redraws against theory', async () => {
    await page.goto(`${url}playground.html`);
    await page.waitForSelector('#playground[data-runs="1"]', { timeout: 60_000 });
    expect(await page.locator('.chart-compare .theory-mark').count()).toBe(4);
    await page.locator('#slider-consumers').focus();
    await page.keyboard.press('ArrowRight'); // keyboard-usable: 3 → 4 consumers
    await page.waitForSelector('#playground[data-runs="2"]', { timeout: 60_000 });
    expect(await page.locator('output[for="slider-consumers"]').textContent()).toMatch(/^4/);
    expect(await page.locator('.theory-note').textContent()).toMatch(/Theory: mmc/);
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png'), fullPage: true });
  });

  it('qlab report --html writes one file that opens from disk with no server', async () => {
    const html = join(tmp, 'mmc.html');
    const { code } = runQlab(['report', '--html', examples('mmc.json'), '-o', html]);
    expect(code).toBe(0);
    const offline = await browser.newPage();
    await offline.goto(`file://${html}`);
    await offline.waitForSelector('body[data-rendered]');
    expect(await offline.locator('.chart-queue .theory-line').count()).toBeGreaterThan(0);
    await offline.screenshot({ path: join(ARTIFACTS, 'report-html.png'), fullPage: true });
    await offline.close();
  });
});
