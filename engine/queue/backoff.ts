import type { Random } from '../random.ts';
import type { RetryPolicy } from '../types.ts';

/**
 * The delay before retry number `attempt` (1 for the first): fixed = delayMs; exponential =
 * min(delayMs · 2^(attempt−1), maxDelayMs). Jitter then takes off up to that fraction at random:
 * base × (1 − jitter × U), so jitter 1 spreads the delay over (0, base].
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: Random): number {
  const cap = policy.maxDelayMs ?? Infinity;
  const base = policy.backoff === 'fixed' ? policy.delayMs : Math.min(policy.delayMs * Math.pow(2, attempt - 1), cap);
  const jitter = policy.jitter ?? 0;
  return jitter > 0 ? base * (1 - jitter * random.next()) : base;
}
