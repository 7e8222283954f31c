import { describe, expect, it } from 'vitest';
import { coverageOf } from './coverage.ts';
import { FAST_CASES } from './studies.ts';

/**
 * Coverage of the exact mean and p99 wait by the reports' 95 % intervals, over 200 fixed seeds, on
 * both paths (replications; one replication with batches). Tolerances: among runs that print an
 * interval, coverage ≥ 90 % — for a true 95 % interval the count is Binomial(≈200, 0.95) with sd ≈ 3.1,
 * so 90 % (180) is 3.2 sd below: a false alarm under 0.1 %; intervals 10 % too narrow (≈ 92–93 %) may
 * pass this band, which is why intervalWidth.test.ts tests half-widths directly. At least 95 % of
 * seeds must print an interval (a declined interval never counts as covered). The full study over
 * every model is `npm run coverage-study`.
 */
describe('coverage study (fast subset)', () => {
  for (const c of FAST_CASES) {
    it(`${c.name}: mean and p99 wait intervals cover ≥ 90 % of 200 seeds, ≥ 95 % print one`, () => {
      const row = coverageOf(c, 200);
      for (const t of [row.mean, row.p99!]) {
        expect(t.printed).toBeGreaterThanOrEqual(190);
        expect(t.covered).toBeGreaterThanOrEqual(Math.ceil(0.9 * t.printed));
      }
    }, 900_000);
  }
});
