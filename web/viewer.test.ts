import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * The viewer in a real headless Chromium. Besides the shipped examples, the set-up runs three small
 * fixtures (web/fixtures/) with the real CLI: a run with crashes, prefetch 5 and confirms, an
 * unstable run, and a plan — so every view is drawn from what the current code writes.
 */
const examples = (name: string) => join('reports', 'examples', name);

describe.skipIf(CHROMIUM === undefined)('the report viewer in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;
  const tmp = mkdtempSync(join(tmpdir(), 'qlab-web-'));
  const rel = (file: string) => relative(process.cwd(), file);
  const badReport = join(tmp, 'bad.json');
  const oldReport = join(tmp, 'old.json');
  const crashRun = join(tmp, 'crash-prefetch.json');
  const unstableRun = join(tmp, 'unstable.json');
  const autoAckRun = join(tmp, 'auto-ack-prefetch.json');
  const pipelineRun = join(tmp, 'pipeline.json');
  const plan = join(tmp, 'sizing-plan.json');
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

  beforeAll(async () => {
    writeFileSync(badReport, JSON.stringify({ version: 1, kind: 'run', tool: { name: 'queuelab', version: '0' }, title: 'broken', description: '', runs: [] }));
    writeFileSync(oldReport, JSON.stringify({ version: 0, whatever: true }));
    for (const [args, out] of [
      [['run', 'web/fixtures/crash-prefetch.json'], crashRun],
      [['run', 'web/fixtures/unstable.json'], unstableRun],
      [['run', 'web/fixtures/auto-ack-prefetch.json'], autoAckRun],
      [['run', 'web/fixtures/pipeline.json'], pipelineRun],
      [['plan', 'web/fixtures/sizing.json', '--target', 'p99 wait < 100ms', '--vary', 'consumers'], plan],
    ] as const) {
      const { code, stderr } = runQlab([...args, '--workers', '1', '--out', out]);
      if (code !== 0) throw new Error(`qlab ${args.join(' ')} failed: ${stderr}`);
    }
    const dist = await ensureBuilt('app');
    ({ server, url } = await serveViewer(dist, [examples('mmc.json'), examples('utilization-sweep.json'), examples('reliability.json'), badReport, oldReport, crashRun, unstableRun, autoAckRun, pipelineRun, plan], 0));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 }, acceptDownloads: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const open = async (report: string, extra = '') => {
    await page.goto(`${url}?report=${encodeURIComponent(rel(report))}${extra}`);
    await page.waitForSelector('body[data-rendered]');
  };
  const expectCleanLayout = async () => expect(await textLayoutProblems(page)).toEqual([]);
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

  it('opens on an index of every report (kind, title, date, key figures), filterable, each row a deep link', async () => {
    await page.goto(url);
    await page.waitForSelector('body[data-rendered]');
    const rows = page.locator('tr.report-row');
    expect(await rows.count()).toBe(10);
    const mmc = rows.filter({ hasText: examples('mmc.json') });
    expect(await mmc.textContent()).toMatch(/run.*mmc.*\d{4}-\d\d-\d\d \d\d:\d\d.*throughput 2\.\d+\/s.*wait .* ms, p99 .* ms/);
    expect(await rows.filter({ hasText: 'unstable.json' }).textContent()).toMatch(/1 of 1 UNSTABLE/);
    expect(await rows.filter({ hasText: 'sizing-plan.json' }).textContent()).toMatch(/target p99 wait < 100ms.*answer consumers\[0\]\.count = \d/);
    await expectCleanLayout();
    await shot('viewer-index.png');
    await page.fill('#filter', 'fsync');
    expect(await rows.locator('visible=true').count()).toBe(1);
    expect(page.url()).toContain('q=fsync');
    await page.fill('#filter', '');
    await page.selectOption('#kind-filter', 'plan');
    expect(await rows.locator('visible=true').count()).toBe(1);
    await page.selectOption('#kind-filter', '');
    await mmc.locator('a').click();
    await page.waitForSelector('.report-title');
    expect(page.url()).toContain(`report=${encodeURIComponent(examples('mmc.json'))}`);
    await page.goBack();
    await page.waitForSelector('tr.report-row');
  });

  it('draws a run: the backlog series with every point, theory line, Little\'s law panel, histograms, no overlapping text', async () => {
    await open(examples('mmc.json'));
    const run = read(examples('mmc.json')).runs[0].result;
    expect(await page.locator('.chart-queue svg .axis-x').count()).toBeGreaterThan(0);
    const d = await page.locator('.chart-queue path.series-line').getAttribute('d');
    expect(d!.split(/[ML]/).filter(Boolean)).toHaveLength(run.series.tMs.length);
    expect(await page.locator('.chart-queue .theory-line').count()).toBeGreaterThan(0);
    expect(await page.locator('.chart-queue .plot rect.warmup').count()).toBe(1);
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
    expect(await page.locator('.chart-wait rect.bar').count()).toBe(buckets.filter((b: { lo: number; hi: number }) => b.hi > 0 && b.lo <= cut).length);
    expect(await page.locator('.chart-wait .zero-share').textContent()).toMatch(/% did not wait at all/);
    expect(await page.locator('.chart-wait .theory-cdf').count()).toBe(1);
    expect(await page.locator('.chart-wait .legend').textContent()).toContain('theory CDF, exact (M/M/c)');
    expect(await page.locator('.chart-wait .plot .percentile').count()).toBe(3);
    // Little's law: L and Lq against λW and λWq, each with its interval, and the check in words.
    expect(await page.locator('.chart-little g.row').count()).toBe(4);
    expect(await page.locator('.chart-little g.row line.errorbar').count()).toBe(4);
    expect(await page.locator('.chart-little table').textContent()).toMatch(/in system.*holds: intervals overlap/);
    expect(await page.locator('text=inside').count()).toBeGreaterThan(0);
    await expectCleanLayout();
    await shot('viewer-run.png');
  });

  it('a run with crashes and prefetch 5: warm-up and crash → recovered windows marked, backlog split, confirm latency', async () => {
    await open(crashRun);
    const result = read(crashRun).runs[0].result;
    const downs = result.replications[0].faults.schedule.filter((e: { downMs?: number }) => e.downMs !== undefined);
    expect(downs.length).toBe(2);
    expect(await page.locator('.chart-queue .plot rect.fault-window').count()).toBe(2);
    expect(await page.locator('.chart-queue .plot rect.warmup').count()).toBe(1);
    // Messages held in consumer buffers are in the broker's unacked count but neither ready nor in service; the simulation records them.
    const s = result.series;
    expect(s.inSystem.some((v: number, i: number) => v - s.queueLength[i] - s.busyConsumers[i] > 0.5)).toBe(true);
    expect(s.inConsumerBuffers.some((v: number) => v > 0.5)).toBe(true);
    expect(await page.locator('.chart-queue path.area.layer-buffered').count()).toBe(1);
    expect(await page.locator('.chart-queue .legend').textContent()).toMatch(/ready in queue.*in consumer buffers.*in service.*warm-up.*crash → recovered/);
    expect(await page.locator('.chart-queue .note').count()).toBe(0);
    expect(await page.locator('.chart-confirm g.row').count()).toBe(3);
    await expectCleanLayout();
    await shot('viewer-run-crashes.png');
  });

  it('auto-ack with prefetch 10: ready is flat at 0 while the chart shows the backlog in consumer buffers, as the simulation recorded it', async () => {
    await open(autoAckRun);
    const s = read(autoAckRun).runs[0].result.series;
    expect(s.queueLength.every((v: number) => v === 0)).toBe(true);
    expect(s.inConsumerBuffers.filter((v: number) => v > 0).length).toBeGreaterThan(s.tMs.length / 2);
    const height = (layer: string) => page.locator(`.chart-queue svg:not(.context) path.area.${layer}`).evaluate((p) => (p as SVGPathElement).getBBox().height);
    expect(await height('layer-ready')).toBe(0);
    expect(await height('layer-buffered')).toBeGreaterThan(50);
    expect(await height('layer-service')).toBeGreaterThan(5);
    expect(await page.locator('.chart-queue .legend').textContent()).toMatch(/ready in queue.*in consumer buffers.*in service/);
    // Recorded, so no caveat about auto-ack blindness.
    expect(await page.locator('.chart-queue .note').count()).toBe(0);
    // The broker's L has forgotten delivered messages, so Little's law is not claimed to hold for it.
    expect(await page.locator('.chart-little table tr').nth(1).textContent()).toContain('not comparable: with auto-ack');
    await expectCleanLayout();
    await shot('viewer-run-auto-ack.png');
  });

  it('a pipeline: the network graph of exchanges, queues and consumer groups with routing shares, per-stage utilisation and queue length', async () => {
    await open(pipelineRun);
    const stages = read(pipelineRun).runs[0].result.model.stages as { queue: string; utilization: { mean: number }; queueLength: { mean: number } }[];
    const graph = page.locator('.model-network svg.network');
    expect(await graph.count()).toBe(1);
    // One box per producer group, exchange hop (producer + three forwarders), queue and consumer group.
    expect(await graph.locator('g.node-producers').count()).toBe(1);
    expect(await graph.locator('g.node-exchange').count()).toBe(4);
    expect(await graph.locator('g.node-queue').count()).toBe(3);
    expect(await graph.locator('g.node-consumers').count()).toBe(3);
    const num = (v: number) => Number(v.toPrecision(3)).toLocaleString('en-US');
    for (const s of stages) {
      const queue = graph.locator('g.node-queue', { hasText: s.queue });
      expect(await queue.textContent()).toContain(`Lq ${num(s.queueLength.mean)}`);
    }
    const enrich = stages.find((s) => s.queue === 'enrich')!;
    const enrichGroup = graph.locator('g.node-consumers', { hasText: 'consumers[2] × 2' });
    expect(await enrichGroup.textContent()).toContain(`ρ ${Number((enrich.utilization.mean * 100).toPrecision(3))} %`);
    expect(await enrichGroup.textContent()).toContain('80 % done');
    // The bar's length is the utilisation.
    const [bar, track] = await Promise.all([enrichGroup.locator('rect.util-bar').getAttribute('width'), enrichGroup.locator('rect.util-track').getAttribute('width')]);
    expect(Number(bar) / Number(track)).toBeCloseTo(enrich.utilization.mean, 3);
    // Edges: producer → exchange → parse 75 % / bulk 25 %; parse → enrich 90 %; enrich → parse 20 % as a feedback edge.
    expect(await graph.locator('.edge-label').allTextContents()).toEqual(expect.arrayContaining(['75 %', '25 %', '90 %', '20 %']));
    expect(await graph.locator('g.edge.back').count()).toBe(1);
    expect(await graph.locator('g.edge.back title').textContent()).toMatch(/key 'parse' → queue parse: 20 %/);
    await expectCleanLayout();
    await page.locator('.model-network').screenshot({ path: join(ARTIFACTS, 'viewer-network.png') });
    await shot('viewer-run-pipeline.png');
  });

  it('an unstable run says UNSTABLE plainly before any number', async () => {
    await open(unstableRun);
    expect(await page.locator('.unstable-banner').textContent()).toMatch(/^UNSTABLE: /);
    expect(await page.locator('.chart-little table').textContent()).toMatch(/no steady state: not applicable/);
    await expectCleanLayout();
    await shot('viewer-unstable.png');
  });

  it('draws a sweep against utilisation ρ, the raw parameter along the top, theory lines for mean and p99', async () => {
    await open(examples('utilization-sweep.json'));
    const report = read(examples('utilization-sweep.json'));
    const charts = page.locator('.chart-sweep svg');
    expect(await charts.count()).toBe(3);
    for (const i of [0, 1, 2]) {
      const chart = charts.nth(i);
      expect(await chart.locator('.marks circle.point').count()).toBe(report.runs.length);
      expect(await chart.locator('.marks line.errorbar').count()).toBeGreaterThan(0);
      expect(await chart.locator('.axis-label').first().textContent()).toMatch(/utilisation ρ/);
      expect(await chart.locator('.axis-secondary').textContent()).toContain('producers[0].arrivals.ratePerSec');
      expect(await chart.locator('.plot > .theory-line').count()).toBe(1);
    }
    expect(await charts.nth(1).locator('.legend').textContent()).toContain('theory p99, exact (M/M/1)');
    await expectCleanLayout();
    await shot('viewer-sweep.png');
  });

  it('draws a plan: target line, answer marked, log scale over decades, unstable and infeasible points greyed', async () => {
    await open(plan);
    const report = read(plan);
    const unstable = report.runs.filter((r: { result: { steadyState?: { status: string } } }) => r.result.steadyState?.status !== 'steady').length;
    // The planner screens settings at or above capacity by theory and never simulates them, so its
    // report may hold no unstable run; any it holds are greyed (asserted below).
    expect(await page.locator('.plan-answer').textContent()).toContain(`consumers[0].count = ${report.plan.answer}`);
    const p99 = page.locator('.chart-sweep svg', { hasText: 'p99 wait against' });
    expect(await p99.locator('.plot .target-line').count()).toBe(1);
    expect(await p99.locator('.answer-ring').count()).toBe(1);
    expect(await p99.locator('.answer-label').textContent()).toContain(`count=${report.plan.answer}`);
    // Log scale exactly when the p99 values drawn (means, interval ends, the target) span two decades.
    const drawn = report.runs
      .flatMap((r: { result: { summary: { wait: { p99: { mean: number | null; ci95: [number, number] | null } } } } }) => [r.result.summary.wait.p99.mean, ...(r.result.summary.wait.p99.ci95 ?? [])])
      .concat([100])
      .filter((v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0);
    const spansDecades = Math.max(...drawn) / Math.min(...drawn) >= 100;
    expect(await p99.locator('.axis-label', { hasText: 'log scale' }).count()).toBe(spansDecades ? 1 : 0);
    expect(await p99.locator('.marks circle.point.unstable').count()).toBe(unstable);
    expect(await p99.locator('.marks circle.point.infeasible').count()).toBeGreaterThan(0);
    // The detail shown by default is the answer's run.
    expect(await page.locator('.run-select').inputValue()).toBe(String(report.runs.findIndex((r: { params: Record<string, number> }) => r.params['consumers[0].count'] === report.plan.answer)));
    await expectCleanLayout();
    await shot('viewer-plan.png');
  });

  it('draws the reliability comparison: a numbered point per setting and its table', async () => {
    await open(examples('reliability.json'));
    const report = read(examples('reliability.json'));
    expect(await page.locator('.chart-reliability circle.point').count()).toBe(report.runs.length);
    expect(await page.locator('.chart-reliability table tr').count()).toBe(report.runs.length + 1);
    await expectCleanLayout();
    await shot('viewer-reliability.png');
  });

  it('exports a chart as SVG and PNG, and the report data as CSV', async () => {
    await open(examples('utilization-sweep.json'));
    const report = read(examples('utilization-sweep.json'));
    const figure = page.locator('.chart-sweep figure.chart').first();
    const [svg] = await Promise.all([page.waitForEvent('download'), figure.locator('button', { hasText: 'SVG' }).click()]);
    expect(svg.suggestedFilename()).toMatch(/^mean-wait-against-utilisation.*\.svg$/);
    const svgText = readFileSync((await svg.path())!, 'utf8');
    expect(svgText).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svgText).toContain('<style>');
    expect((svgText.match(/class="point/g) ?? []).length).toBeGreaterThanOrEqual(report.runs.length);
    const [png] = await Promise.all([page.waitForEvent('download'), figure.locator('button', { hasText: 'PNG' }).click()]);
    const pngBytes = readFileSync((await png.path())!);
    expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');
    expect(pngBytes.readUInt32BE(16)).toBe(1120); // twice the 560-pixel chart
    const [data] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: 'Report data (CSV)' }).click()]);
    const lines = readFileSync((await data.path())!, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(report.runs.length + 1);
    expect(lines[0]).toMatch(/^label,producers\[0\]\.arrivals\.ratePerSec,state,rho,throughput_per_s,/);
    expect(Number(lines[1]!.split(',')[3])).toBeCloseTo(report.runs[0].result.theory.inputs.lambda / report.runs[0].result.theory.inputs.mu, 6);
    const [series] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: 'Time series (CSV)' }).click()]);
    expect(readFileSync((await series.path())!, 'utf8').trim().split('\n')).toHaveLength(report.runs[0].result.series.tMs.length + 1);
  });

  it('shows two reports side by side, and the pair is a link', async () => {
    await open(examples('mmc.json'));
    await page.selectOption('#compare-select', { label: examples('reliability.json') });
    await page.waitForFunction(() => document.querySelectorAll('.report').length === 2);
    expect(await page.locator('.columns .report').count()).toBe(2);
    expect(page.url()).toContain(`compare=${encodeURIComponent(examples('reliability.json'))}`);
    await page.reload();
    await page.waitForSelector('body[data-rendered]');
    expect(await page.locator('.columns .report').count()).toBe(2);
  });

  it('a bad or old report shows a clear message in the page, not a blank chart', async () => {
    await open(badReport);
    expect(await page.locator('.error').textContent()).toMatch(/not a valid report: runs/);
    await page.selectOption('#report-select', { label: rel(oldReport) });
    await page.waitForFunction(() => /version 0 report/.test(document.querySelector('.error')?.textContent ?? ''));
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-error.png') });
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
