import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQlab } from '../sim/cli/runQlab.ts';
import { serveViewer } from '../sim/cli/viewServer.ts';
import { ensureBuilt } from '../sim/cli/webBuild.ts';
import { ARTIFACTS, CHROMIUM, launchChromium } from './browserHarness.ts';
import { textLayoutProblems } from './layoutCheck.ts';

// The report's model section in a real headless Chromium (skipped, as web/viewer.test.ts is, where none is installed).

describe.skipIf(CHROMIUM === undefined)('the viewer shows pipelines and fleets', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'qlab-model-web-'));
  const report = join(tmp, 'pipeline.json');
  let browser: Browser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const scenario = join(tmp, 'pipeline-scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'pipeline-fleet',
        description: 'two stages, the second autoscaled',
        durationSec: 200,
        replications: 2,
        producers: [{ routingKey: 'a', arrivals: { process: 'poisson', ratePerSec: 5 } }],
        broker: { queues: [{ name: 'a' }, { name: 'b' }] },
        consumers: [
          { queue: 'a', serviceTimeMs: { dist: 'exponential', mean: 100 }, forward: { routes: [{ routingKey: 'b', probability: 1 }] } },
          { queue: 'b', serviceTimeMs: { dist: 'exponential', mean: 300 }, autoscale: { min: 1, max: 4, targetBacklogPerConsumer: 1, intervalSec: 5, cooldownSec: 10 } },
        ],
      }),
    );
    const run = runQlab(['run', scenario, '--out', report], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const dist = await ensureBuilt('app');
    ({ server, url } = await serveViewer(dist, [report], 0));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a station table with one row per stage and the end-to-end row, and the consumer count over time', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(`${url}?report=${encodeURIComponent(report)}`);
    await page.waitForSelector('body[data-rendered]');
    const rows = await page.locator('.model-network table tr').allTextContents();
    expect(rows).toHaveLength(4); // header, a, b, end to end
    expect(rows[3]).toMatch(/^end to end/);
    expect(await page.locator('.model-network caption').textContent()).toMatch(/consumer count changes/);
    expect(await page.locator('.model-fleet path.series-line').count()).toBe(1);
    expect(await page.locator('.model-network svg.network g.node-queue').count()).toBe(2);
    expect(await textLayoutProblems(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-model-panels.png'), fullPage: true });
  }, 60_000);
});
