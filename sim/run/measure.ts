import { Tally } from '../metrics/tally.ts';
import { ACKED, DEAD_LETTERED, IN_BROKER, VANISHED, type Tracker } from './tracker.ts';

/** Scalar metrics of one window of one run; NaN where the window saw nothing to measure. */
export type WindowMetrics = Record<string, number>;

export interface Window {
  fromBucket: number;
  toBucket: number;
  fromMs: number;
  toMs: number;
}

const QUANTILES: [string, number][] = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p99', 0.99],
  ['p999', 0.999],
];

export type PercentileMode = 'exact' | 'hdr';

/** One window's samples: wait and sojourn tallies (overall and per priority class) and publish counts. */
class WindowSamples {
  readonly wait: Tally;
  readonly sojourn: Tally;
  readonly classWait = new Map<number, Tally>();
  readonly classSojourn = new Map<number, Tally>();
  offered = 0;
  reached = 0;
  refused = 0;

  constructor(private readonly mode: PercentileMode) {
    this.wait = new Tally(mode);
    this.sojourn = new Tally(mode);
  }

  classTally(map: Map<number, Tally>, k: number): Tally {
    let t = map.get(k);
    if (t === undefined) map.set(k, (t = new Tally(this.mode)));
    return t;
  }
}

export interface MeasuredWindows {
  metrics: WindowMetrics[];
  /**
   * The batches' metrics at each batch size: level 0 is the `batches` given, each next level merges
   * neighbouring batches pairwise (the oldest left over when the count is odd), down to 2 batches.
   */
  batchLevels: WindowMetrics[][];
  /** The windows of each batch level, for metrics measured outside this pass (confirm latency). */
  batchLevelWindows: Window[][];
  /** The first window's wait and sojourn distributions, for the report's histograms. */
  waitHistogram: { lo: number; hi: number; count: number }[];
  sojournHistogram: { lo: number; hi: number; count: number }[];
}

/**
 * The metrics of a window and of its consecutive sub-windows (batches) in one pass over the run's
 * records: for the messages that arrived in a window, wait = arrival → first start of service and
 * sojourn = arrival → end of successful service; for the signals, the time-averages over the window
 * (queue length, messages in the broker, busy consumers) and completions per second. Percentiles are
 * exact (nearest rank) or HDR (within 0.39 %).
 */
