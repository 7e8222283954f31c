import { describe, expect, it } from 'vitest';
import { Scenario } from '../scenario/schema.ts';
import { runReplication } from './replication.ts';
import { Tracker } from './tracker.ts';

const delivery = (id: number, tag: number) => ({ deliveryTag: tag, consumerTag: 'c', queue: 'q', body: new Uint8Array(0), properties: { qlabId: id }, exchange: '', routingKey: 'q', redelivered: false, deliveryCount: 1, deaths: [] });

/** One message's whole life through the tracker: created, published, enqueued, delivered, served, acked. */
function serve(tracker: Tracker, atMs: number, ackBeforeServiceEnds = false): void {
  const id = tracker.created(atMs);
  tracker.publishOutcome(id, 'published');
  tracker.enqueued('q', { qlabId: id }, atMs);
  const d = delivery(id, id + 1);
  tracker.delivered(d, atMs + 1);
  const copy = tracker.copyOf(d);
  tracker.heldBy(copy, 0);
  tracker.serviceStarted(copy, atMs + 1);
  if (ackBeforeServiceEnds) tracker.acked('q', { qlabId: id }, atMs + 1); // auto-ack: acked at delivery
  tracker.serviceEnded(copy, atMs + 2, true);
  if (!ackBeforeServiceEnds) tracker.acked('q', { qlabId: id }, atMs + 2);
}

describe('tracker rows', () => {
  it('with recycling, a million settled messages need no more rows than the first thousand', () => {
    const tracker = new Tracker(['q'], 1, 1e7, 20);
    tracker.recycle = true;
    tracker.brokerStarted();
    for (let i = 0; i < 1_000_000; i++) serve(tracker, i * 3, i % 2 === 0);
    expect(tracker.rowCapacity).toEqual({ messages: 1024, copies: 1024 });
    expect(tracker.messages).toBe(1_000_000);
    expect(tracker.retired.acked + (tracker.copies - tracker.copyBase)).toBe(1_000_000);
  });

  it('keeps the row of a message acked but still in the consumer’s hands (auto-ack), and of one never settled', () => {
    const tracker = new Tracker(['q'], 1, 1e7, 20);
    tracker.recycle = true;
    tracker.brokerStarted();
    const stuck = tracker.created(0);
    tracker.publishOutcome(stuck, 'published');
    tracker.enqueued('q', { qlabId: stuck }, 0);
    const d = delivery(stuck, 1);
    tracker.delivered(d, 1);
    tracker.heldBy(tracker.copyOf(d), 0);
    tracker.acked('q', { qlabId: stuck }, 1);
    for (let i = 1; i < 5000; i++) serve(tracker, i * 3);
    expect(tracker.msgBase).toBe(0);
    expect(tracker.rowCapacity.messages).toBeGreaterThanOrEqual(5000);
    // Its service ends: the next growth check retires it and everything after it.
    tracker.serviceEnded(tracker.copyOf(d), 20_000, true);
    for (let i = 0; i < 9000; i++) serve(tracker, 20_000 + i * 3);
    expect(tracker.msgBase).toBeGreaterThan(5000);
  });

  it('a run that recycles rows reports exactly what the same run keeping every row reports', () => {
    const scenario = Scenario.parse({
      name: 'recycling',
      seed: 3,
      durationSec: 3000,
      replications: 1,
      broker: { queues: [{ name: 'work', maxPriority: 2 }] },
      producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 1.6 }, priorityMix: { '0': 0.6, '2': 0.4 } }],
      consumers: [{ queue: 'work', count: 2, prefetch: 3, serviceTimeMs: { dist: 'exponential', mean: 1000 } }],
    });
    const recycled = runReplication(scenario, 7);
    const kept = runReplication(scenario, 7, { records: true });
    expect(kept.records!.arrivalMs.length).toBeGreaterThan(4000);
    const { records: _, ...keptWithoutRecords } = kept;
    expect(JSON.stringify(recycled)).toBe(JSON.stringify(keptWithoutRecords));
  });
});
