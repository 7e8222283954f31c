import { describe, expect, it } from 'vitest';
import { Scenario } from '../scenario/schema.ts';
import { SimulationInvariantError } from './invariantError.ts';
import type { Accounting } from './measure.ts';
import { checkSafety, confirmedMustSurvive } from './safety.ts';

const promised = Scenario.parse({
  name: 'promised',
  durationSec: 10,
  producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 1 }, persistent: true, confirms: true }],
  broker: { durability: { fsync: 'always' }, queues: [{ name: 'q', durable: true }] },
  consumers: [{ queue: 'q', serviceTimeMs: { dist: 'exponential', mean: 1 } }],
});
const accounting = (over: Partial<Accounting>): Accounting =>
  ({ attempted: 10, published: 10, confirmed: 10, refused: 0, unavailable: 0, delivered: 10, deliveries: 10, redeliveries: 0, acked: 10, deadLettered: 0, deadLetteredByReason: {}, lost: 0, lostUnconfirmed: 0, stranded: 0, duplicated: 0, unexpected: 0, failures: 0, ...over }) as Accounting;

describe('end-of-replication safety', () => {
  it('a confirmed message lost where the engine promises none is a broken invariant naming seed and time', () => {
    expect(confirmedMustSurvive(promised)).toBe(true);
    expect(() => checkSafety(promised, accounting({ lost: 1 }), 17, 2500)).toThrow(SimulationInvariantError);
    expect(() => checkSafety(promised, accounting({ lost: 1 }), 17, 2500)).toThrow(/at virtual time 2500\.000 ms \(seed 17\): 1 confirmed messages lost/);
  });

  it('loss under weaker settings is measured, not an error; a message never published always is one', () => {
    const weaker = Scenario.parse({ ...promised, broker: { ...promised.broker, durability: { fsync: 'never' } } });
    expect(confirmedMustSurvive(weaker)).toBe(false);
    expect(() => checkSafety(weaker, accounting({ lost: 3 }), 1, 0)).not.toThrow();
    expect(() => checkSafety(weaker, accounting({ unexpected: 1 }), 1, 0)).toThrow(/never published/);
  });
});
