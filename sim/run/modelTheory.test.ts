import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { predictErlangA } from './erlangAMatch.ts';
import { predictJackson, type JacksonPrediction } from './jacksonMatch.ts';
import { simulate } from './simulate.ts';
import { predict } from './theoryMatch.ts';

const exp = (mean: number) => ({ dist: 'exponential' as const, mean });
const teaching = (file: string, over: Partial<ScenarioInput> = {}) =>
  Scenario.parse({ ...JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios/teaching', file), 'utf8')), ...over });

function jackson(s: Scenario): JacksonPrediction {
  const p = predictJackson(s);
  if ('notApplicable' in p) throw new Error(p.notApplicable);
  return p;
}

describe('Jackson network theory for pipelines', () => {
  it('tandem with 20 % feedback: traffic equations and per-station M/M/c worked by hand', () => {
    const p = jackson(teaching('jackson-tandem-feedback.json'));
    // λ = 5 + 0.2λ ⇒ 6.25 at both; parse M/M/1 μ = 10: W = 1/(10 − 6.25) = 266.67 ms.
    expect(p.stations.map((s) => s.lambda)).toEqual([6.25, 6.25].map((x) => expect.closeTo(x, 9)));
    expect(p.stations[0]!.W).toBeCloseTo(800 / 3, 6);
    // enrich M/M/2, μ = 20/3, a = 0.9375, ρ = 0.46875: C = a²/(2(1−ρ)) / (1 + a + a²/(2(1−ρ))); Wq = C/(2μ − λ).
    const a = 0.9375;
    const tail = (a * a) / 2 / (1 - a / 2);
    const C = tail / (1 + a + tail);
    const wq = C / (40 / 3 - 6.25);
    expect(p.stations[1]!.Wq).toBeCloseTo(wq * 1000, 6);
    expect(p.W).toBeCloseTo(1.25 * (800 / 3 + (wq + 0.15) * 1000), 6);
    expect(predict(teaching('jackson-tandem-feedback.json'))).toEqual({ notApplicable: expect.stringMatching(/pipeline/) });
  });

  it('says why not when a stage is not an M/M/c station or a flow splits', () => {
    const base = teaching('jackson-tandem-feedback.json');
    const withService = Scenario.parse({ ...base, consumers: [{ ...base.consumers[0]!, serviceTimeMs: { dist: 'deterministic', mean: 100 } }, base.consumers[1]!] });
    expect(predictJackson(withService)).toEqual({ notApplicable: expect.stringMatching(/service at 'parse' is deterministic/) });
    const split = Scenario.parse({ ...base, consumers: [{ ...base.consumers[0]!, forward: { routes: [{ routingKey: 'enrich', probability: 1 }], messages: 2 } }, base.consumers[1]!] });
    expect(predictJackson(split)).toEqual({ notApplicable: expect.stringMatching(/forwards 2 messages/) });
    const prefetch = Scenario.parse({ ...base, consumers: [base.consumers[0]!, { ...base.consumers[1]!, prefetch: 10 }] });
    expect(predictJackson(prefetch)).toEqual({ notApplicable: expect.stringMatching(/prefetch 1/) });
  });

  it('the real engine agrees: stage and end-to-end means within 8 % of theory (3 × 1500 s)', { timeout: 120_000 }, () => {
    const r = simulate(teaching('jackson-tandem-feedback.json', { durationSec: 1500, warmupSec: 150, replications: 3 }));
    const j = r.model!.jackson!;
    const stage = (q: string) => r.model!.stages!.find((s) => s.queue === q)!;
    for (const s of j.stations) {
      expect(Math.abs(stage(s.queue).sojournMs.mean! / s.W - 1)).toBeLessThan(0.08);
      expect(Math.abs(stage(s.queue).utilization.mean! / s.rho - 1)).toBeLessThan(0.03);
    }
    expect(Math.abs(r.model!.endToEnd!.sojournMs.mean! / j.W - 1)).toBeLessThan(0.08);
    expect(r.model!.endToEnd!.incomplete).toBe(0);
  });
});

describe('Erlang-A for impatient messages', () => {
  it('applies to Poisson + exponential patience + prefetch 1, and says why not otherwise', () => {
    const s = teaching('erlang-a.json');
    expect(predictErlangA(s, 'calls')).toMatchObject({ model: 'erlangA', inputs: { lambda: 5, mu: 2.5, c: 2, theta: 1 } });
    const prefetched = Scenario.parse({ ...s, consumers: [{ ...s.consumers[0]!, prefetch: 5 }] });
    expect(predictErlangA(prefetched, 'calls')).toEqual({ notApplicable: expect.stringMatching(/prefetched message never expires/) });
    const latency = Scenario.parse({ ...s, network: { deliverLatencyMs: exp(1) } });
    expect(predictErlangA(latency, 'calls')).toEqual({ notApplicable: expect.stringMatching(/latency/) });
    const fixed = Scenario.parse({ ...s, producers: [{ ...s.producers[0]!, patienceMs: { dist: 'deterministic', mean: 1000 } }] });
    expect(predictErlangA(fixed, 'calls')).toMatchObject({ model: 'mmc+d', inputs: { lambda: 5, mu: 2.5, c: 2, patience: 1 } });
    const spread = Scenario.parse({ ...s, producers: [{ ...s.producers[0]!, patienceMs: { dist: 'lognormal', mean: 1000, scv: 1 } }] });
    expect(predictErlangA(spread, 'calls')).toEqual({ notApplicable: expect.stringMatching(/patience is lognormal, neither exponential nor deterministic/) });
    const mixed = Scenario.parse({ ...s, producers: [s.producers[0]!, { ...s.producers[0]!, patienceMs: { dist: 'deterministic', mean: 1000 } }] });
    expect(predictErlangA(mixed, 'calls')).toEqual({ notApplicable: expect.stringMatching(/different shapes/) });
    expect(predictErlangA(teaching('mmc.json'), 'work')).toBeUndefined();
  });

  it('the real engine agrees: P(abandon) within 0.015 and the waits within 8 % (3 × 1500 s)', { timeout: 120_000 }, () => {
    const r = simulate(teaching('erlang-a.json', { durationSec: 1500, warmupSec: 150, replications: 3 }));
    const m = r.model!.impatience!;
    const t = m.theory!.values;
    expect(Math.abs(m.abandonProbability.mean! - t.Pabandon)).toBeLessThan(0.015);
    expect(Math.abs(m.waitServedMs.mean! / t.WqServed - 1)).toBeLessThan(0.08);
    expect(Math.abs(m.waitAllMs.mean! / t.Wq - 1)).toBeLessThan(0.08);
    expect(Math.abs(r.summary.queueLength.mean! / t.Lq - 1)).toBeLessThan(0.08);
    // Abandoned = expired dead-letters.
    expect(r.summary.deadLettered.expired).toBeGreaterThan(0);
  });

  it('deterministic patience on the real engine agrees with the exact M/M/c+D: P(abandon) within 0.015, waits within 8 % (3 × 1500 s)', { timeout: 120_000 }, () => {
    const r = simulate(teaching('deterministic-patience.json', { durationSec: 1500, warmupSec: 150, replications: 3 }));
    const m = r.model!.impatience!;
    expect(m.theory!.model).toBe('mmc+d');
    const t = m.theory!.values;
    // At λ = cμ the closed form is rational: P(abandon) = 2/15, Wq = 7/15 s.
    expect(t.Pabandon).toBeCloseTo(2 / 15, 12);
    expect(t.Wq).toBeCloseTo(7000 / 15, 9);
    expect(Math.abs(m.abandonProbability.mean! - t.Pabandon)).toBeLessThan(0.015);
    expect(Math.abs(m.waitServedMs.mean! / t.WqServed - 1)).toBeLessThan(0.08);
    expect(Math.abs(m.waitAllMs.mean! / t.Wq - 1)).toBeLessThan(0.08);
    expect(Math.abs(r.summary.queueLength.mean! / t.Lq - 1)).toBeLessThan(0.08);
    // No served message waited as long as its patience.
    expect(r.summary.wait.max.mean!).toBeLessThan(1000);
  });
});
