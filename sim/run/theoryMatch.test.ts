import { describe, expect, it } from 'vitest';
import { Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { predict, type TheoryPrediction } from './theoryMatch.ts';

// Which queueing model a scenario is, and what theory predicts for it, in the run's units (ms,
// messages). Expected values are worked out by hand from the textbook formulas (exact rationals,
// checked with Python's fractions), not taken from sim/theory.
const exp = (mean: number) => ({ dist: 'exponential' as const, mean });
const scenario = (over: Partial<ScenarioInput> = {}): Scenario =>
  Scenario.parse({
    name: 'match',
    durationSec: 100,
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.7 } }],
    broker: { queues: [{ name: 'work' }] },
    consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: exp(1000) }],
    ...over,
  });

function model(s: Scenario): TheoryPrediction {
  const p = predict(s);
  if ('notApplicable' in p) throw new Error(`expected a model, got: ${p.notApplicable}`);
  return p;
}
const close = (actual: number | undefined, expected: number) => expect(actual).toBeCloseTo(expected, 6);

describe('predict: the model a scenario is', () => {
  it('one exponential consumer at λ 0.7/s, mean 1 s: M/M/1 in milliseconds', () => {
    const p = model(scenario());
    expect(p).toMatchObject({ model: 'mm1', inputs: { lambda: 0.7, mu: 1 }, stable: true });
    expect(p.inputs).not.toHaveProperty('c');
    expect(p.inputs).not.toHaveProperty('cs2');
    // Wq = ρ/(μ − λ) = 7/3 s, W = 1/(μ − λ) = 10/3 s, Lq = ρ²/(1 − ρ) = 49/30, L = 7/3.
    close(p.values.Wq, 7000 / 3);
    close(p.values.W, 10000 / 3);
    close(p.values.Lq, 49 / 30);
    close(p.values.L, 7 / 3);
    expect(p.approximation).toBeUndefined();
    expect(p.values.Pblock).toBeUndefined();
  });

  it('producers add up (count × rate) and consumers are counted by count: M/M/c', () => {
    const p = model(
      scenario({
        producers: [
          { routingKey: 'work', count: 2, arrivals: { process: 'poisson', ratePerSec: 0.7 } },
          { routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 1 } },
        ],
        consumers: [
          { queue: 'work', count: 2, prefetch: 1, serviceTimeMs: exp(1000) },
          { queue: 'work', prefetch: 1, serviceTimeMs: exp(1000) },
        ],
      }),
    );
    expect(p).toMatchObject({ model: 'mmc', inputs: { lambda: 2.4, mu: 1, c: 3 } });
    // Erlang C at a = 12/5, c = 3: Wq = 96/89 s, W = 185/89 s, Lq = 1152/445, L = 444/89.
    close(p.values.Wq, 96000 / 89);
    close(p.values.W, 185000 / 89);
    close(p.values.Lq, 1152 / 445);
    close(p.values.L, 444 / 89);
  });

  it('deterministic service is M/D/1 and other service M/G/1, with their scv; several G servers are G/G/c, labelled', () => {
    const md1 = model(scenario({ producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.5 } }], consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: { dist: 'deterministic', mean: 1000 } }] }));
    expect(md1).toMatchObject({ model: 'md1', inputs: { lambda: 0.5, mu: 1, cs2: 0 } });
    close(md1.values.Wq, 500); // ρ/(2μ(1 − ρ)) = 1/2 s
    const mg1 = model(scenario({ producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.5 } }], consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: { dist: 'gamma', mean: 1000, scv: 0.5 } }] }));
    expect(mg1).toMatchObject({ model: 'mg1', inputs: { cs2: expect.closeTo(0.5, 9) } });
    close(mg1.values.Wq, 750); // ρ(1 + cs²)/(2μ(1 − ρ)) = 3/4 s
    const ggc = model(scenario({ producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 2.4 } }], consumers: [{ queue: 'work', count: 3, prefetch: 1, serviceTimeMs: { dist: 'gamma', mean: 1000, scv: 0.5 } }] }));
    expect(ggc).toMatchObject({ model: 'ggc', inputs: { c: 3 } });
    expect(ggc.approximation).toMatch(/Allen–Cunneen/);
    close(ggc.values.Wq, 72000 / 89); // Erlang C wait 96/89 s × (1 + 0.5)/2
  });

  it('a length limit with reject-publish is M/M/c/K with K = maxLength + c, blocking included', () => {
    const p = model(
      scenario({
        producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 2.4 } }],
        broker: { queues: [{ name: 'work', maxLength: 4, overflow: 'reject-publish' }] },
        consumers: [{ queue: 'work', count: 2, prefetch: 1, serviceTimeMs: exp(1000) }],
      }),
    );
    expect(p).toMatchObject({ model: 'mmck', inputs: { lambda: 2.4, mu: 1, c: 2, K: 6 } });
    // Birth–death weights 1, 12/5, 72/25, then ×6/5 up to n = 6 (exact fractions).
    close(p.values.Pblock, 0.2404967048714294);
    close(p.values.L, 3.859236025020812);
    close(p.values.Lq, 2.0364281167122424);
    close(p.values.W, 2117.1929348287154);
    close(p.values.Wq, 1117.1929348287154);
  });

  it('priority mixes are non-preemptive classes, highest first, priorities above maxPriority at the maximum', () => {
    const p = model(
      scenario({
        producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.7 }, priorityMix: { '0': 0.7, '5': 0.2, '9': 0.1 } }],
        broker: { queues: [{ name: 'work', maxPriority: 2 }] },
      }),
    );
    expect(p.model).toBe('priority-np');
    expect(p.inputs.lambdas).toEqual([expect.closeTo(0.21, 9), expect.closeTo(0.49, 9)]);
    // Cobham: R = λE[S²]/2 = 0.7 s; Wq_high = R/(1 − 0.21), Wq_low = R/((1 − 0.21)(1 − 0.7)).
    expect(p.values.classes!.map((k) => k.priority)).toEqual([2, 0]);
    close(p.values.classes![0]!.Wq, 700 / 0.79);
    close(p.values.classes![1]!.Wq, 700 / (0.79 * 0.3));
    close(p.values.classes![0]!.W, 700 / 0.79 + 1000);
  });

  it('an overloaded system is a model without a steady state', () => {
    const p = model(scenario({ producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 1.2 } }] }));
    expect(p.stable).toBe(false);
    expect(p.values.Wq).toBeNaN();
    expect(p.values.L).toBeNaN();
  });

  it('a zero-latency deterministic link is no latency', () => {
    expect(model(scenario({ network: { deliverLatencyMs: { dist: 'deterministic', mean: 0 } } })).model).toBe('mm1');
  });
});

