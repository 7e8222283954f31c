import type { ArrivalSpec } from '../scenario/schema.ts';
import { makeArrivals } from './arrivals.ts';
import { batchSizePmf } from './batchSizePmf.ts';

/**
 * Expected number of messages one producer publishes in [0, durationSec): the integral of its rate
 * over the run, not the long-run rate × duration — a schedule that does not repeat holds its last
 * rate for ever, and that rate (often 0 after a burst) says nothing about the messages before it.
 */
export function expectedArrivals(spec: ArrivalSpec, durationSec: number): number {
  switch (spec.process) {
    case 'schedule':
      return scheduleIntegral(spec.rates, spec.repeatSec, durationSec);
    case 'sinusoidal': {
      // ∫₀ᵀ m(1 + A sin(2π(t − φ)/P)) dt = m(T + A·P/(2π)·(cos(2πφ/P) − cos(2π(T − φ)/P))).
      const w = (2 * Math.PI) / spec.periodSec;
      return spec.meanRatePerSec * (durationSec + (spec.amplitude / w) * (Math.cos(w * spec.phaseSec) - Math.cos(w * (durationSec - spec.phaseSec))));
    }
    case 'batch': {
      const pmf = batchSizePmf(spec.batchSize);
      const meanSize = pmf === undefined ? makeArrivals(spec).ratePerSec / spec.batchesPerSec : pmf.reduce((s, p, k) => s + k * p, 0);
      return spec.batchesPerSec * meanSize * durationSec;
    }
    default:
      return makeArrivals(spec).ratePerSec * durationSec;
  }
}

function scheduleIntegral(rates: { fromSec: number; ratePerSec: number }[], repeatSec: number | undefined, durationSec: number): number {
  /** Messages in [0, t) of one pass of the schedule (t within the period, or any t without repeat). */
  const within = (t: number) => {
    let total = 0;
    rates.forEach((r, k) => {
      const end = k + 1 < rates.length ? rates[k + 1]!.fromSec : Infinity;
      if (t > r.fromSec) total += r.ratePerSec * (Math.min(t, end) - r.fromSec);
    });
    return total;
  };
  if (repeatSec === undefined) return within(durationSec);
  const periods = Math.floor(durationSec / repeatSec);
  return periods * within(repeatSec) + within(durationSec - periods * repeatSec);
}
