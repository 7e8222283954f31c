import type { Scenario } from '../scenario/schema.ts';
import { lag1Autocorrelation } from '../stats/batchMeans.ts';
import { intervalOf, round, withhold, type Interval, type MetricKind } from './intervals.ts';
import type { Accounting, WindowMetrics } from './measure.ts';
import { confirmedMustSurvive } from './safety.ts';
import type { ConsumerLoss } from './consumerLoss.ts';
import { priorityClasses, runReplication, type HistogramBuckets, type MessageRecords, type ReplicationResult } from './replication.ts';
import { sumFaultCounts, type FaultCount } from '../faults/faultLog.ts';
import type { ReplicationFaults } from '../faults/faultReport.ts';
import type { PublisherOutcome } from '../workload/publisherLedger.ts';
import type { PrecisionOutcome } from './precision.ts';
import { assessStability, type SteadyState } from './stability.ts';
import { predict, type TheoryPrediction } from './theoryMatch.ts';
import { APPROXIMATION_TOLERANCE, familyVerdict, metricVerdict, type FamilyVerdict, type TheoryVerdict } from './verdicts.ts';
import type { WarmupRule } from './warmupPoint.ts';
import { modelSummary, type ModelSummary } from './modelSummary.ts';
import { summarizeFaultWindows, type FaultWindowsSummary } from './faultWindows.ts';

export type { Interval } from './intervals.ts';
export { round } from './intervals.ts';

export interface DistributionSummary extends Interval {
  p50: Interval;
  p90: Interval;
  p99: Interval;
  p999: Interval;
  max: Interval;
}

export interface RunSummary {
  /** Successful completions per second. */
  throughput: Interval;
  /** Arrival → first start of service, in ms. */
  wait: DistributionSummary;
  /** Arrival → end of successful service, in ms. */
  sojourn: DistributionSummary;
  /** Time-average ready messages (Lq); max = the largest seen. */
  queueLength: Interval & { max: Interval };
  /** Time-average messages held by the broker: ready, unacked or delayed (L). */
  inSystem: Interval & { max: Interval };
  /** Fraction of consumer time spent serving. */
  utilization: Interval;
  /** Share of publishes a full queue refused. */
  blocking: Interval;
  offeredPerSec: Interval;
  classes?: { priority: number; wait: Interval; sojourn: Interval }[];
  redeliveries: number;
  deadLettered: Record<string, number>;
  recovery: { crashes: number; recoveryMs: number[] };
  /** Publish sent → positive confirm received, in ms (producers with confirms). */
  confirmLatency?: Interval & { p50: Interval; p99: Interval };
}

export interface RunResult {
  scenario: Scenario;
  seeds: number[];
  /** How the intervals were formed: across replications, or across batches of one run (each interval also names its method). */
  intervals: 'replications' | 'batch-means';
  /** Batch means only: lag-1 autocorrelation of the batch means of the wait (near 0 is good). */
  batchLag1?: number;
  warmupMs: number[];
  /** Per replication: how its warm-up was chosen. */
  warmupRules: WarmupRule[];
  /** Whether a steady state exists and was reached; intervals are withheld when unstable. */
  steadyState: SteadyState;
  /** Precision-driven runs only: the target and what was reached. */
  precision?: PrecisionOutcome;
  summary: RunSummary;
  accounting: Accounting & Partial<ConsumerLoss>;
  theory?: TheoryPrediction & {
    verdict: { Wq: TheoryVerdict; W: TheoryVerdict; Lq: TheoryVerdict; L: TheoryVerdict; Pblock?: TheoryVerdict; classes?: { priority: number; Wq: TheoryVerdict }[] };
    family: FamilyVerdict;
    /** Relative tolerance used when theory is an approximation. */
    tolerance?: number;
  };
  theoryNotApplicable?: string;
  safety: { confirmedMustSurvive: boolean; lost: number; duplicated: number; unexpected: number };
  liveness: { drained: boolean };
  replications: { seed: number; warmupMs: number; metrics: WindowMetrics; accounting: Accounting; recoveryMs: number[]; crashes: number; drained: boolean; faults?: ReplicationFaults; publishers?: PublisherOutcome }[];
  /** Faults over all replications: per kind scheduled vs fired; the injected faults confirmed losses are due to. */
  faults?: { byKind: Record<string, FaultCount>; lossDueTo: string[]; recoveryRefused: number };
  /** Publishers with a confirm window, over all replications: Jepsen-style outcome of their messages. */
  publishers?: PublisherOutcome;
  series: ReplicationResult['series'];
  histograms: { waitMs: HistogramBuckets; sojournMs: HistogramBuckets };
  counters: { events: number; simulatedMessages: number; eventsPerMessage: number };
  records?: MessageRecords;
  /** Pipelines (per stage, end to end, Jackson) and impatience (abandonment, Erlang-A). */
  model?: ModelSummary;
  /** With broker crashes: wait and sojourn in steady state and in the fault windows apart (faultWindows.ts). */
  faultWindows?: FaultWindowsSummary;
}


