import { z } from 'zod';
import { parseTarget, TargetError } from '../plan/targets.ts';

/**
 * Assertions a scenario makes about its own results, checked by `qlab check`: the same language as
 * `qlab plan --target` ("p99 wait < 200ms", "lost = 0", "refused < 0.1%"), units required.
 */
export const ExpectSpec = z
  .array(
    z.string().superRefine((text, ctx) => {
      try {
        parseTarget(text);
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
      }
    }),
  )
  .describe('Assertions `qlab check` tests, e.g. ["p99 wait < 200ms", "lost = 0"]: fails only when a metric is surely on the wrong side (Holm, family-wise 5 %).');
