import { describe, expect, it } from 'vitest';
import { simulate } from '../run/simulate.ts';
import { parseScenario } from '../scenario/load.ts';

/**
 * A publisher with one publish in flight whose confirms take 20 ms (fsync always, 20 ms syncs) can
 * send 50 msg/s; its schedule asks 100 msg/s. It falls ever further behind, and the confirm latency
 * users see is from when the message was due, not from when the full window finally let it go.
 */
function behind(maxInFlight: number) {
  const loaded = parseScenario(
    {
      name: 'behind',
      durationSec: 20,
      warmupSec: 2,
      drainSec: 60,
      replications: 2,
      producers: [{ routingKey: 'q', arrivals: { process: 'deterministic', ratePerSec: 100 }, persistent: true, confirms: true, confirmWindow: { maxInFlight, confirmTimeoutMs: 60_000 } }],
      broker: { durability: { fsync: 'always' }, disk: { syncLatencyMs: { dist: 'deterministic', mean: 20 } }, queues: [{ name: 'q', durable: true }] },
      consumers: [{ queue: 'q', prefetch: 10, serviceTimeMs: { dist: 'deterministic', mean: 1 } }],
    },
    'behind',
  );
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return simulate(loaded.scenario);
}

describe('confirm latency of a publisher that falls behind its schedule', () => {
  it('is measured from the intended send time, so the backlog in the publisher shows (no coordinated omission)', () => {
    const slow = behind(1).summary.confirmLatency!;
    // From send it would be ~20 ms; from the schedule, half the run's growing lag on average: seconds.
    expect(slow.mean!).toBeGreaterThan(2000);
    expect(slow.p99.mean!).toBeGreaterThan(slow.p50.mean!);
  }, 120_000);

  it('stays near one sync when the window keeps up', () => {
    const fast = behind(64).summary.confirmLatency!;
    expect(fast.mean!).toBeLessThan(200);
  }, 120_000);
});
