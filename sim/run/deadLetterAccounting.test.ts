import { describe, expect, it } from 'vitest';
import { Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { simulate } from './simulate.ts';

// The report's dead-letter counts per reason are what a user reads to tell a full queue from a TTL
// or a poison message. Each scenario below can dead-letter for exactly one reason, with counts that
// follow from the topology alone (RabbitMQ's rules: drop-head overflow is `maxlen`, TTL is
// `expired`, a nack/reject without requeue is `rejected`, the quorum-queue delivery limit is
// `delivery_limit`), so a reason swapped or miscounted anywhere between broker and report fails here.
const base = (over: Partial<ScenarioInput>): Scenario =>
  Scenario.parse({
    name: 'dead-letters',
    durationSec: 10,
    replications: 2,
    seed: 5,
    producers: [{ routingKey: 'q', arrivals: { process: 'deterministic', ratePerSec: 10 } }],
    broker: { queues: [{ name: 'q' }] },
    consumers: [],
    ...over,
  });

const none = { rejected: 0, expired: 0, maxlen: 0, delivery_limit: 0 };

function deadLetters(scenario: Scenario, { copiesEnqueued = true } = {}) {
  const r = simulate(scenario);
  const byReason = r.accounting.deadLetteredByReason;
  // The report's per-reason summary is the same sum, and the per-message total agrees with it
  // (for messages that were enqueued first; see reject-publish-dlx below).
  expect(r.summary.deadLettered).toEqual(byReason);
  if (copiesEnqueued) expect(Object.values(byReason).reduce((a, b) => a + b, 0)).toBe(r.accounting.deadLettered);
  return { byReason, accounting: r.accounting };
}

describe('dead-letter accounting per reason, through the simulator to the report', () => {
  it('drop-head overflow dead-letters the oldest as maxlen: all but the last maxLength published', () => {
    const { byReason, accounting } = deadLetters(base({ broker: { queues: [{ name: 'q', maxLength: 5, overflow: 'drop-head' }] } }));
    expect(accounting.published).toBeGreaterThan(100); // 10 s at 10/s, over 2 replications
    expect(byReason).toEqual({ ...none, maxlen: accounting.published - 2 * 5 });
    expect(accounting.stranded).toBe(2 * 5);
  });

  it('reject-publish-dlx dead-letters the refused newcomer as maxlen', () => {
    // The refused newcomer never became a queued copy, so the per-copy `deadLettered` total does not
    // count it (it reads 0 here while maxlen reads 192): only the per-reason count is checked.
    const { byReason, accounting } = deadLetters(base({ broker: { queues: [{ name: 'q', maxLength: 3, overflow: 'reject-publish-dlx' }] } }), { copiesEnqueued: false });
    expect(byReason).toEqual({ ...none, maxlen: accounting.attempted - 2 * 3 });
    expect(accounting.stranded).toBe(2 * 3);
  });

  it('a message TTL with nobody consuming dead-letters everything as expired', () => {
    const { byReason, accounting } = deadLetters(base({ broker: { queues: [{ name: 'q', messageTtlMs: 50 }] } }));
    expect(accounting.published).toBeGreaterThan(100);
    expect(byReason).toEqual({ ...none, expired: accounting.published });
  });

  it('a consumer that always fails without requeue dead-letters every message as rejected', () => {
    const { byReason, accounting } = deadLetters(
      base({ consumers: [{ queue: 'q', serviceTimeMs: { dist: 'deterministic', mean: 1 }, failureProbability: 1, onFailure: 'dead-letter' }] }),
    );
    expect(accounting.deliveries).toBe(accounting.published);
    expect(byReason).toEqual({ ...none, rejected: accounting.published });
  });

  it('a consumer that always fails with requeue hits the delivery limit: limit + 1 deliveries, then delivery_limit', () => {
    const { byReason, accounting } = deadLetters(
      base({
        broker: { queues: [{ name: 'q', deliveryLimit: 2 }] },
        consumers: [{ queue: 'q', serviceTimeMs: { dist: 'deterministic', mean: 1 }, failureProbability: 1, onFailure: 'requeue' }],
      }),
    );
    expect(byReason).toEqual({ ...none, delivery_limit: accounting.published });
    expect(accounting.deliveries).toBe(3 * accounting.published);
  });
});
