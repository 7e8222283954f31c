import type { Scenario } from '../scenario/schema.ts';
import { lag1Autocorrelation } from '../stats/batchMeans.ts';
import { tInterval } from '../stats/interval.ts';
import type { Accounting, WindowMetrics } from './measure.ts';
import { confirmedMustSurvive } from './safety.ts';
import { priorityClasses, runReplication, type HistogramBuckets, type MessageRecords, type ReplicationResult } from './replication.ts';
import { sumFaultCounts, type FaultCount } from '../faults/faultLog.ts';
import type { ReplicationFaults } from '../faults/faultReport.ts';
import type { PublisherOutcome } from '../workload/publisherLedger.ts';
import { predict, type TheoryPrediction, type TheoryVerdict } from './theoryMatch.ts';

/** A mean with its 95 % interval; null where nothing was measured or the spread is unknown. */
export interface Interval {
  mean: number | null;
  ci95: [number, number] | null;
}

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
  /** How the intervals were formed: across replications, or across batches of one run. */
  intervals: 'replications' | 'batch-means';
  /** Batch means only: lag-1 autocorrelation of the batch means of the wait (near 0 is good). */
  batchLag1?: number;
  warmupMs: number[];
  summary: RunSummary;
  accounting: Accounting;
  theory?: TheoryPrediction & { verdict: { Wq: TheoryVerdict; W: TheoryVerdict; Lq: TheoryVerdict; L: TheoryVerdict; Pblock?: TheoryVerdict; classes?: { priority: number; Wq: TheoryVerdict }[] } };
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
 * every summary metric as a mean with its 95 % Student-t interval across replications — or, with a
 * single replication, across 20 batches of its measurement window (batch means).
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
  const observations: WindowMetrics[] = byReplication ? runs.map((r) => r.metrics) : runs[0]!.batches;
  const interval = (key: string): Interval => estimate(observations.map((o) => o[key] ?? NaN));
  const dist = (name: string): DistributionSummary => ({
    ...interval(`${name}MeanMs`),
    p50: interval(`${name}P50Ms`),
    p90: interval(`${name}P90Ms`),
    p99: interval(`${name}P99Ms`),
    p999: interval(`${name}P999Ms`),
    max: interval(`${name}MaxMs`),
  });
  const classes = priorityClasses(scenario);
  const summary: RunSummary = {
    throughput: interval('throughputPerSec'),
    wait: dist('wait'),
    sojourn: dist('sojourn'),
    queueLength: { ...interval('queueLengthMean'), max: interval('queueLengthMax') },
    inSystem: { ...interval('inSystemMean'), max: interval('inSystemMax') },
    utilization: interval('utilization'),
    blocking: interval('blockingProbability'),
    offeredPerSec: interval('offeredPerSec'),
    ...(classes.length > 0 ? { classes: classes.map((k) => ({ priority: k, wait: interval(`class${k}.waitMeanMs`), sojourn: interval(`class${k}.sojournMeanMs`) })) } : {}),
    redeliveries: sum(runs.map((r) => r.accounting.redeliveries)),
    deadLettered: sumRecords(runs.map((r) => r.accounting.deadLetteredByReason)),
    recovery: { crashes: sum(runs.map((r) => r.crashes)), recoveryMs: runs.flatMap((r) => r.recoveryMs) },
    ...(observations.some((o) => o.confirmLatencyMeanMs !== undefined)
      ? { confirmLatency: { ...interval('confirmLatencyMeanMs'), p50: interval('confirmLatencyP50Ms'), p99: interval('confirmLatencyP99Ms') } }
      : {}),
  };
  const accounting = totalAccounting(runs.map((r) => r.accounting));
  const prediction = predict(scenario);
  const result: RunResult = {
    scenario,
    seeds: runs.map((r) => r.seed),
    intervals: byReplication ? 'replications' : 'batch-means',
    ...(byReplication ? {} : { batchLag1: round(lag1Autocorrelation(observations.map((o) => o.waitMeanMs ?? NaN).filter(Number.isFinite))) }),
    warmupMs: runs.map((r) => r.warmupMs),
    summary,
    accounting,
    ...('notApplicable' in prediction ? { theoryNotApplicable: prediction.notApplicable } : { theory: { ...prediction, verdict: verdictOf(prediction, summary) } }),
    safety: { confirmedMustSurvive: confirmedMustSurvive(scenario), lost: accounting.lost, duplicated: accounting.duplicated, unexpected: accounting.unexpected },
    liveness: { drained: runs.every((r) => r.drained) },
    replications: runs.map((r) => ({ seed: r.seed, warmupMs: r.warmupMs, metrics: r.metrics, accounting: r.accounting, recoveryMs: r.recoveryMs, crashes: r.crashes, drained: r.drained, ...(r.faults ? { faults: r.faults } : {}), ...(r.publishers ? { publishers: r.publishers } : {}) })),
    ...faultsOf(runs),
    ...publishersOf(runs),
    series: runs[0]!.series,
    histograms: {
      waitMs: mergeHistograms(runs.map((r) => r.histograms.waitMs)),
      sojournMs: mergeHistograms(runs.map((r) => r.histograms.sojournMs)),
    },
    counters: {
      events: sum(runs.map((r) => r.events)),
      simulatedMessages: sum(runs.map((r) => r.accounting.attempted)),
      eventsPerMessage: round(sum(runs.map((r) => r.events)) / Math.max(1, sum(runs.map((r) => r.accounting.attempted)))),
    },
    ...(runs[0]!.records !== undefined ? { records: runs[0]!.records } : {}),
  };
  return result;
}

function estimate(values: number[]): Interval {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: null, ci95: null };
  const e = tInterval(finite);
  return { mean: round(e.mean), ci95: e.ci95 === null || !Number.isFinite(e.ci95[0]) ? null : [round(e.ci95[0]), round(e.ci95[1])] };
}

function verdict(interval: Interval, value: number | undefined): TheoryVerdict {
  if (value === undefined || !Number.isFinite(value) || interval.ci95 === null) return 'no-interval';
  return interval.ci95[0] <= value && value <= interval.ci95[1] ? 'inside' : 'outside';
}

function verdictOf(p: TheoryPrediction, s: RunSummary): NonNullable<RunResult['theory']>['verdict'] {
  return {
    Wq: verdict(s.wait, p.values.Wq),
    W: verdict(s.sojourn, p.values.W),
    Lq: verdict(s.queueLength, p.values.Lq),
    L: verdict(s.inSystem, p.values.L),
    ...(p.values.Pblock !== undefined ? { Pblock: verdict(s.blocking, p.values.Pblock) } : {}),
    ...(p.values.classes !== undefined
      ? { classes: p.values.classes.map((k) => ({ priority: k.priority, Wq: verdict(s.classes?.find((c) => c.priority === k.priority)?.wait ?? { mean: null, ci95: null }, k.Wq) })) }
      : {}),
  };
}

function totalAccounting(all: Accounting[]): Accounting {
  const total = { ...all[0]!, deadLetteredByReason: sumRecords(all.map((a) => a.deadLetteredByReason)) };
  for (const key of Object.keys(total) as (keyof Accounting)[]) {
    if (key !== 'deadLetteredByReason') (total[key] as number) = sum(all.map((a) => a[key] as number));
  }
  return total;
}

function mergeHistograms(all: HistogramBuckets[]): HistogramBuckets {
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

/** Reports keep 12 significant digits: enough for any measurement, and stable text across platforms. */
export function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
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
