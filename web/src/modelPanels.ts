import type { Report } from '../../sim/report/schema.ts';
import type { ModelSummary } from '../../sim/run/modelSummary.ts';
import type { Interval } from '../../sim/run/intervals.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import { timeSeriesChart } from './charts/timeSeries.ts';
import { networkGraph } from './network/networkGraph.ts';
import { networkOf } from './network/networkModel.ts';
import { element, fmt, tableOf } from './panels.ts';

type Run = Report['runs'][number];
type Panel = (title: string, className?: string) => HTMLElement;

const ci = (i: Interval | undefined) => (i === undefined || i.mean === null ? '—' : i.ci95 === null ? fmt(i.mean) : `${fmt(i.mean)} [${fmt(i.ci95[0])}, ${fmt(i.ci95[1])}]`);
const verdict = (v: string | undefined) => (v === undefined ? '' : element('span', { class: v }, v));

/**
 * The report's `model` section: the pipeline as a table of stations (utilisation, queue length,
 * sojourn beside Jackson theory and its verdict, end to end), impatience beside Erlang-A, the day's
 * windows beside the pointwise-stationary approximation, and the consumer count over time.
 */
export function renderModel(run: Run, panel: Panel): void {
  const model = run.result.model as ModelSummary | undefined;
  if (model === undefined) return;
  if (model.stages !== undefined) {
    const jackson = model.jackson;
    const v = (metric: string) => verdict(jackson?.verdicts.find((x) => x.metric === metric)?.verdict);
    const rows: (string | HTMLElement)[][] = [['stage', 'consumers', 'arrivals/s', 'utilisation', 'Lq', 'W (ms)', 'theory W', 'verdict']];
    for (const s of model.stages) {
      const station = jackson?.stations.find((x) => x.queue === s.queue);
      rows.push([s.queue, String(s.consumers), ci(s.arrivalsPerSec), ci(s.utilization), ci(s.queueLength), ci(s.sojournMs), station ? fmt(station.W) : '—', v(`${s.queue}.W`)]);
    }
    const e2e = model.endToEnd;
    if (e2e !== undefined) rows.push(['end to end', '', `${e2e.completed}/${e2e.started} flows`, '', '', ci(e2e.sojournMs), jackson ? fmt(jackson.W) : '—', v('endToEnd.W')]);
    const p = panel('Pipeline (network of stations)', 'model-network');
    networkGraph(p, networkOf(run.result.scenario as Scenario, model.stages), 'Message flow, per-stage utilisation and queue length');
    p.append(tableOf(rows, jackson ? `Open Jackson network — family verdict: ${jackson.family.verdict}` : (model.jacksonNotApplicable ?? '')));
  }
  if (model.impatience !== undefined) {
    const m = model.impatience;
    const t = m.theory;
    const v = (metric: string) => verdict(t?.verdicts.find((x) => x.metric === metric)?.verdict);
    panel('Impatience (abandonment)', 'model-impatience').append(
      tableOf(
        [
          ['metric', 'simulated', t?.model === 'mmc+d' ? 'M/M/c+D' : 'Erlang-A', 'verdict'],
          ['P(abandon)', ci(m.abandonProbability), t ? fmt(t.values.Pabandon) : '—', v('Pabandon')],
          ['wait of served (ms)', ci(m.waitServedMs), t ? fmt(t.values.WqServed) : '—', v('WqServed')],
          ['wait of all (ms)', ci(m.waitAllMs), t ? fmt(t.values.Wq) : '—', v('Wq')],
        ],
        t ? (t.model === 'mmc+d' ? 'M/M/c+D (deterministic patience), exact' : 'M/M/c+M, exact') : (m.theoryNotApplicable ?? ''),
      ),
    );
  }
  if (model.timeVarying !== undefined) {
    const tv = model.timeVarying;
    const rows: (string | HTMLElement)[][] = [['window (s)', 'arrivals/s', 'mean wait (ms)', 'p99 wait (ms)', 'Lq', 'PSA Wq (ms, approx.)']];
    for (const w of tv.windows) rows.push([`${fmt(w.fromSec)}–${fmt(w.toSec)}`, ci(w.arrivalsPerSec), ci(w.waitMs), ci(w.waitP99Ms), ci(w.queueLength), w.psa ? (w.psa.Wq === null ? 'ρ ≥ 1' : fmt(w.psa.Wq)) : '—']);
    const p = panel('Time-varying load (no steady-state verdict)', 'model-time');
    p.append(element('p', {}, `Peak window ${fmt(tv.peak.fromSec)}–${fmt(tv.peak.toSec)} s: p99 wait ${fmt(tv.peak.waitP99Ms)} ms. ${tv.approximation ?? tv.approximationNotApplicable ?? ''}`));
    p.append(tableOf(rows));
  }
  if (model.fleet !== undefined) {
    const f = model.fleet;
    // Steps drawn as a line: each count holds until the next change.
    const tMs: number[] = [];
    const counts: number[] = [];
    f.series.tMs.forEach((t, i) => {
      if (i > 0) {
        tMs.push(t);
        counts.push(f.series.consumers[i - 1]!);
      }
      tMs.push(t);
      counts.push(f.series.consumers[i]!);
    });
    tMs.push(run.result.series.tMs[run.result.series.tMs.length - 1] ?? tMs[tMs.length - 1]!);
    counts.push(counts[counts.length - 1]!);
    const p = panel('Consumers over time', 'model-fleet');
    p.append(element('p', {}, `Time-average ${ci(f.meanConsumers)} consumers; ${fmt(f.changesPerReplication)} changes per replication${f.drain ? `; drain of a backlog of ${fmt(f.drain.backlogAtStart)}: ${ci(f.drain.drainSec)} s` : ''}. The backlog over time is the queue-length chart.`));
    timeSeriesChart(p, tMs, { title: 'Consumers over time', yLabel: 'consumers', layers: [{ label: 'consumers', className: 'layer-consumers', values: counts }] });
  }
}