export interface SimulateOptions {
  replications?: number;
  seed?: number;
  records?: boolean;
  /** Called after each replication (progress bars). */
  onReplication?: (done: number, total: number) => void;
}

/**
 * Runs a scenario: independent replications with seeds seed, seed+1, … (each replayable alone), then
 * every summary metric with its 95 % interval across replications — or, with a single replication,
 * from adaptive batches of its measurement window (see intervals.ts for the methods).
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): RunResult {
  const replications = options.replications ?? scenario.replications;
  const seed = options.seed ?? scenario.seed;
  const runs: ReplicationResult[] = [];
  for (let i = 0; i < replications; i++) {
    // Batches are what intervals come from when there is a single replication.
    runs.push(runReplication(scenario, seed + i, { records: options.records === true && i === 0, batches: replications === 1 }));
    options.onReplication?.(i + 1, replications);
  }
  return summarizeRuns(scenario, runs);
}

/** Combines replications into the run result (also what a merge of shards does). */
export function summarizeRuns(scenario: Scenario, runs: ReplicationResult[]): RunResult {
  const byReplication = runs.length >= 2;
  const pooledWait = byReplication ? mergeHistograms(runs.map((r) => r.histograms.waitMs)) : undefined;
  const pooledSojourn = byReplication ? mergeHistograms(runs.map((r) => r.histograms.sojournMs)) : undefined;
  const prediction = predict(scenario);
  const theory = 'notApplicable' in prediction ? undefined : prediction;
  const raw = summaryIntervals(scenario, runs, pooledWait, pooledSojourn);
  const declinedForLength = [raw.wait, raw.sojourn, raw.queueLength, raw.inSystem].find((i) => i.mean !== null && i.ci95 === null)?.declined;
  const steadyState = assessStability(runs, theory === undefined ? undefined : { stable: theory.stable, rho: rhoOf(theory) }, raw.throughput.mean ?? 0, declinedForLength);
  // No steady state (unstable) or not reached yet: no steady-state interval anywhere, not just where a test noticed.
  const summary =
    steadyState.status === 'unstable'
      ? withholdAll(raw, `unstable: ${steadyState.reason}`)
      : steadyState.status === 'not-yet-steady'
        ? withholdAll(raw, `not yet steady: ${steadyState.reason}`)
        : raw;
  const accounting = totalAccounting(runs.map((r) => r.accounting));
  const waitLevels = byReplication ? [] : (runs[0]!.batchLevels ?? []);
  const chosen = waitLevels.find((l) => l.length === (summary.wait.df ?? -2) + 1);
  const result: RunResult = {
    scenario,
    seeds: runs.map((r) => r.seed),
    intervals: byReplication ? 'replications' : 'batch-means',
    ...(byReplication ? {} : { batchLag1: round(lag1Of((chosen ?? waitLevels[0] ?? []).map((o) => o.waitMeanMs ?? NaN))) }),
    warmupMs: runs.map((r) => r.warmupMs),
    warmupRules: runs.map((r) => r.warmupRule ?? 'fixed'),
    steadyState,
    summary,
    accounting,
    ...(theory === undefined ? { theoryNotApplicable: (prediction as { notApplicable: string }).notApplicable } : { theory: withVerdicts(theory, summary) }),
    safety: { confirmedMustSurvive: confirmedMustSurvive(scenario), lost: accounting.lost, duplicated: accounting.duplicated, unexpected: accounting.unexpected },
    liveness: { drained: runs.every((r) => r.drained) },
    replications: runs.map((r) => ({ seed: r.seed, warmupMs: r.warmupMs, metrics: r.metrics, accounting: r.accounting, recoveryMs: r.recoveryMs, crashes: r.crashes, drained: r.drained, ...(r.faults ? { faults: r.faults } : {}), ...(r.publishers ? { publishers: r.publishers } : {}) })),
    ...faultsOf(runs),
    ...publishersOf(runs),
    series: runs[0]!.series,
    histograms: {
      waitMs: pooledWait ?? mergeHistograms(runs.map((r) => r.histograms.waitMs)),
      sojournMs: pooledSojourn ?? mergeHistograms(runs.map((r) => r.histograms.sojournMs)),
    },
    counters: {
      events: sum(runs.map((r) => r.events)),
      simulatedMessages: sum(runs.map((r) => r.accounting.attempted)),
      eventsPerMessage: round(sum(runs.map((r) => r.events)) / Math.max(1, sum(runs.map((r) => r.accounting.attempted)))),
    },
    ...(runs[0]!.records !== undefined ? { records: runs[0]!.records } : {}),
  };
  const model = modelSummary(scenario, runs, summary.queueLength);
  if (model !== undefined) result.model = model;
  const faultWindows = summarizeFaultWindows(runs, mergeHistograms);
  if (faultWindows !== undefined) result.faultWindows = faultWindows;
  return result;
}

