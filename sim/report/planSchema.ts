import { z } from 'zod';

const TargetValue = z.object({ target: z.string(), value: z.number().nullable(), ci95: z.tuple([z.number(), z.number()]).nullable(), missing: z.string().optional(), meets: z.boolean() });

/**
 * What `qlab plan` adds to its report: the question (targets, what varied), the answer with the
 * evidence for it (each target at the answer and at the next smaller value, which target binds), the
 * settings screened out by theory without simulating, each crash's backlog, and the effort spent.
 */
export const PlanSection = z.object({
  target: z.string(),
  vary: z.string(),
  answer: z.number().nullable(),
  reason: z.string(),
  theoryBracket: z.object({ from: z.number(), to: z.number() }).nullable(),
  targets: z.array(z.string()).optional(),
  answerPoint: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).nullable().optional(),
  atAnswer: z.array(TargetValue).optional(),
  belowAnswer: z.object({ value: z.number(), screened: z.string().optional(), targets: z.array(TargetValue) }).nullable().optional(),
  binding: z.array(z.string()).optional(),
  screened: z.array(z.object({ point: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])), reason: z.string() })).optional(),
  crashes: z.array(z.object({ atMs: z.number(), downMs: z.number(), backlogPeak: z.number(), drainMs: z.number().nullable() })).optional(),
  effort: z.object({ settingsSimulated: z.number(), replications: z.number(), simulatedMessages: z.number(), wallSec: z.number() }).optional(),
});
export type PlanSection = z.infer<typeof PlanSection>;
