import type { Report } from '../report/schema.ts';
import type { Interval, RunResult } from '../run/simulate.ts';
import { studentTCdf } from '../stats/studentT.ts';
import { compare, countValue, intervalOf, isCount, type Target } from '../plan/targets.ts';
import { changeTest, estimateOf } from './change.ts';
import { holm } from './holm.ts';

/** One test of the gate: a metric's change against the baseline, or a scenario's expectation. */
export interface GateRow {
  scenario: string;
  metric: string;
  kind: 'change' | 'expect';
  unit: 'ms' | '/s' | '' | '%';
  baseline?: number;
  current: number | null;
  /** change: the 95 % interval of the relative change; expect: the metric's own 95 % interval. */
  ci95: [number, number] | null;
  p: number | null;
  /** Rejected by Holm at the family-wise level: the gate fails on it. */
  failed: boolean;
  /** For a failed change: its interval at Holm's adjusted level (entirely beyond ±max-change). */
  adjusted?: [number, number];
  note?: string;
}

type Getter = (r: RunResult) => Interval | undefined;
const METRICS: { name: string; unit: GateRow['unit']; get: Getter }[] = [
  { name: 'throughput', unit: '/s', get: (r) => r.summary.throughput },
  { name: 'mean wait', unit: 'ms', get: (r) => r.summary.wait },
  { name: 'p99 wait', unit: 'ms', get: (r) => r.summary.wait.p99 },
  { name: 'mean sojourn', unit: 'ms', get: (r) => r.summary.sojourn },
  { name: 'p99 sojourn', unit: 'ms', get: (r) => r.summary.sojourn.p99 },
  { name: 'mean queueLength', unit: '', get: (r) => r.summary.queueLength },
  { name: 'utilization', unit: '%', get: (r) => r.summary.utilization },
  { name: 'mean confirm', unit: 'ms', get: (r) => r.summary.confirmLatency },
  { name: 'p99 confirm', unit: 'ms', get: (r) => r.summary.confirmLatency?.p99 },
];

/**
 * Every test of one `qlab check`, across all metrics and scenarios, with Holm's procedure over the
 * whole family at `level`: a change fails only when its interval at the adjusted level lies entirely
 * beyond ±maxChange, an expectation only when its metric is surely on the wrong side of its value.
 */
export function gate(runs: { label: string; result: RunResult; expect: Target[] }[], baseline: Report | undefined, maxChange: number, level = 0.05): GateRow[] {
  const rows: (GateRow & { adjust?: (level: number) => [number, number] })[] = [];
  for (const run of runs) {
    const df = Math.max(1, run.result.seeds.length - 1);
    const base = baseline?.runs.find((b) => b.label === run.label)?.result as RunResult | undefined;
    if (baseline !== undefined && base === undefined) rows.push({ scenario: run.label, metric: '(all)', kind: 'change', unit: '', current: null, ci95: null, p: null, failed: false, note: 'not in the baseline' });
    if (base !== undefined) {
      for (const m of METRICS) {
        const b = estimateOf(m.get(base), Math.max(1, base.seeds.length - 1));
        const c = estimateOf(m.get(run.result), df);
        if (m.get(run.result) === undefined && m.get(base) === undefined) continue;
        const test = b !== undefined && c !== undefined ? changeTest(b, c, maxChange) : undefined;
        const row = { scenario: run.label, metric: m.name, kind: 'change' as const, unit: m.unit, current: m.get(run.result)?.mean ?? null, failed: false };
        if (test === undefined) rows.push({ ...row, ...(b ? { baseline: b.mean } : {}), ci95: null, p: null, note: 'no interval on one side: not tested' });
        else rows.push({ ...row, baseline: b!.mean, ci95: test.ci95, p: test.p, adjust: test.intervalAt });
      }
    }
    for (const t of run.expect) rows.push(expectRow(run.label, run.result, t, df));
  }
  const tested = rows.filter((r) => r.p !== null);
  holm(tested.map((r) => r.p!), level).forEach((h, i) => {
    const row = tested[i]!;
    row.failed = h.rejected;
    if (h.rejected && row.adjust !== undefined) row.adjusted = row.adjust(h.levelUsed);
  });
  return rows.map(({ adjust: _adjust, ...row }) => row);
}

function expectRow(scenario: string, result: RunResult, target: Target, df: number): GateRow {
  const base = { scenario, metric: target.text, kind: 'expect' as const, unit: (target.unit === 'msgs' ? '' : target.unit) as GateRow['unit'], failed: false };
  if (isCount(target)) {
    const value = countValue(result, target);
    // A count is exact: a violation is certain, not a matter of chance.
    return { ...base, current: value, ci95: null, p: compare(value, target) ? 1 : 0 };
  }
  const interval = intervalOf(result, target);
  const e = estimateOf(interval, df);
  if (e === undefined) return { ...base, current: interval?.mean ?? null, ci95: null, p: null, note: result.steadyState.status === 'unstable' ? 'unstable: no interval, not tested' : 'no interval: not tested' };
  const t = e.se > 0 ? (e.mean - target.value) / e.se : e.mean > target.value ? Infinity : -Infinity;
  return { ...base, current: e.mean, ci95: interval!.ci95, p: Number.isFinite(t) ? 1 - studentTCdf(t, e.df) : t > 0 ? 0 : 1 };
}
