import { z } from 'zod';
import { DistributionSpec } from '../dist/spec.ts';

/**
 * What a consumer does after serving a message, making the topology a pipeline (tandem lines,
 * fan-out, feedback loops) on the real broker: it publishes to an exchange before it acks, and the
 * new messages carry the flow's correlation id, so a flow is followed from its first publish to
 * the ack of its last message.
 */
export const ForwardSpec = z
  .strictObject({
    exchange: z.string().default('').describe('Exchange the consumer publishes to after service ("" = the default exchange: routing key = queue name).'),
    routes: z
      .array(
        z.strictObject({
          routingKey: z.string(),
          probability: z.number().min(0).max(1).describe('Chance this route is taken; one route at most is taken per served message.'),
        }),
      )
      .min(1)
      .describe('Where a served message goes next. Probabilities sum to at most 1; with what is left it leaves the network (done). Weighted keys, forward and feedback routes are all routes.'),
    messages: z.number().int().min(1).max(1000).default(1).describe('Messages published on the chosen route (fan-out in time: a batch of follow-up work).'),
    persistent: z.boolean().default(false),
  })
  .refine((f) => f.routes.reduce((s, r) => s + r.probability, 0) <= 1 + 1e-9, { message: 'route probabilities must sum to at most 1', path: ['routes'] });
export type ForwardSpec = z.infer<typeof ForwardSpec>;

/** Impatience: each message gets a patience drawn from this distribution as its per-message TTL (reneging). */
export const PatienceSpec = DistributionSpec.describe(
  'Patience of each message (ms), set as its per-message TTL: a message still waiting when it runs out expires (dead-lettered as `expired`, counted as abandoned). Exponential patience with Poisson arrivals and exponential service is Erlang-A (M/M/c+M).',
);
