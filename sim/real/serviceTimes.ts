import type { Tracker } from '../run/tracker.ts';

/**
 * The service times consumers actually took, per queue: end minus start of each completed service,
 * as the wall clock saw them (the sampled time plus the timer's overshoot). Only the last service
 * of a copy is known to the tracker, which is every service when nothing is redelivered.
 */
export function realisedServiceTimes(tracker: Tracker, queues: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = Object.fromEntries(queues.map((q) => [q, []]));
  for (let c = 0; c < tracker.copies; c++) {
    const start = tracker.serviceStartMs[c]!;
    const end = tracker.endMs[c]!;
    if (start >= 0 && end >= start) out[queues[tracker.copyQueue[c]!]!]!.push(Math.round((end - start) * 1000) / 1000);
  }
  return out;
}
