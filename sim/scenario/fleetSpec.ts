import { z } from 'zod';

const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();

/**
 * A consumer group's size over time: a late start (build-and-drain), a schedule of counts, or an
 * autoscaler policy as KEDA and cloud autoscalers have — a target per consumer, how often it looks,
 * how long new consumers take to start, a cooldown between changes, and bounds. A consumer told to
 * stop finishes the message it is serving, acks it, then cancels (its prefetched messages return to
 * the queue).
 */
export const FLEET_FIELDS = {
  startAtSec: nonNegative.optional().describe('Consumers connect only at this time (build-and-drain: the backlog builds first); the report gives the drain time.'),
  schedule: z
    .array(z.strictObject({ atSec: nonNegative, count: z.number().int().min(0).max(10_000) }))
    .min(1)
    .optional()
    .describe('Consumer count changes at these times (count is the number at the start).'),
  autoscale: z
    .strictObject({
      min: z.number().int().min(0).max(10_000).default(1),
      max: z.number().int().min(1).max(10_000),
      targetBacklogPerConsumer: positive.optional().describe('Desired = ceil(messages in the queue (ready + unacked) / target), as KEDA’s queue-length scaler.'),
      targetUtilization: z.number().gt(0).max(1).optional().describe('Desired = ceil(active × busy share over the last interval / target), as a CPU-utilisation autoscaler.'),
      intervalSec: positive.default(15).describe('How often the policy looks.'),
      reactionDelaySec: nonNegative.default(0).describe('From a decision until the new count takes effect (consumer start-up).'),
      cooldownSec: nonNegative.default(60).describe('No new decision until this long after the last change took effect.'),
      scaleDownWindowSec: nonNegative.default(0).describe('Scale down only to the largest count desired over this past window (Kubernetes HPA’s stabilisation window; 0 = the latest look alone).'),
    })
    .refine((a) => (a.targetBacklogPerConsumer === undefined) !== (a.targetUtilization === undefined), { message: 'give one of targetBacklogPerConsumer or targetUtilization', path: ['targetBacklogPerConsumer'] })
    .refine((a) => a.min <= a.max, { message: 'min must be ≤ max', path: ['min'] })
    .optional(),
};
