import { z } from 'zod';

/** A run's waits and sojourns split into steady state and fault windows (sim/run/faultWindows.ts); only with broker crashes. */
export function faultWindowsSchema<T extends z.ZodTypeAny>(distribution: T) {
  const part = z.object({ share: z.number(), wait: distribution, sojourn: distribution });
  return z.object({ windows: z.number(), steady: part, fault: part }).optional().describe('Wait and sojourn of steady state and of the fault windows (a broker outage and the drain of its backlog) apart.');
}
