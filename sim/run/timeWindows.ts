import type { Scenario } from '../scenario/schema.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import type { WindowMetrics } from './measure.ts';
import type { Tracker } from './tracker.ts';

/** Windows of a time-varying run: the run is cut in this many equal slices (hours of a simulated day). */
export const TIME_WINDOWS = 24;

/** Whether any producer's rate changes with time (no steady state). */
export function isTimeVarying(scenario: Scenario): boolean {
  return scenario.producers.some((p) => makeArrivals(p.arrivals).timeVarying === true);
}

/**
 * Per time window of [0, durationSec) — the warm-up is meaningless without a steady state — the
 * messages that arrived in it: arrival rate, mean and p99 (nearest rank) wait, and the time-average
 * number waiting (each copy's arrival → start of service overlapped with the window). Keys
 * `tw.<k>.…`, one set per replication, so the windows get intervals across replications.
 */
export function timeWindowMetrics(tracker: Tracker, durationMs: number): WindowMetrics {
  const spanMs = durationMs / TIME_WINDOWS;
  const waits: number[][] = Array.from({ length: TIME_WINDOWS }, () => []);
  const arrivals = new Float64Array(TIME_WINDOWS);
  const waitingArea = new Float64Array(TIME_WINDOWS);
  for (let c = 0; c < tracker.copies; c++) {
    const arrival = tracker.arrivalMs[c]!;
    const start = tracker.serviceStartMs[c]!;
    const end = Math.min(start >= 0 ? start : durationMs, durationMs);
    const k = Math.floor(arrival / spanMs);
    if (k < TIME_WINDOWS) {
      arrivals[k]!++;
      if (start >= 0) waits[k]!.push(start - arrival);
    }
    for (let w = Math.max(0, k); w < TIME_WINDOWS && w * spanMs < end; w++) {
      waitingArea[w]! += Math.max(0, Math.min(end, (w + 1) * spanMs) - Math.max(arrival, w * spanMs));
    }
  }
  const out: WindowMetrics = {};
  for (let k = 0; k < TIME_WINDOWS; k++) {
    const sorted = waits[k]!.sort((a, b) => a - b);
    out[`tw.${k}.arrivalsPerSec`] = (arrivals[k]! / spanMs) * 1000;
    out[`tw.${k}.waitMeanMs`] = sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
    out[`tw.${k}.waitP99Ms`] = sorted.length > 0 ? sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)]! : NaN;
    out[`tw.${k}.queueLengthMean`] = waitingArea[k]! / spanMs;
  }
  return out;
}
