/**
 * A small sizing-through-restarts scenario for tests, small enough to simulate every consumer count:
 * 100 msg/s from confirm-window publishers, 40 ms exponential work (ρ < 1 needs 5 consumers), the
 * broker down 1 s at 15 s and at 30 s of a 45 s run (warm-up 5 s), 3 replications.
 */
export function smallRestarts(over: { consumers?: number; faults?: unknown[] } = {}) {
  return {
    name: 'small-restarts',
    durationSec: 45,
    warmupSec: 5,
    replications: 3,
    seed: 1,
    producers: [
      {
        count: 2,
        routingKey: 'work',
        arrivals: { process: 'poisson', ratePerSec: 50 },
        persistent: true,
        confirms: true,
        messageIds: true,
        confirmWindow: { maxInFlight: 16, confirmTimeoutMs: 1000, maxRetries: 20, retryBackoffMs: 100 },
      },
    ],
    broker: { queues: [{ name: 'work', durable: true }], durability: { fsync: 'batch', batchMs: 5 } },
    consumers: [{ queue: 'work', count: over.consumers ?? 5, prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: 40 } }],
    faults: over.faults ?? [{ kind: 'broker-crash', atSec: [15, 30], mttrSec: 1, fixedRestart: true }],
  };
}
