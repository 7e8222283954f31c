import type { Report } from '../../../sim/report/schema.ts';
import { distributionChart } from '../charts/distributionChart.ts';
import { intervalChart } from '../charts/intervalChart.ts';
import { timeSeriesChart } from '../charts/timeSeries.ts';
import { agree, backlogSplit, littlesLaw, steadiness, type Run } from '../figures.ts';
import { panel } from '../panel.ts';
import { accountingTable, element, fmt, metadataTable, summaryTable, tableOf } from '../panels.ts';
import { renderModel } from '../modelPanels.ts';
import { waitTheory } from '../waitTheory.ts';
import { registerView } from './registry.ts';

/** A plain banner wherever a run has no steady state: its averages describe nothing. */
export function unstableBanner(parent: HTMLElement, run: Run): void {
  const s = steadiness(run);
  if (s.steady) return;
  parent.append(element('p', { class: 'unstable-banner', role: 'alert' }, `${s.label}: ${s.reason}. Means and intervals below describe this run's length, not a steady state.`));
}

/** Crash → recovered windows of the replication the series come from (the first). */
function faultWindows(run: Run): { fromSec: number; toSec: number; kind: string }[] {
  const schedule = run.result.replications[0]?.faults?.schedule ?? [];
  return schedule.filter((e) => e.downMs !== undefined).map((e) => ({ fromSec: e.atMs / 1000, toSec: (e.atMs + e.downMs!) / 1000, kind: e.kind }));
}

function backlogPanel(parent: HTMLElement, run: Run): void {
  const split = backlogSplit(run);
  const section = panel(parent, 'Backlog over time', 'chart-queue');
  const layers = [
    { label: 'ready in queue', className: 'layer-ready', values: split.ready },
    { label: 'in consumer buffers', className: 'layer-buffered', values: split.buffered },
    { label: 'in service', className: 'layer-service', values: split.inService },
  ];
  // Rounding of the time averages leaves ~1e-6 where nothing else is held: only a real remainder gets a layer.
  if (split.other.some((v) => v > 0.01)) layers.push({ label: 'other held (delayed, acks on the wire)', className: 'layer-other', values: split.other });
  timeSeriesChart(section, run.result.series.tMs, {
    title: 'Where messages wait',
    yLabel: 'messages',
    layers,
    theory: run.result.theory?.values.Lq != null ? { value: run.result.theory.values.Lq, label: 'theory Lq' } : null,
    warmupSec: (run.result.warmupMs[0] ?? 0) / 1000,
    windows: faultWindows(run),
  });
  if (!split.recorded) {
    section.append(
      element(
        'p',
        { class: 'note' },
        split.complete
          ? 'This report does not record consumer buffers: they are derived from the broker\u2019s unacked count minus busy consumers.'
          : 'This report does not record consumer buffers, and with auto-ack the broker forgets a message when it is delivered: messages waiting in a consumer\u2019s buffer are in none of these series.',
      ),
    );
  }
}

