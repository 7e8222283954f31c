import { z } from 'zod';

/** An interval as the run summaries write it (schema.ts holds the full one; kept loose here to avoid an import cycle). */
const Interval = z.object({
  mean: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  method: z.string().optional(),
  declined: z.string().optional(),
  se: z.number().optional(),
  df: z.number().optional(),
});

const GapRow = z.object({
  metric: z.string(),
  unit: z.string(),
  simulated: Interval,
  real: Interval,
  relativeGap: z.number().nullable(),
  realRelativeHalfWidth: z.number().nullable(),
  verdict: z.enum(['within-target', 'beyond-target', 'real-run-too-imprecise', 'no-value']),
});

/** What `qlab gap` adds to its report: the simulation against each real run, per metric. */
export const GapReport = z.object({
  target: z.number(),
  realPrecisionTarget: z.number(),
  /** How the simulation was fed: realised service times, calibrated or default disk. */
  simulationInputs: z.array(z.string()),
  against: z.array(z.object({ mode: z.enum(['real', 'rabbitmq']), runLabel: z.string(), rows: z.array(GapRow) })),
});
export type GapReport = z.infer<typeof GapReport>;
