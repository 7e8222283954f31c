import { z } from 'zod';
import { DistributionSpec } from '../dist/spec.ts';

const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();

/**
 * Time-varying and bulk arrival processes (variants of `arrivals`): a rate schedule that is
 * piecewise constant (a day's curve, or a build-then-stop burst), a sinusoidal rate, and Poisson
 * batches with a batch-size distribution. None has a steady state in the usual sense (batches
 * aside), so runs report time-windowed metrics beside the pointwise-stationary approximation.
 */
export const TIME_VARYING_ARRIVALS = [
  z
    .strictObject({
      process: z.literal('schedule'),
      rates: z
        .array(z.strictObject({ fromSec: nonNegative, ratePerSec: nonNegative }))
        .min(1)
        .describe('Poisson at ratePerSec from fromSec until the next entry; the first starts at 0, entries in increasing fromSec. Rate 0 = no arrivals.'),
      repeatSec: positive.optional().describe('Repeat the schedule with this period (e.g. 86400 for a daily curve); otherwise the last rate holds.'),
    })
    .refine((s) => s.rates[0]!.fromSec === 0, { message: 'the first rate starts at fromSec 0', path: ['rates', 0, 'fromSec'] })
    .refine((s) => s.rates.every((r, i) => i === 0 || r.fromSec > s.rates[i - 1]!.fromSec), { message: 'fromSec must increase', path: ['rates'] })
    .refine((s) => s.repeatSec === undefined || s.repeatSec > s.rates[s.rates.length - 1]!.fromSec, { message: 'repeatSec must be after the last fromSec', path: ['repeatSec'] })
    .refine((s) => s.rates.some((r) => r.ratePerSec > 0), { message: 'at least one rate must be above 0', path: ['rates'] }),
  z.strictObject({
    process: z.literal('sinusoidal'),
    meanRatePerSec: positive.describe('Average Poisson rate.'),
    amplitude: z.number().min(0).max(1).describe('Relative swing: the rate is mean·(1 + amplitude·sin(2π(t − phaseSec)/periodSec)).'),
    periodSec: positive,
    phaseSec: nonNegative.default(0),
  }),
  z.strictObject({
    process: z.literal('batch'),
    batchesPerSec: positive.describe('Poisson rate of bulk publishes.'),
    batchSize: DistributionSpec.describe('Messages per bulk publish: a draw rounded to the nearest whole number, at least 1.'),
  }),
] as const;