function summaryIntervals(scenario: Scenario, runs: ReplicationResult[], pooledWait: HistogramBuckets | undefined, pooledSojourn: HistogramBuckets | undefined): RunSummary {
  const interval = (key: string, kind: MetricKind = 'mean', pooled?: HistogramBuckets): Interval => intervalOf(key, kind, runs, pooled);
  const dist = (name: string, pooled: HistogramBuckets | undefined): DistributionSummary => ({
    ...interval(`${name}MeanMs`),
    p50: interval(`${name}P50Ms`, 'quantile', pooled),
    p90: interval(`${name}P90Ms`, 'quantile', pooled),
    p99: interval(`${name}P99Ms`, 'quantile', pooled),
    p999: interval(`${name}P999Ms`, 'quantile', pooled),
    max: interval(`${name}MaxMs`, 'max'),
  });
  const classes = priorityClasses(scenario);
  return {
    throughput: interval('throughputPerSec'),
    wait: dist('wait', pooledWait),
    sojourn: dist('sojourn', pooledSojourn),
    queueLength: { ...interval('queueLengthMean'), max: interval('queueLengthMax', 'max') },
    inSystem: { ...interval('inSystemMean'), max: interval('inSystemMax', 'max') },
    utilization: interval('utilization'),
    blocking: interval('blockingProbability'),
    offeredPerSec: interval('offeredPerSec'),
    ...(classes.length > 0 ? { classes: classes.map((k) => ({ priority: k, wait: interval(`class${k}.waitMeanMs`), sojourn: interval(`class${k}.sojournMeanMs`) })) } : {}),
    redeliveries: sum(runs.map((r) => r.accounting.redeliveries)),
    deadLettered: sumRecords(runs.map((r) => r.accounting.deadLetteredByReason)),
    recovery: { crashes: sum(runs.map((r) => r.crashes)), recoveryMs: runs.flatMap((r) => r.recoveryMs) },
    // Publish-to-confirm latency is not a queueing-theory quantity: its quantiles get the sectioning interval of a mean.
    ...(runs.some((r) => r.metrics.confirmLatencyMeanMs !== undefined)
      ? { confirmLatency: { ...interval('confirmLatencyMeanMs'), p50: interval('confirmLatencyP50Ms'), p99: interval('confirmLatencyP99Ms') } }
      : {}),
  };
}

/** An unstable system has no steady state: every steady-state interval is withheld (the means stay, as what this run happened to see). */
function withholdAll(s: RunSummary, reason: string): RunSummary {
  const w = (i: Interval) => withhold(i, reason);
  const d = (x: DistributionSummary): DistributionSummary => ({ ...w(x), p50: w(x.p50), p90: w(x.p90), p99: w(x.p99), p999: w(x.p999), max: x.max });
  return {
    ...s,
    throughput: w(s.throughput),
    wait: d(s.wait),
    sojourn: d(s.sojourn),
    queueLength: { ...w(s.queueLength), max: s.queueLength.max },
    inSystem: { ...w(s.inSystem), max: s.inSystem.max },
    utilization: w(s.utilization),
    blocking: w(s.blocking),
    ...(s.classes ? { classes: s.classes.map((k) => ({ priority: k.priority, wait: w(k.wait), sojourn: w(k.sojourn) })) } : {}),
  };
}

