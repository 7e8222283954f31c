import { describe, expect, it } from 'vitest';
import { acrossRounds, compareResults, failed } from './compare.ts';

const fig = (value: number, rme: number, samples: number) => ({ name: 'sim.mm1', unit: 'msg/s', value, rme, samples });

describe('the bench timing gate', () => {
  it('does not call a drop within the noise a regression (no single best value decides)', () => {
    // 25 % lower, but each side is ±30 %: the change's interval reaches well above −10 %.
    const rows = compareResults([fig(100, 30, 5)], [fig(75, 30, 5)], 0.1);
    expect(rows[0]!.status).toBe('ok');
    expect(rows[0]!.ci95![1]).toBeGreaterThan(-0.1);
  });

  it('calls a regression when the whole interval of the change lies below −threshold', () => {
    const rows = compareResults([fig(100, 2, 20)], [fig(70, 2, 20)], 0.1);
    expect(rows[0]!.status).toBe('regression');
    expect(rows[0]!.ci95![1]).toBeLessThan(-0.1);
    expect(failed(rows)).toBe(true);
  });

  it('excludes a figure with too few samples on either side from the verdict', () => {
    const rows = compareResults([fig(100, 1, 2)], [fig(10, 1, 20)], 0.1);
    expect(rows[0]!.status).toBe('too-few-samples');
    expect(failed(rows)).toBe(false);
  });

  it('compares exact (deterministic) figures exactly', () => {
    expect(compareResults([fig(4.8, 0, 1)], [fig(4.81, 0, 1)], 0.5)[0]!.status).toBe('changed');
  });

  it('rounds become samples: their mean, and a margin of error from their spread', () => {
    const merged = acrossRounds([[fig(90, 1, 50)], [fig(100, 1, 50)], [fig(110, 1, 50)]])[0]!;
    expect(merged.value).toBeCloseTo(100, 9);
    expect(merged.samples).toBe(3);
    // t(0.975, 2) · 10 / √3 / 100 = 24.8 %
    expect(merged.rme).toBeCloseTo(24.84, 1);
  });
});

describe('qlab bench --deterministic --check', () => {
  it('prints no percentage threshold: the figures are compared exactly', async () => {
    const { runQlab } = await import('../cli/runQlab.ts');
    const r = runQlab(['bench', '--deterministic', '--check', 'sim/bench/deterministic.json', '--threshold', '25%'], { timeoutMs: 300_000 });
    expect(r.stdout).toMatch(/compared with sim\/bench\/deterministic\.json \(exact figures, any difference fails\)/);
    expect(r.stdout).not.toMatch(/threshold|25 %/);
  }, 300_000);
});
