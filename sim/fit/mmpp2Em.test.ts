import { describe, expect, it } from 'vitest';
import { randomStreams } from '../random/streams.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import { fitData } from './fits.ts';
import { fitMmpp2Em, mmpp2LogLikelihood, type Mmpp2 } from './mmpp2Em.ts';

/** Gaps (ms) of a known MMPP2 written as the scenario's onoff process, from a seeded stream. */
function trace(spec: { on: number; off: number; meanOnSec: number; meanOffSec: number }, n: number, seed: number): number[] {
  const p = makeArrivals({ process: 'onoff', onRatePerSec: spec.on, offRatePerSec: spec.off, meanOnSec: spec.meanOnSec, meanOffSec: spec.meanOffSec });
  const random = randomStreams(seed).stream('mmpp-trace');
  return Array.from({ length: n }, () => p.nextGapMs(random));
}
const truth = (t: { on: number; off: number; meanOnSec: number; meanOffSec: number }): Mmpp2 => ({ lambda: [t.on / 1000, t.off / 1000], q: [1 / (t.meanOnSec * 1000), 1 / (t.meanOffSec * 1000)] });
const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('MMPP2 by EM (Rydén)', () => {
  // Tolerances: rates within 10 %, mean sojourns within 30 % (a 20,000-gap trace holds about 170
  // on-periods, so a mean sojourn is known to about ±8 % at one standard error).
  const cases = [
    { name: 'bursts of 50/s against 5/s', spec: { on: 50, off: 5, meanOnSec: 2, meanOffSec: 4 } },
    { name: 'bursts of 100/s against silence-ish 1/s', spec: { on: 100, off: 1, meanOnSec: 1, meanOffSec: 5 } },
  ];
  for (const c of cases) {
    for (const seed of [1, 2, 3]) {
      it(`recovers the parameters of a known MMPP2 from 20,000 gaps: ${c.name}, seed ${seed}`, { timeout: 60_000 }, () => {
        const gaps = trace(c.spec, 20_000, seed);
        const r = fitData(gaps, 'arrivals');
        const mmpp = r.fits.find((f) => f.name === 'mmpp2')!;
        expect(mmpp.method).toMatch(/^maximum likelihood by EM \(Rydén 1996\), \d+ iterations, log-likelihood/);
        const a = (mmpp.fragment as { arrivals: { process: 'onoff'; onRatePerSec: number; offRatePerSec: number; meanOnSec: number; meanOffSec: number } }).arrivals;
        expect(rel(a.onRatePerSec, c.spec.on)).toBeLessThan(0.1);
        expect(rel(a.offRatePerSec, c.spec.off)).toBeLessThan(0.1);
        expect(rel(a.meanOnSec, c.spec.meanOnSec)).toBeLessThan(0.3);
        expect(rel(a.meanOffSec, c.spec.meanOffSec)).toBeLessThan(0.3);
        expect(r.chosen.name).toBe('mmpp2');
      });
    }
  }

  it('each EM step does not lower the likelihood, and the fit beats the truth on its own data (it is the maximum)', () => {
    const spec = { on: 50, off: 5, meanOnSec: 2, meanOffSec: 4 };
    const gaps = trace(spec, 5000, 9);
    const start: Mmpp2 = { lambda: [0.03, 0.01], q: [0.002, 0.002] };
    let last = mmpp2LogLikelihood(gaps, start);
    for (const steps of [1, 2, 4, 8, 16]) {
      const f = fitMmpp2Em(gaps, start, steps, 0);
      expect(f.logLikelihood).toBeGreaterThanOrEqual(last - 1e-6);
      expect(mmpp2LogLikelihood(gaps, f)).toBeGreaterThanOrEqual(f.logLikelihood - 1e-6);
      last = f.logLikelihood;
    }
    const best = fitMmpp2Em(gaps, start);
    expect(best.converged).toBe(true);
    expect(mmpp2LogLikelihood(gaps, best)).toBeGreaterThan(mmpp2LogLikelihood(gaps, truth(spec)));
  });

  it('the likelihood of a Poisson stream seen as an MMPP with equal rates is the exponential likelihood', () => {
    const gaps = [3, 1, 4, 1, 5, 9, 2, 6];
    const rate = 0.25;
    const expected = gaps.reduce((s, x) => s + Math.log(rate) - rate * x, 0);
    expect(mmpp2LogLikelihood(gaps, { lambda: [rate, rate], q: [0.1, 0.3] })).toBeCloseTo(expected, 9);
  });
});
