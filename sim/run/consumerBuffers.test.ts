import { describe, expect, it } from 'vitest';
import { Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { ConsumerBuffers } from './consumerBuffers.ts';
import { simulate } from './simulate.ts';

const scenario = (consumer: Record<string, unknown>, over: Partial<ScenarioInput> = {}): Scenario =>
  Scenario.parse({
    name: 'buffers',
    durationSec: 200,
    replications: 1,
    seed: 3,
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 8 } }],
    broker: { queues: [{ name: 'work' }] },
    consumers: [{ queue: 'work', serviceTimeMs: { dist: 'exponential', mean: 100 }, ...consumer }],
    ...over,
  });

type Series = { queueLength: number[]; inSystem: number[]; busyConsumers: number[]; inConsumerBuffers?: number[] };
const seriesOf = (s: Scenario) => simulate(s).series as Series;

describe('messages held in consumer buffers, recorded by the simulated consumers', () => {
  it('auto-ack, prefetch 10: the broker shows nothing ready while the backlog sits in the buffers', () => {
    const s = seriesOf(scenario({ ack: 'auto', prefetch: 10 }));
    const buffers = s.inConsumerBuffers!;
    expect(buffers).toHaveLength(s.queueLength.length);
    // The broker hands every message out at once, so ready stays 0 …
    expect(s.queueLength.every((v) => v === 0)).toBe(true);
    // … and the broker forgets it at delivery, so it is not in the broker's count either.
    expect(s.inSystem.every((v) => v === 0)).toBe(true);
    // The backlog is in the buffers: at ρ = 0.8 most buckets hold some.
    expect(buffers.filter((v) => v > 0).length).toBeGreaterThan(buffers.length / 2);
    expect(Math.max(...buffers)).toBeGreaterThan(1);
  });

  it('manual ack, prefetch 5, instant links: unacked at the broker = in buffers + in service, bucket by bucket', () => {
    const s = seriesOf(scenario({ ack: 'manual', prefetch: 5 }));
    const buffers = s.inConsumerBuffers!;
    expect(buffers.some((v) => v > 0.5)).toBe(true);
    s.inSystem.forEach((held, i) => {
      expect(buffers[i]! + s.busyConsumers[i]!).toBeCloseTo(held - s.queueLength[i]!, 3);
    });
  });

  it('manual ack, prefetch 1: a consumer never holds a message it is not serving', () => {
    const s = seriesOf(scenario({ ack: 'manual', prefetch: 1 }));
    expect(s.inConsumerBuffers!.every((v) => v === 0)).toBe(true);
    expect(s.queueLength.some((v) => v > 0)).toBe(true);
  });

  it('a dropped connection empties that consumer\u2019s count, not the others\u2019', () => {
    const b = new ConsumerBuffers(1000, 10);
    b.received(0, 0);
    b.received(0, 0);
    b.received(1, 0);
    b.started(0, 100); // 2 held from 0 to 100 ms, then 1
    b.lost(0, 300); // consumer 0's last one gone at 300 ms; consumer 1 holds its one to the end
    b.started(0, 400); // nothing left to start: no change
    expect(b.seriesOf(10).inConsumerBuffers).toEqual([3, 2, 2, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('records nothing when no consumer reported', () => {
    expect(new ConsumerBuffers(1000, 10).seriesOf(10)).toEqual({});
  });
});
