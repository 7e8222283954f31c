import type { Random } from '../../engine/random.ts';
import { deterministic } from '../dist/deterministic.ts';
import type { Distribution } from '../dist/distribution.ts';
import { exponential } from '../dist/exponential.ts';
import { makeDistribution } from '../dist/spec.ts';
import { trace } from '../dist/trace.ts';
import type { ArrivalSpec } from '../scenario/schema.ts';
import { batchArrivals, scheduleArrivals, sinusoidalArrivals } from './timeVaryingArrivals.ts';

/**
 * An open-loop arrival process: `nextGapMs` is the time to the next arrival, whatever the system
 * is doing. Each states its long-run rate and, when the gaps are independent and identically
 * distributed, their squared coefficient of variation ca², so theory can use the same parameters.
 */
export interface ArrivalProcess {
  readonly ratePerSec: number;
  /** scv of the gaps; undefined when they are not i.i.d. (on/off bursts). */
  readonly ca2: number | undefined;
  readonly poisson: boolean;
  /** The rate changes with time (a schedule or a sinusoid): no steady state. */
  readonly timeVarying?: boolean;
  /** Instantaneous rate per second at a time, for time-varying processes. */
  rateAtMs?(tMs: number): number;
  nextGapMs(random: Random): number;
}

/** A fresh process per producer instance (trace replay keeps a position). */
export function makeArrivals(spec: ArrivalSpec): ArrivalProcess {
  switch (spec.process) {
    case 'poisson':
      return renewal(exponential(1000 / spec.ratePerSec), true);
    case 'deterministic':
      return renewal(deterministic(1000 / spec.ratePerSec), false);
    case 'renewal':
      return renewal(makeDistribution(spec.interArrivalMs), false);
    case 'trace':
      if (spec.interArrivalMs === undefined) throw new RangeError(`trace arrivals: the file '${spec.file}' was not read (load the scenario with loadScenario, which reads it)`);
      return renewal(trace(spec.interArrivalMs), false);
    case 'schedule':
      return scheduleArrivals(spec.rates, spec.repeatSec);
    case 'sinusoidal':
      return sinusoidalArrivals(spec.meanRatePerSec, spec.amplitude, spec.periodSec, spec.phaseSec);
    case 'batch':
      return batchArrivals(spec.batchesPerSec, spec.batchSize);
    case 'onoff':
      return onOff(spec.onRatePerSec, spec.offRatePerSec, spec.meanOnSec * 1000, spec.meanOffSec * 1000);
  }
}

function renewal(gap: Distribution, poisson: boolean): ArrivalProcess {
  return { ratePerSec: gap.mean > 0 ? 1000 / gap.mean : Infinity, ca2: gap.scv, poisson, nextGapMs: (random) => gap.sample(random) };
}

/**
 * Bursty arrivals, a two-state Markov-modulated Poisson process: Poisson at onRate for an
 * exponential "on" period, then at offRate (often 0) for an exponential "off" period, and so on.
 * Long-run rate = (onRate·meanOn + offRate·meanOff) / (meanOn + meanOff).
 */
function onOff(onRatePerSec: number, offRatePerSec: number, meanOnMs: number, meanOffMs: number): ArrivalProcess {
  let on = true;
  let leftInStateMs = -1; // drawn on first use, from the same stream
  const rateOf = (state: boolean) => (state ? onRatePerSec : offRatePerSec) / 1000;
  return {
    ratePerSec: (onRatePerSec * meanOnMs + offRatePerSec * meanOffMs) / (meanOnMs + meanOffMs),
    ca2: undefined,
    poisson: false,
    nextGapMs(random: Random): number {
      if (leftInStateMs < 0) leftInStateMs = -meanOnMs * Math.log(1 - random.next());
      let elapsed = 0;
      for (;;) {
        const rate = rateOf(on);
        const gap = rate > 0 ? -Math.log(1 - random.next()) / rate : Infinity;
        if (gap < leftInStateMs) {
          leftInStateMs -= gap;
          return elapsed + gap;
        }
        // Memorylessness: the state ends first; carry on in the other one.
        elapsed += leftInStateMs;
        on = !on;
        leftInStateMs = -(on ? meanOnMs : meanOffMs) * Math.log(1 - random.next());
      }
    },
  };
}
