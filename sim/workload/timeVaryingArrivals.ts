import type { Random } from '../../engine/random.ts';
import { makeDistribution } from '../dist/spec.ts';
import type { DistributionSpec } from '../dist/spec.ts';

/** What arrivals.ts needs of a process; `rateAtMs` is the instantaneous rate (per second) for the pointwise-stationary approximation. */
export interface TimedArrivals {
  readonly ratePerSec: number;
  readonly ca2: number | undefined;
  readonly poisson: boolean;
  readonly timeVarying: boolean;
  rateAtMs?(tMs: number): number;
  nextGapMs(random: Random): number;
}

const exp1 = (random: Random) => -Math.log(1 - random.next());

/**
 * A non-homogeneous Poisson process with a piecewise-constant rate, exact: the gap is found by
 * spending one Exp(1) draw of integrated rate across the segments. It keeps its own clock (the sum
 * of the gaps it gave), which is the producer's time as producers start at 0.
 */
export function scheduleArrivals(rates: { fromSec: number; ratePerSec: number }[], repeatSec: number | undefined): TimedArrivals {
  const fromMs = rates.map((r) => r.fromSec * 1000);
  const perMs = rates.map((r) => r.ratePerSec / 1000);
  const periodMs = repeatSec === undefined ? undefined : repeatSec * 1000;
  const segmentAt = (tMs: number) => {
    const local = periodMs === undefined ? tMs : tMs % periodMs;
    let k = 0;
    while (k + 1 < fromMs.length && fromMs[k + 1]! <= local) k++;
    const base = periodMs === undefined ? 0 : tMs - local;
    const endMs = k + 1 < fromMs.length ? base + fromMs[k + 1]! : periodMs === undefined ? Infinity : base + periodMs;
    return { rate: perMs[k]!, endMs };
  };
  let nowMs = 0;
  const average =
    periodMs === undefined
      ? rates[rates.length - 1]!.ratePerSec
      : rates.reduce((sum, r, k) => sum + r.ratePerSec * ((k + 1 < rates.length ? rates[k + 1]!.fromSec : repeatSec!) - r.fromSec), 0) / repeatSec!;
  return {
    ratePerSec: average,
    ca2: undefined,
    poisson: false,
    timeVarying: true,
    rateAtMs: (tMs) => segmentAt(tMs).rate * 1000,
    nextGapMs(random) {
      const start = nowMs;
      let need = exp1(random);
      for (;;) {
        const { rate, endMs } = segmentAt(nowMs);
        const room = rate * (endMs - nowMs);
        if (need < room) {
          nowMs += need / rate;
          return nowMs - start;
        }
        if (endMs === Infinity) {
          nowMs = Infinity; // rate 0 for ever: no more arrivals
          return Infinity;
        }
        need -= room;
        nowMs = endMs;
      }
    },
  };
}

/** λ(t) = mean·(1 + amplitude·sin(2π(t − phase)/period)), by thinning (Lewis–Shedler) against the peak rate. */
export function sinusoidalArrivals(meanRatePerSec: number, amplitude: number, periodSec: number, phaseSec: number): TimedArrivals {
  const rateAtMs = (tMs: number) => meanRatePerSec * (1 + amplitude * Math.sin((2 * Math.PI * (tMs / 1000 - phaseSec)) / periodSec));
  const peakPerMs = (meanRatePerSec * (1 + amplitude)) / 1000;
  let nowMs = 0;
  return {
    ratePerSec: meanRatePerSec,
    ca2: undefined,
    poisson: false,
    timeVarying: true,
    rateAtMs,
    nextGapMs(random) {
      const start = nowMs;
      for (;;) {
        nowMs += exp1(random) / peakPerMs;
        if (random.next() * peakPerMs * 1000 <= rateAtMs(nowMs)) return nowMs - start;
      }
    },
  };
}

/** Poisson batches: the first message of a batch after an exponential gap, the rest of the batch at the same instant (gap 0). */
export function batchArrivals(batchesPerSec: number, batchSize: DistributionSpec): TimedArrivals {
  const size = makeDistribution(batchSize);
  let left = 0;
  return {
    ratePerSec: batchesPerSec * Math.max(1, size.mean),
    ca2: undefined,
    poisson: false,
    timeVarying: false,
    nextGapMs(random) {
      if (left > 0) {
        left--;
        return 0;
      }
      left = Math.max(1, Math.round(size.sample(random))) - 1;
      return (exp1(random) / batchesPerSec) * 1000;
    },
  };
}
