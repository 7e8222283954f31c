import { z } from 'zod';

/**
 * A publisher with confirms as real ones run: at most `maxInFlight` publishes awaiting their confirm
 * (a closed loop: arrivals beyond it wait in the publisher), a timeout after which an unconfirmed
 * publish counts as failed, and republishing what failed (a nack, a timeout, a broker that was down)
 * with the same message id, up to `maxRetries` times.
 */
export const ConfirmWindowSpec = z.strictObject({
  maxInFlight: z.number().int().min(1).max(1_000_000).describe('Unconfirmed publishes allowed at once; arrivals beyond it wait in the publisher.'),
  confirmTimeoutMs: z.number().positive().finite().default(5000).describe('A publish not confirmed within this is taken as failed and retried.'),
  maxRetries: z.number().int().min(0).max(1000).default(3).describe('Republishes of one message (same message id) before the publisher gives up on it.'),
  retryBackoffMs: z.number().nonnegative().finite().default(100).describe('Wait before a republish.'),
});
export type ConfirmWindowSpec = z.infer<typeof ConfirmWindowSpec>;
