import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import { simulate } from '../run/simulate.ts';
import { spreadOverQueues } from './spreadQueues.ts';

const restarts = JSON.parse(readFileSync(new URL('../../scenarios/capacity/consumer-sizing-restarts.json', import.meta.url), 'utf8'));

describe('spreadOverQueues', () => {
  it('splits a topic-routed queue into copies behind the same exchange, keys and consumers spread', () => {
    const spread = spreadOverQueues(restarts, 2) as typeof restarts;
    const parsed = parseScenario(spread, 'spread');
    expect(parsed.ok).toBe(true);
    expect(spread.broker.queues.map((q: { name: string }) => q.name)).toEqual(['billing.q0', 'billing.q1']);
    expect(spread.broker.bindings.map((b: { bindingKey: string }) => b.bindingKey)).toEqual(['order.*.paid.q0', 'order.*.paid.q1']);
    expect(spread.producers[0].routingKeys).toEqual([
      { key: 'order.eu.paid.q0', weight: 0.5 },
      { key: 'order.eu.paid.q1', weight: 0.5 },
    ]);
    expect(spread.consumers.map((c: { queue: string; count: number }) => [c.queue, c.count])).toEqual([
      ['billing.q0', 3],
      ['billing.q1', 2],
    ]);
    // The original is untouched, and one queue is the scenario itself.
    expect(restarts.broker.queues[0].name).toBe('billing');
    expect(spreadOverQueues(restarts, 1)).toBe(restarts);
  });

  it('routes every message: a short run of the spread scenario serves the offered load', () => {
    const short = { ...restarts, durationSec: 10, warmupSec: 2, replications: 1, faults: [], consumers: [{ ...restarts.consumers[0], count: 6 }] };
    const parsed = parseScenario(spreadOverQueues(short, 3), 'spread');
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const r = simulate(parsed.scenario);
    expect(r.accounting.unroutable ?? 0).toBe(0);
    expect(r.summary.throughput.mean!).toBeGreaterThan(760);
    expect(r.accounting.acked).toBeGreaterThan(7000);
  });

  it('refuses what cannot be spread by routing key', () => {
    const fanout = structuredClone(restarts);
    fanout.broker.exchanges[0].type = 'fanout';
    expect(() => spreadOverQueues(fanout, 2)).toThrow(/exchange 'orders' is fanout/);
    const shared = structuredClone(restarts);
    shared.broker.queues.push({ name: 'audit' });
    shared.broker.bindings.push({ queue: 'audit', exchange: 'orders', bindingKey: '#' });
    expect(() => spreadOverQueues(shared, 2)).toThrow(/also routes to 'audit'/);
    expect(() => spreadOverQueues(restarts, 0)).toThrow(/whole number ≥ 1/);
  });
});