function littlePanel(parent: HTMLElement, run: Run): void {
  const section = panel(parent, "Little's law: L = λW", 'chart-little');
  const [L, Lq] = littlesLaw(run);
  intervalChart(
    section,
    'Measured length against throughput × time',
    [
      { label: 'L', interval: L!.measured, className: 'measured' },
      { label: 'λW', interval: L!.product, className: 'product' },
      { label: 'Lq', interval: Lq!.measured, className: 'measured' },
      { label: 'λWq', interval: Lq!.product, className: 'product' },
    ],
    'messages (time average, ±95 %)',
    [
      { label: 'measured length', className: 'measured point' },
      { label: 'λ × mean time', className: 'product point' },
    ],
  );
  const consumers = (run.result.scenario as { consumers?: { prefetch?: number; ack?: string }[] })?.consumers ?? [];
  const autoAck = consumers.some((c) => c.ack === 'auto');
  const verdict = (side: typeof L) => {
    // With auto-ack the broker forgets a message once delivered, so its L leaves out the messages in
    // consumers' buffers and in service while W still counts their time: the two sides measure
    // different things, and an overlap (λW's interval reaching 0) would be a false "holds".
    if (side === L && autoAck) return 'not comparable: with auto-ack the broker\u2019s L leaves out delivered messages';
    if (side!.measured.ci95 === null || side!.product.ci95 === null) return steadiness(run).steady ? 'no interval' : 'no steady state: not applicable';
    return agree(side!.measured, side!.product) ? 'holds: intervals overlap' : 'intervals do not overlap';
  };
  section.append(
    tableOf([
      ['', 'measured', 'λ × time', 'check'],
      ['in system', fmt(L!.measured.mean), fmt(L!.product.mean), verdict(L)],
      ['waiting', fmt(Lq!.measured.mean), fmt(Lq!.product.mean), verdict(Lq)],
    ]),
  );
  if (consumers.some((c) => (c.prefetch ?? 1) !== 1 || c.ack === 'auto')) {
    section.append(
      element('p', { class: 'note' }, 'Prefetch above 1 (or auto-ack): Wq runs from arrival to the start of service, so it includes time spent in a consumer\u2019s prefetch buffer, which Lq (ready in the queue) does not count — λWq is then larger than Lq by the messages held in buffers.'),
    );
  }
}

function confirmPanel(parent: HTMLElement, run: Run): void {
  const c = run.result.summary.confirmLatency;
  if (c === undefined || c.mean === null) return;
  const section = panel(parent, 'Publisher confirms', 'chart-confirm');
  intervalChart(
    section,
    'Confirm latency (publish → confirm)',
    [
      { label: 'mean', interval: c, className: 'measured' },
      { label: 'p50', interval: c.p50, className: 'measured' },
      { label: 'p99', interval: c.p99, className: 'measured' },
    ],
    'ms (±95 %)',
    [{ label: 'simulated ±95 %', className: 'measured point' }],
  );
}

/** One run in detail: summary, backlog over time, Little's law, wait and sojourn, confirms, accounting. */
export function renderRun(parent: HTMLElement, report: Report, run: Run): void {
  unstableBanner(parent, run);
  panel(parent, `Summary — ${run.label}`, 'summary').append(summaryTable(run));
  const grid = element('div', { class: 'chart-grid' });
  parent.append(grid);
  backlogPanel(grid, run);
  littlePanel(grid, run);
  const s = run.result.summary;
  const theory = waitTheory(run);
  const marks = (d: typeof s.wait) => [
    { label: 'p50', value: d.p50.mean },
    { label: 'p90', value: d.p90.mean },
    { label: 'p99', value: d.p99.mean },
  ];
  distributionChart(panel(grid, 'Waiting time', 'chart-wait'), 'Wait in queue (arrival → start of service)', run.result.histograms.waitMs, marks(s.wait), theory.waitCdf, theory.label);
  distributionChart(panel(grid, 'Sojourn time', 'chart-sojourn'), 'Sojourn (arrival → ack)', run.result.histograms.sojournMs, marks(s.sojourn), theory.sojournCdf, theory.label);
  confirmPanel(grid, run);
  renderModel(run, (title, className) => panel(parent, title, className));
  const bottom = panel(parent, 'Accounting and run');
  bottom.append(accountingTable(run), metadataTable(report, run));
}

registerView({
  id: 'run-detail',
  order: 100,
  applies: () => true,
  render(parent, report, context) {
    const runs = report.runs;
    if (runs.length > 1) {
      const label = element('label', { class: 'run-choice' }, 'Details of ');
      const select = element('select', { class: 'run-select' }) as HTMLSelectElement;
      runs.forEach((r, i) => select.append(new Option(`${r.label}${steadiness(r).steady ? '' : ` (${steadiness(r).label})`}`, String(i))));
      select.value = String(context.runIndex);
      select.addEventListener('change', () => context.selectRun(Number(select.value)));
      label.append(select);
      parent.append(label);
    }
    renderRun(parent, report, runs[context.runIndex] ?? runs[0]!);
  },
});