function rhoOf(p: TheoryPrediction): number {
  return p.inputs.lambda / ((p.inputs.c ?? 1) * p.inputs.mu);
}

function withVerdicts(p: TheoryPrediction, s: RunSummary): NonNullable<RunResult['theory']> {
  const approximate = p.approximation !== undefined;
  const compared: { metric: string; interval: Interval; value: number | undefined }[] = [
    { metric: 'Wq', interval: s.wait, value: p.values.Wq },
    { metric: 'W', interval: s.sojourn, value: p.values.W },
    { metric: 'Lq', interval: s.queueLength, value: p.values.Lq },
    { metric: 'L', interval: s.inSystem, value: p.values.L },
    ...(p.values.Pblock !== undefined ? [{ metric: 'Pblock', interval: s.blocking, value: p.values.Pblock }] : []),
    ...(p.values.classes ?? []).map((k) => ({ metric: `class${k.priority}.Wq`, interval: s.classes?.find((c) => c.priority === k.priority)?.wait ?? { mean: null, ci95: null }, value: k.Wq })),
  ];
  const v = (metric: string) => {
    const c = compared.find((x) => x.metric === metric)!;
    return metricVerdict(c.interval, c.value, approximate);
  };
  return {
    ...p,
    verdict: {
      Wq: v('Wq'),
      W: v('W'),
      Lq: v('Lq'),
      L: v('L'),
      ...(p.values.Pblock !== undefined ? { Pblock: v('Pblock') } : {}),
      ...(p.values.classes !== undefined ? { classes: p.values.classes.map((k) => ({ priority: k.priority, Wq: v(`class${k.priority}.Wq`) })) } : {}),
    },
    family: familyVerdict(compared, approximate),
    ...(approximate ? { tolerance: APPROXIMATION_TOLERANCE } : {}),
  };
}

function totalAccounting(all: Accounting[]): Accounting {
  const total = { ...all[0]!, deadLetteredByReason: sumRecords(all.map((a) => a.deadLetteredByReason)) };
  for (const key of Object.keys(total) as (keyof Accounting)[]) {
    if (key !== 'deadLetteredByReason') (total[key] as number) = sum(all.map((a) => a[key] as number));
  }
  return total;
}

export function mergeHistograms(all: HistogramBuckets[]): HistogramBuckets {
  const merged = new Map<number, { lo: number; hi: number; count: number }>();
  for (const buckets of all) {
    for (const b of buckets) {
      const existing = merged.get(b.lo);
      if (existing) existing.count += b.count;
      else merged.set(b.lo, { ...b });
    }
  }
  return [...merged.values()].sort((a, b) => a.lo - b.lo).map((b) => ({ lo: round(b.lo), hi: round(b.hi), count: b.count }));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function sumRecords(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function lag1Of(values: number[]): number {
  return lag1Autocorrelation(values.filter(Number.isFinite));
}

function faultsOf(runs: ReplicationResult[]): Pick<RunResult, 'faults'> {
  const all = runs.flatMap((r) => (r.faults ? [r.faults] : []));
  if (all.length === 0) return {};
  return {
    faults: {
      byKind: sumFaultCounts(all.map((f) => f.byKind)),
      lossDueTo: [...new Set(all.flatMap((f) => f.lossDueTo))].sort(),
      recoveryRefused: all.filter((f) => f.recoveryRefused !== undefined).length,
    },
  };
}

function publishersOf(runs: ReplicationResult[]): Pick<RunResult, 'publishers'> {
  const all = runs.flatMap((r) => (r.publishers ? [r.publishers] : []));
  if (all.length === 0) return {};
  const total = { ...all[0]! };
  for (const key of Object.keys(total) as (keyof PublisherOutcome)[]) total[key] = sum(all.map((p) => p[key]));
  return { publishers: total };
}
