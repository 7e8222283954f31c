import type { Report } from '../../sim/report/schema.ts';
import { csv } from './export.ts';
import { steadiness, utilisation, type Interval, type Run } from './figures.ts';

const triple = (i: Interval | undefined) => [i?.mean ?? null, i?.ci95?.[0] ?? null, i?.ci95?.[1] ?? null];
const heads = (name: string) => [name, `${name}_ci95_lo`, `${name}_ci95_hi`];

/** One row per run: parameters, steady state, every summary metric with its interval, theory, accounting. */
export function reportCsv(report: Report): string {
  const params = [...new Set(report.runs.flatMap((r) => Object.keys(r.params ?? {})))];
  const header = [
    'label', ...params, 'state', 'rho',
    ...heads('throughput_per_s'), ...heads('wait_ms'), ...heads('wait_p99_ms'), ...heads('sojourn_ms'), ...heads('sojourn_p99_ms'),
    ...heads('queue_length'), ...heads('in_system'), ...heads('utilization'), ...heads('confirm_latency_ms'),
    'theory_model', 'theory_wait_ms', 'theory_sojourn_ms', 'theory_queue_length', 'theory_in_system',
    'published', 'confirmed', 'acked', 'dead_lettered', 'lost_confirmed', 'lost_unconfirmed', 'duplicated', 'crashes',
  ];
  const row = (r: Run) => {
    const s = r.result.summary;
    const t = r.result.theory;
    const a = r.result.accounting;
    return [
      r.label, ...params.map((p) => (r.params?.[p] === undefined ? null : String(r.params[p]))), steadiness(r).label, utilisation(r),
      ...triple(s.throughput), ...triple(s.wait), ...triple(s.wait.p99), ...triple(s.sojourn), ...triple(s.sojourn.p99),
      ...triple(s.queueLength), ...triple(s.inSystem), ...triple(s.utilization), ...triple(s.confirmLatency),
      t?.model ?? null, t?.values.Wq ?? null, t?.values.W ?? null, t?.values.Lq ?? null, t?.values.L ?? null,
      a.published, a.confirmed, a.acked, a.deadLettered, a.lost, a.lostUnconfirmed, a.duplicated, s.recovery.crashes,
    ];
  };
  return csv([header, ...report.runs.map(row)]);
}

/** A run's time series (first replication). */
export function seriesCsv(run: Run): string {
  const s = run.result.series;
  return csv([['t_ms', 'queue_length', 'in_system', 'busy_consumers', 'throughput_per_s'], ...s.tMs.map((t, i) => [t, s.queueLength[i], s.inSystem[i], s.busyConsumers[i], s.throughputPerSec[i]])]);
}
