import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQlab } from '../sim/cli/runQlab.ts';
import { serveViewer } from '../sim/cli/viewServer.ts';
import { ensureBuilt } from '../sim/cli/webBuild.ts';
import { ARTIFACTS, CHROMIUM, launchChromium } from './browserHarness.ts';
import { textLayoutProblems } from './layoutCheck.ts';

/**
 * The no-overlap check on every view and panel the viewer has, beyond the ones web/viewer.test.ts
 * draws: the simulation-against-reality (gap) panel, each model panel (pipeline graph and stations,
 * impatience, time-varying windows, consumers over time), the teaching models' run views (M/D/1,
 * M/G/1, priority, M/M/c/K) and two reports side by side. Each page is drawn from what the current
 * CLI writes, and its screenshot kept.
 */
describe.skipIf(CHROMIUM === undefined)('no text overlaps or leaves its chart, on every view and panel', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'qlab-layout-'));
  const teaching = ['erlang-a', 'peak-hour', 'peak-hour-autoscale', 'jackson-tandem-feedback', 'md1', 'mg1', 'priority', 'mmck'];
  const reports = new Map<string, string>();
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    for (const name of teaching) {
      const out = join(tmp, `${name}.json`);
      const r = runQlab(['run', `scenarios/teaching/${name}.json`, '--replications', '2', '--workers', '1', '--out', out], { timeoutMs: 240_000 });
      if (r.code !== 0) throw new Error(`qlab run ${name}: ${r.stderr}`);
      reports.set(name, out);
    }
    const sweep = join(tmp, 'md1-sweep.json');
    const sw = runQlab(['sweep', 'scenarios/teaching/md1.json', '--param', 'producers[0].arrivals.ratePerSec=0.3,0.5,0.7', '--replications', '2', '--workers', '1', '--out', sweep], { timeoutMs: 240_000 });
    if (sw.code !== 0) throw new Error(`qlab sweep md1: ${sw.stderr}`);
    reports.set('md1-sweep', sweep);
    const gap = join(tmp, 'gap.json');
    const g = runQlab(['gap', 'web/fixtures/tiny-gap.json', '--sim-replications', '3', '--workers', '1', '--out', gap], { timeoutMs: 180_000 });
    if (g.code !== 0) throw new Error(`qlab gap: ${g.stderr}`);
    reports.set('gap', gap);
    const dist = await ensureBuilt('app');
    ({ server, url } = await serveViewer(dist, [...reports.values(), join('reports', 'examples', 'mmc.json'), join('reports', 'examples', 'reliability.json')], 0));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const open = async (report: string, extra = '') => {
    await page.goto(`${url}?report=${encodeURIComponent(relative(process.cwd(), report))}${extra}`);
    await page.waitForSelector('body[data-rendered]');
  };

  it('the gap panel: tables and the overlaid wait CDFs of simulation and reality', async () => {
    await open(reports.get('gap')!);
    expect(await page.locator('.panel.gap table').count()).toBeGreaterThan(0);
    expect(await page.locator('.panel.gap svg').count()).toBeGreaterThan(0);
    expect(await textLayoutProblems(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'layout-gap.png'), fullPage: true });
  });

  it.each([
    ['erlang-a', '.model-impatience'],
    ['peak-hour', '.model-time'],
    ['peak-hour-autoscale', '.model-fleet svg'],
    ['jackson-tandem-feedback', '.model-network svg.network'],
    ['md1', '.chart-wait svg'],
    ['mg1', '.chart-wait svg'],
    ['priority', '.chart-wait svg'],
    ['mmck', '.chart-wait svg'],
  ])('%s: its run view and model panels', async (name, panel) => {
    await open(reports.get(name)!);
    expect(await page.locator(panel).count()).toBeGreaterThan(0);
    expect(await textLayoutProblems(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `layout-${name}.png`), fullPage: true });
  });

  it('p99 theory: drawn and labelled exact for M/M/c, and where sim/theory has no percentile the chart says so', async () => {
    await open(join('reports', 'examples', 'mmc.json'));
    expect(await page.locator('.chart-wait .legend').textContent()).toContain('theory CDF, exact (M/M/c)');
    for (const [name, model] of [['md1', 'M/D/1'], ['mg1', 'M/G/1'], ['priority', 'the priority queue'], ['mmck', 'M/M/c/K']] as const) {
      await open(reports.get(name)!);
      expect(await page.locator('.chart-wait .theory-cdf').count()).toBe(0);
      expect(await page.locator('.chart-wait .legend text.theory-missing').textContent()).toBe(`no theory percentiles for ${model} (means only)`);
    }
    for (const [name, text] of [['erlang-a', 'no theory percentiles for Erlang-A (means only)'], ['jackson-tandem-feedback', 'no theory percentiles for the Jackson network (means only)'], ['peak-hour', 'no theory percentiles: no model applies']] as const) {
      await open(reports.get(name)!);
      expect(await page.locator('.chart-wait .legend text.theory-missing').textContent()).toBe(text);
    }
    await open(reports.get('md1-sweep')!);
    const chart = (title: string) => page.locator('.chart-sweep svg', { hasText: title });
    expect(await chart('mean wait against').locator('.plot > .theory-line').count()).toBe(1);
    expect(await chart('mean wait against').locator('.legend').textContent()).toContain('theory, exact');
    expect(await chart('p99 wait against').locator('.plot > .theory-line').count()).toBe(0);
    expect(await chart('p99 wait against').locator('.legend text.theory-missing').textContent()).toBe('no theory percentiles for M/D/1 (means only)');
    expect(await textLayoutProblems(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'layout-md1-sweep.png'), fullPage: true });
  });

  it('two reports side by side (the compare layout)', async () => {
    await open(join('reports', 'examples', 'mmc.json'), `&compare=${encodeURIComponent(join('reports', 'examples', 'reliability.json'))}`);
    await page.waitForFunction(() => document.querySelectorAll('.columns .report').length === 2);
    expect(await textLayoutProblems(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'layout-side-by-side.png'), fullPage: true });
  });
});
