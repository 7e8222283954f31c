import { TheoryInputError, requirePositive } from './result.ts';

/**
 * Retry-inflated arrivals: if each service attempt fails with probability p and the message is
 * retried until it succeeds, every message is served 1/(1 − p) times on average, so the queue sees
 * λ/(1 − p) attempts per unit time. (This is a Jackson network with Bernoulli feedback: the mean
 * queue length of the station fed λ/(1 − p) is exact, and each message's mean sojourn is
 * L / λ by Little's law on the original rate.)
 */
export function retryInflatedRate(lambda: number, failureProbability: number): number {
  requirePositive('lambda', lambda);
  if (!(failureProbability >= 0 && failureProbability < 1)) {
    throw new TheoryInputError('failureProbability', `must be in [0, 1), got ${failureProbability}`);
  }
  return lambda / (1 - failureProbability);
}

/** Mean attempts per message: 1/(1 − p). */
export function meanAttempts(failureProbability: number): number {
  return 1 / (1 - failureProbability);
}