export function measureWindows(
  tracker: Tracker,
  whole: Window,
  batches: Window[],
  consumers: number,
  classes: readonly number[],
  mode: PercentileMode,
): MeasuredWindows {
  const windows = [whole, ...batches];
  const samples = windows.map(() => new WindowSamples(mode));
  const batchStarts = batches.map((b) => b.fromMs);
  const batchOf = (t: number): number => {
    if (batches.length === 0 || t < batchStarts[0]! || t >= batches[batches.length - 1]!.toMs) return -1;
    let lo = 0;
    let hi = batches.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (batchStarts[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const perClass = classes.length > 0;
  // With batches, a sample goes to its batch only, and the whole window is the merge of the batches.
  const slot = (t: number) => samples[batches.length > 0 ? Math.max(0, batchOf(t)) : 0]!;
  for (let c = 0; c < tracker.copies; c++) {
    const arrival = tracker.arrivalMs[c]!;
    if (arrival < whole.fromMs || arrival >= whole.toMs) continue;
    const start = tracker.serviceStartMs[c]!;
    const end = tracker.endMs[c]!;
    const k = tracker.copyClass[c]!;
    const s = slot(arrival);
    if (start >= 0) {
      s.wait.record(start - arrival);
      if (perClass) s.classTally(s.classWait, k).record(start - arrival);
    }
    if (end >= 0) {
      s.sojourn.record(end - arrival);
      if (perClass) s.classTally(s.classSojourn, k).record(end - arrival);
    }
  }
  for (let m = 0; m < tracker.messages; m++) {
    const created = tracker.msgCreatedMs[m]!;
    if (created < whole.fromMs || created >= whole.toMs) continue;
    const s = slot(created);
    s.offered++;
    if (tracker.msgPublished[m] === 1) s.reached++;
    if (tracker.msgRejected[m] === 1) s.refused++;
  }
  if (batches.length > 0) for (const s of samples.slice(1)) mergeInto(samples[0]!, s);
  const levels: { windows: Window[]; samples: WindowSamples[] }[] = [{ windows: batches, samples: samples.slice(1) }];
  for (let last = levels[0]!; last.windows.length >= 4; last = levels[levels.length - 1]!) {
    const skip = last.windows.length % 2;
    const next: { windows: Window[]; samples: WindowSamples[] } = { windows: [], samples: [] };
    for (let i = skip; i + 1 < last.windows.length; i += 2) {
      const [a, b] = [last.windows[i]!, last.windows[i + 1]!];
      next.windows.push({ fromBucket: a.fromBucket, toBucket: b.toBucket, fromMs: a.fromMs, toMs: b.toMs });
      const merged = new WindowSamples(mode);
      mergeInto(merged, last.samples[i]!);
      mergeInto(merged, last.samples[i + 1]!);
      next.samples.push(merged);
    }
    levels.push(next);
  }
  const metricsOf = (window: Window, s: WindowSamples): WindowMetrics => {
    const out: WindowMetrics = {
      throughputPerSec: tracker.completions.rate(window.fromBucket, window.toBucket),
      offeredPerSec: (s.offered * 1000) / (window.toMs - window.fromMs),
      blockingProbability: s.reached > 0 ? s.refused / s.reached : NaN,
      queueLengthMean: tracker.queueLength.mean(window.fromBucket, window.toBucket),
      queueLengthMax: tracker.queueLength.peak(window.fromBucket, window.toBucket),
      inSystemMean: tracker.inSystem.mean(window.fromBucket, window.toBucket),
      inSystemMax: tracker.inSystem.peak(window.fromBucket, window.toBucket),
      utilization: consumers > 0 ? tracker.busy.mean(window.fromBucket, window.toBucket) / consumers : NaN,
      ...distribution('wait', s.wait),
      ...distribution('sojourn', s.sojourn),
    };
    for (const k of classes) {
      out[`class${k}.waitMeanMs`] = s.classWait.get(k)?.mean ?? NaN;
      out[`class${k}.sojournMeanMs`] = s.classSojourn.get(k)?.mean ?? NaN;
    }
    return out;
  };
  const metrics = windows.map((window, w) => metricsOf(window, samples[w]!));
  const exceed = batches.length === 0 ? [] : exceedances(tracker, whole, batches.length, batchOf, metrics[0]!);
  const base = metrics.slice(1).map((m, b) => ({ ...m, ...exceed[b] }));
  const batchLevels = batches.length === 0 ? [] : levels.map((l, i) => (i === 0 ? base : l.windows.map((w, j) => ({ ...metricsOf(w, l.samples[j]!), ...sumCounts(exceed, i, j, batches.length) }))));
  const batchLevelWindows = batches.length === 0 ? [] : levels.map((l) => l.windows);
  return { metrics, batchLevels, batchLevelWindows, waitHistogram: samples[0]!.wait.histogram(), sojournHistogram: samples[0]!.sojourn.histogram() };
}

/**
 * Per batch, how many waits (sojourns) the batch measured and how many exceed the WHOLE window's
 * quantile estimate (`waitN`, `waitP99Ms.above`, …): the batch means of these indicators give the
 * quantile's interval by inverting the empirical distribution (see intervals.ts), a method whose
 * batches behave like any batch means, unlike per-batch quantiles.
 */
function exceedances(tracker: Tracker, whole: Window, count: number, batchOf: (t: number) => number, wholeMetrics: WindowMetrics): WindowMetrics[] {
  const out: WindowMetrics[] = Array.from({ length: count }, () => ({}));
  const keys = QUANTILES.map(([label]) => label.toUpperCase());
  const thresholds = (name: string) => keys.map((k) => wholeMetrics[`${name}${k}Ms`] ?? NaN);
  const waitAt = thresholds('wait');
  const sojournAt = thresholds('sojourn');
  for (const o of out) {
    o.waitN = 0;
    o.sojournN = 0;
    for (const k of keys) o[`wait${k}Ms.above`] = o[`sojourn${k}Ms.above`] = 0;
  }
  for (let c = 0; c < tracker.copies; c++) {
    const arrival = tracker.arrivalMs[c]!;
    if (arrival < whole.fromMs || arrival >= whole.toMs) continue;
    const b = batchOf(arrival) - 1;
    if (b < 0) continue;
    const o = out[b]!;
    const start = tracker.serviceStartMs[c]!;
    const end = tracker.endMs[c]!;
    if (start >= 0) {
      o.waitN!++;
      keys.forEach((k, i) => {
        if (start - arrival > waitAt[i]!) o[`wait${k}Ms.above`]!++;
      });
    }
    if (end >= 0) {
      o.sojournN!++;
      keys.forEach((k, i) => {
        if (end - arrival > sojournAt[i]!) o[`sojourn${k}Ms.above`]!++;
      });
    }
  }
  return out;
}

/** The counts of batch j at merge level `level` (2^level finest batches, the oldest left over when a level's count was odd). */
function sumCounts(exceed: WindowMetrics[], level: number, j: number, finest: number): WindowMetrics {
  let first = 0;
  let size = 1;
  let n = finest;
  for (let l = 0; l < level; l++) {
    first += (n % 2) * size;
    n = Math.floor(n / 2);
    size *= 2;
  }
  const out: WindowMetrics = {};
  for (let b = first + j * size; b < first + (j + 1) * size; b++) for (const [k, v] of Object.entries(exceed[b]!)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function mergeInto(all: WindowSamples, s: WindowSamples): void {
  all.wait.merge(s.wait);
  all.sojourn.merge(s.sojourn);
  for (const [k, t] of s.classWait) all.classTally(all.classWait, k).merge(t);
  for (const [k, t] of s.classSojourn) all.classTally(all.classSojourn, k).merge(t);
  all.offered += s.offered;
  all.reached += s.reached;
  all.refused += s.refused;
}

function distribution(name: string, tally: Tally): WindowMetrics {
  const out: WindowMetrics = { [`${name}MeanMs`]: tally.mean, [`${name}MaxMs`]: tally.max };
  for (const [label, q] of QUANTILES) out[`${name}${label.toUpperCase()}Ms`] = tally.quantile(q);
  return out;
}

export interface Accounting {
  /** Messages the producers created. */
  attempted: number;
  /** Publishes the broker received (it was up). */
  published: number;
  /** Positive confirms that reached the producers. */
  confirmed: number;
  /** Negative confirms (a full queue refused it). */
  refused: number;
  /** Publishes that found the broker down. */
  unavailable: number;
  /** Queue copies delivered at least once, and deliveries in all. */
  delivered: number;
  deliveries: number;
  redeliveries: number;
  /** Queue copies acked. */
  acked: number;
  /** Queue copies dead-lettered or dropped by policy (TTL, length limit, rejection, delivery limit). */
  deadLettered: number;
  deadLetteredByReason: Record<string, number>;
  /** Confirmed messages with a copy that vanished: never acked or dead-lettered, and not in the broker at the end. */
  lost: number;
  /** Published (not confirmed) messages with a copy that vanished. */
  lostUnconfirmed: number;
  /** Copies still in the broker when the drain ended. */
  stranded: number;
  /**
   * Messages the broker held but could not reach when the drain ended (down, or still recovering),
   * found intact by a recovery after the run: not lost, not delivered either.
   */
  unavailableAtEnd: number;
  /** Publishes the broker accepted but routed to no queue: they exist nowhere (RabbitMQ drops them). */
  unroutable: number;
  /** Of those, the ones published mandatory, which the broker returned to their publisher. */
  returned: number;
  /** Copies delivered again after they were acked. */
  duplicated: number;
  /** Deliveries, arrivals or recoveries of something never published. */
  unexpected: number;
  /** Service attempts that failed (nacked, or lost under auto-ack). */
  failures: number;
}

/** Jepsen-style final accounting, after the drain. */
export function account(tracker: Tracker): Accounting {
  let delivered = 0;
  let acked = 0;
  let deadLettered = 0;
  let stranded = 0;
  const vanishedMessage = new Uint8Array(tracker.messages);
  for (let c = 0; c < tracker.copies; c++) {
    if (tracker.deliveries[c]! > 0) delivered++;
    const outcome = tracker.outcome[c];
    if (outcome === ACKED) acked++;
    else if (outcome === DEAD_LETTERED) deadLettered++;
    else if (outcome === IN_BROKER) stranded++;
    else if (outcome === VANISHED) vanishedMessage[tracker.copyMessage[c]!] = 1;
  }
  let lost = 0;
  let lostUnconfirmed = 0;
  for (let m = 0; m < tracker.messages; m++) {
    if (vanishedMessage[m] === 0) continue;
    if (tracker.msgConfirmed[m] === 1) lost++;
    else lostUnconfirmed++;
  }
  const c = tracker.counts;
  return {
    attempted: tracker.messages,
    published: c.published,
    confirmed: c.confirmed,
    refused: c.refused,
    unavailable: c.unavailable,
    delivered,
    deliveries: c.deliveries,
    redeliveries: c.redeliveries,
    acked,
    deadLettered,
    deadLetteredByReason: { ...tracker.deadLetteredBy },
    lost,
    lostUnconfirmed,
    stranded,
    unavailableAtEnd: 0,
    unroutable: c.unroutable,
    returned: c.returned,
    duplicated: c.duplicated,
    unexpected: c.unexpected,
    failures: c.failures,
  };
}