describe('predict: why theory does not apply', () => {
  const work = (over: object) => ({ name: 'work', ...over });
  it.each<[string, Partial<ScenarioInput>, RegExp]>([
    ['a fault', { faults: [{ kind: 'broker-crash', atSec: [5] }] }, /faults are injected/],
    ['publish latency', { network: { publishLatencyMs: exp(1) } }, /latency/],
    ['ack latency', { network: { ackLatencyMs: { dist: 'deterministic', mean: 2 } } }, /latency/],
    ['deterministic arrivals', { producers: [{ routingKey: 'work', arrivals: { process: 'deterministic', ratePerSec: 0.5 } }] }, /arrivals are deterministic, not Poisson/],
    ['a message TTL', { producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.5 }, messageTtlMs: 100 }] }, /messages carry a TTL/],
    ['two target queues', { broker: { queues: [work({}), { name: 'other' }], exchanges: [{ name: 'fan', type: 'fanout' }], bindings: [{ queue: 'work', exchange: 'fan' }, { queue: 'other', exchange: 'fan' }] }, producers: [{ exchange: 'fan', routingKey: 'x', arrivals: { process: 'poisson', ratePerSec: 0.5 } }] }, /do not all route to one queue/],
    ['no route at all', { producers: [{ routingKey: 'nowhere', arrivals: { process: 'poisson', ratePerSec: 0.5 } }] }, /do not all route to one queue/],
    ['a queue TTL', { broker: { queues: [work({ messageTtlMs: 100 })] } }, /the queue has a TTL/],
    ['no consumer', { consumers: [] }, /no consumers/],
    ['prefetch 2', { consumers: [{ queue: 'work', prefetch: 2, serviceTimeMs: exp(1000) }] }, /prefetch 1 and manual ack/],
    ['auto ack', { consumers: [{ queue: 'work', prefetch: 1, ack: 'auto', serviceTimeMs: exp(1000) }] }, /prefetch 1 and manual ack/],
    ['failures', { consumers: [{ queue: 'work', prefetch: 1, failureProbability: 0.1, serviceTimeMs: exp(1000) }] }, /fail some messages/],
    ['mixed service', { consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: exp(1000) }, { queue: 'work', prefetch: 1, serviceTimeMs: exp(500) }] }, /different service times/],
    ['drop-head limit', { broker: { queues: [work({ maxLength: 3, overflow: 'drop-head' })] } }, /only with overflow reject-publish/],
    ['limit with gamma service', { broker: { queues: [work({ maxLength: 3, overflow: 'reject-publish' })] }, consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: { dist: 'gamma', mean: 1000, scv: 0.5 } }] }, /needs exponential service/],
    ['limit with priorities', { broker: { queues: [work({ maxLength: 3, overflow: 'reject-publish', maxPriority: 2 })] }, producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.5 }, priorityMix: { '0': 1, '2': 1 } }] }, /priority classes with a length limit/],
    ['priorities on two consumers', { broker: { queues: [work({ maxPriority: 2 })] }, producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.5 }, priorityMix: { '0': 1, '2': 1 } }], consumers: [{ queue: 'work', count: 2, prefetch: 1, serviceTimeMs: exp(1000) }] }, /modelled on one consumer/],
  ])('%s', (_what, over, reason) => {
    const p = predict(scenario(over));
    expect(p).toEqual({ notApplicable: expect.stringMatching(reason) });
  });
});
