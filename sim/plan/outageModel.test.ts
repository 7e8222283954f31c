import { describe, expect, it } from 'vitest';
import { approximateWithOutages, episode, episodeExceeding, type Outages } from './outageModel.ts';
import type { Load } from './screen.ts';
import { parseTarget } from './targets.ts';

const load: Load = { lambdaPerSec: 800, muPerSec: 200, ca2: 1, cs2: 1, consumers: 5, queue: 'q' };

describe('the restart episode as a fluid queue', () => {
  it('matches the closed form for a burst at the restart: (B − w·cμ)/(1 − ρ) arrivals wait longer than w', () => {
    // Burst B = λ_held·D all at once; the queue drains at cμ − λ. A burst message at position x waits
    // x/(cμ); arrivals during the drain see the backlog. Both together: (B − w·cμ)/(1 − ρ).
    const outages: Outages = { count: 1, downSec: 1, horizonSec: 100, heldPerSec: 800, spreadSec: 0.0001 };
    for (const c of [6, 8, 11]) {
      const ep = episode(load, outages, c);
      const rho = 800 / (c * 200);
      for (const w of [0.05, 0.1, 0.2]) {
        const exact = Math.max(0, 800 - w * c * 200) / (1 - rho);
        const fluid = episodeExceeding(ep, w);
        expect(Math.abs(fluid - exact)).toBeLessThan(0.02 * exact + 3);
      }
      expect(ep.peakBacklog).toBeCloseTo(800, -1);
    }
  });

  it('spreading the returning burst over the retry backoff lowers the peak by (cμ − λ)·spread', () => {
    const outages: Outages = { count: 1, downSec: 1, horizonSec: 100, heldPerSec: 800, spreadSec: 0.2 };
    expect(episode(load, outages, 10).peakBacklog).toBeCloseTo(800 - (2000 - 800) * 0.2, -1);
  });

  it('p99 wait falls with every consumer added, and is the steady tail alone when nothing is held', () => {
    const p99 = parseTarget('p99 wait < 200ms');
    const outages: Outages = { count: 2, downSec: 1, horizonSec: 100, heldPerSec: 800, spreadSec: 0.2 };
    const values = [5, 6, 8, 10, 12].map((c) => approximateWithOutages(load, outages, c, p99)!);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThan(values[i - 1]!);
    // Unstable: no finite value.
    expect(approximateWithOutages(load, outages, 4, p99)).toBe(Infinity);
    // Nothing held (no confirm window): the restarts add nothing; M/M/6 at a = 4: p99 = ln(C/0.01)/θ.
    const none = approximateWithOutages(load, { ...outages, heldPerSec: 0 }, 6, p99)!;
    const c6 = 0.2848; // Erlang C(6, 4)
    expect(none).toBeCloseTo((Math.log(c6 / 0.01) / (6 * 200 - 800)) * 1000, 0);
    // Counts and confirm latency are not predicted.
    expect(approximateWithOutages(load, outages, 6, parseTarget('lost = 0'))).toBeUndefined();
  });
});

describe('theory start with a target no count reaches', () => {
  it('starts at the stability bound and says theory finds no count, instead of starting at the cap', async () => {
    const { theoryConsumers } = await import('./screen.ts');
    const outages: Outages = { count: 2, downSec: 1, horizonSec: 100, heldPerSec: 800, spreadSec: 0.2 };
    // The held burst alone keeps the fault-window p99 above 1 ms at any count.
    expect(theoryConsumers(load, [parseTarget('p99 wait(fault) < 0.001ms')], 5, 10_000, outages)).toEqual({ consumers: 5, predicted: true, unreachable: true });
    // A reachable one is unaffected: the plain model's answer.
    expect(theoryConsumers(load, [parseTarget('p99 wait < 200ms')], 5, 10_000, outages).consumers).toBe(10);
  });
});
