import { describe, expect, it } from 'vitest';
import { Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { simulate } from './simulate.ts';

const exp = (mean: number) => ({ dist: 'exponential' as const, mean });

/**
 * orders → (forward) → ship; a shipment fails with probability 0.25 and is dead-lettered through
 * 'dlx' to 'parked', where a consumer handles it. Every flow ends either shipped or parked.
 */
const pipeline = (over: Partial<ScenarioInput> = {}): Scenario =>
  Scenario.parse({
    name: 'dlx-flow',
    durationSec: 600,
    warmupSec: 0,
    replications: 2,
    seed: 3,
    producers: [{ routingKey: 'orders', arrivals: { process: 'poisson', ratePerSec: 4 } }],
    broker: {
      exchanges: [{ name: 'dlx', type: 'direct' }],
      queues: [{ name: 'orders' }, { name: 'ship', deadLetterExchange: 'dlx', deadLetterRoutingKey: 'parked' }, { name: 'parked' }],
      bindings: [{ queue: 'parked', exchange: 'dlx', bindingKey: 'parked' }],
    },
    consumers: [
      { queue: 'orders', serviceTimeMs: exp(50), forward: { routes: [{ routingKey: 'ship', probability: 1 }] } },
      { queue: 'ship', serviceTimeMs: exp(60), failureProbability: 0.25, onFailure: 'dead-letter' },
      { queue: 'parked', serviceTimeMs: exp(80) },
    ],
    ...over,
  } satisfies ScenarioInput);

describe('pipeline flows through a dead-letter hop', () => {
  it('a message dead-lettered to the DLX queue and consumed there completes its flow: every flow completes', { timeout: 120_000 }, () => {
    const r = simulate(pipeline());
    const e2e = r.model!.endToEnd!;
    expect(r.summary.deadLettered.rejected).toBeGreaterThan(100);
    expect(e2e.started).toBeGreaterThan(3000);
    expect(e2e.incomplete).toBe(0);
    expect(e2e.completed).toBe(e2e.started);
    const parked = r.model!.stages!.find((s) => s.queue === 'parked')!;
    // A quarter of the shipments reach 'parked' (4/s × 0.25 = 1/s).
    expect(parked.throughputPerSec.mean!).toBeGreaterThan(0.8);
    expect(parked.throughputPerSec.mean!).toBeLessThan(1.2);
    // The end-to-end mean includes the parked flows' extra hop: above orders + ship alone.
    const stage = (q: string) => r.model!.stages!.find((s) => s.queue === q)!.sojournMs.mean!;
    const shipOnly = stage('orders') + stage('ship');
    const withParking = shipOnly + 0.25 * stage('parked');
    expect(Math.abs(e2e.sojournMs.mean! / withParking - 1)).toBeLessThan(0.1);
  });

  it('without a consumer on the dead-letter queue those flows stay incomplete, and without a dead-letter exchange they end there', { timeout: 120_000 }, () => {
    const base = pipeline();
    const unconsumed = simulate(pipeline({ consumers: base.consumers.slice(0, 2) }));
    const e1 = unconsumed.model!.endToEnd!;
    const rejected = unconsumed.summary.deadLettered.rejected;
    expect(e1.incomplete).toBe(rejected);
    const dropped = simulate(
      pipeline({
        broker: { exchanges: [], queues: [{ name: 'orders' }, { name: 'ship' }, { name: 'parked' }], bindings: [] },
        consumers: base.consumers.slice(0, 2),
      }),
    );
    const e2 = dropped.model!.endToEnd!;
    expect(e2.incomplete).toBe(dropped.summary.deadLettered.rejected);
    expect(e2.completed).toBe(e2.started - e2.incomplete);
  });

  it('a dead-letter exchange that fans out to two queues: the flow ends when both copies are consumed, counted once', { timeout: 120_000 }, () => {
    const r = simulate(
      pipeline({
        broker: {
          exchanges: [{ name: 'dlx', type: 'fanout' }],
          queues: [{ name: 'orders' }, { name: 'ship', deadLetterExchange: 'dlx' }, { name: 'parked' }, { name: 'audit' }],
          bindings: [
            { queue: 'parked', exchange: 'dlx' },
            { queue: 'audit', exchange: 'dlx' },
          ],
        },
        consumers: [...pipeline().consumers, { queue: 'audit', serviceTimeMs: exp(300) }],
      }),
    );
    const e2e = r.model!.endToEnd!;
    expect(e2e.incomplete).toBe(0);
    expect(e2e.completed).toBe(e2e.started);
    // The slow audit copy makes the dead-lettered flows longer than the parked one alone would.
    const stage = (q: string) => r.model!.stages!.find((s) => s.queue === q)!.sojournMs.mean!;
    expect(e2e.sojournMs.mean!).toBeGreaterThan(stage('orders') + stage('ship') + 0.25 * stage('parked'));
  });

  it('a root message dead-lettered before any service (its TTL ran out) is followed too', { timeout: 120_000 }, () => {
    const s = pipeline({
      producers: [{ routingKey: 'orders', arrivals: { process: 'poisson', ratePerSec: 4 }, messageTtlMs: 100 }],
      broker: {
        exchanges: [{ name: 'dlx', type: 'direct' }],
        queues: [{ name: 'orders', deadLetterExchange: 'dlx', deadLetterRoutingKey: 'parked' }, { name: 'ship' }, { name: 'parked' }],
        bindings: [{ queue: 'parked', exchange: 'dlx', bindingKey: 'parked' }],
      },
      consumers: [
        { queue: 'orders', serviceTimeMs: exp(200), forward: { routes: [{ routingKey: 'ship', probability: 1 }] } },
        { queue: 'ship', serviceTimeMs: exp(60) },
        { queue: 'parked', serviceTimeMs: exp(10) },
      ],
    });
    const r = simulate(s);
    expect(r.summary.deadLettered.expired).toBeGreaterThan(100);
    expect(r.model!.endToEnd!.incomplete).toBe(0);
    expect(r.model!.endToEnd!.completed).toBe(r.model!.endToEnd!.started);
  });
});
