import { z } from 'zod';
import { DistributionError, type Distribution } from './distribution.ts';
import { deterministic } from './deterministic.ts';
import { empirical } from './empirical.ts';
import { erlang } from './erlang.ts';
import { exponential } from './exponential.ts';
import { gammaDistribution } from './gamma.ts';
import { hyperexponential } from './hyperexponential.ts';
import { lognormal } from './lognormal.ts';
import { trace } from './trace.ts';
import { uniform, uniformFromMoments } from './uniform.ts';
import { weibull, weibullFromMoments } from './weibull.ts';

/**
 * How scenario files write a distribution: `{ "dist": kind, ...parameters }`, in the unit of the
 * field that holds it (`serviceTimeMs`, `publishLatencyMs`…). Wherever it makes sense a distribution
 * is given by its mean and scv, so one can swap the shape and keep the moments.
 */
const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();

export const DistributionSpec = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('deterministic'), mean: nonNegative }),
  z.strictObject({ dist: z.literal('exponential'), mean: positive }),
  z
    .strictObject({
      dist: z.literal('uniform'),
      min: nonNegative.optional(),
      max: nonNegative.optional(),
      mean: positive.optional(),
      scv: nonNegative.max(1 / 3).optional(),
    })
    .refine((u) => (u.min !== undefined && u.max !== undefined) !== (u.mean !== undefined && u.scv !== undefined), {
      message: 'uniform takes either min and max, or mean and scv',
    })
    .refine((u) => u.min === undefined || u.max === undefined || u.max >= u.min, {
      message: 'max must be ≥ min',
      path: ['max'],
    }),
  z.strictObject({ dist: z.literal('erlang'), mean: positive, k: z.number().int().min(1).max(10_000) }),
  z.strictObject({ dist: z.literal('hyperexponential'), mean: positive, scv: z.number().gt(1).finite() }),
  z.strictObject({ dist: z.literal('lognormal'), mean: positive, scv: positive }),
  z.strictObject({ dist: z.literal('gamma'), mean: positive, scv: positive }),
  z
    .strictObject({
      dist: z.literal('weibull'),
      mean: positive.optional(),
      scv: positive.optional(),
      shape: positive.optional(),
      scale: positive.optional(),
    })
    .refine(
      (w) => (w.mean !== undefined && w.scv !== undefined) !== (w.shape !== undefined && w.scale !== undefined),
      { message: 'weibull takes either mean and scv, or shape and scale' },
    ),
  z.strictObject({ dist: z.literal('empirical'), samples: z.array(nonNegative).min(1) }),
  z
    .strictObject({
      dist: z.literal('trace'),
      values: z.array(nonNegative).min(1).optional(),
      file: z.string().min(1).optional().describe('CSV file of recorded values (relative to the scenario file), read when the scenario is loaded: see `qlab fit --help` for the format.'),
      column: z.string().optional().describe('Column name or 1-based number (default: the first).'),
      unit: z.enum(['ms', 's']).default('ms'),
    })
    .refine((t) => (t.values === undefined) !== (t.file === undefined), { message: 'give either values or file', path: ['values'] }),
]);
export type DistributionSpec = z.infer<typeof DistributionSpec>;

/** Builds the distribution a spec describes; throws DistributionError if its parameters are unusable. */
export function makeDistribution(spec: DistributionSpec): Distribution {
  switch (spec.dist) {
    case 'deterministic':
      return deterministic(spec.mean);
    case 'exponential':
      return exponential(spec.mean);
    case 'uniform':
      return spec.min !== undefined && spec.max !== undefined
        ? uniform(spec.min, spec.max)
        : uniformFromMoments(required(spec.mean, 'mean'), required(spec.scv, 'scv'));
    case 'erlang':
      return erlang(spec.k, spec.mean);
    case 'hyperexponential':
      return hyperexponential(spec.mean, spec.scv);
    case 'lognormal':
      return lognormal(spec.mean, spec.scv);
    case 'gamma':
      return gammaDistribution(spec.mean, spec.scv);
    case 'weibull':
      return spec.shape !== undefined && spec.scale !== undefined
        ? weibull(spec.shape, spec.scale)
        : weibullFromMoments(required(spec.mean, 'mean'), required(spec.scv, 'scv'));
    case 'empirical':
      return empirical(spec.samples);
    case 'trace':
      if (spec.values === undefined) throw new DistributionError(`trace: the file '${spec.file}' was not read (scenarios with data files are loaded with loadScenario, which reads them)`);
      return trace(spec.values);
  }
}

function required(value: number | undefined, field: string): number {
  if (value === undefined) throw new DistributionError(`${field} is required`);
  return value;
}
