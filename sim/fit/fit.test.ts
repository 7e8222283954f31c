import { describe, expect, it } from 'vitest';
import { makeDistribution } from '../dist/spec.ts';
import { randomStreams } from '../random/streams.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import { fitData, ks } from './fits.ts';
import { DataFileError, parseColumn } from './readColumn.ts';

const draw = (spec: Parameters<typeof makeDistribution>[0], n: number, seed = 3) => {
  const d = makeDistribution(spec);
  const r = randomStreams(seed).stream('data');
  return Array.from({ length: n }, () => d.sample(r));
};

describe('reading a data column', () => {
  it('skips a header, blank and # lines; picks a column by name or number; turns timestamps into gaps', () => {
    const text = 'time,size\n# comment\n10,1\n\n15,2\n27,3\n';
    expect(parseColumn(text, 'f.csv', { kind: 'timestamps' })).toEqual([5, 12]);
    expect(parseColumn(text, 'f.csv', { kind: 'gaps', column: 'size' })).toEqual([1, 2, 3]);
    expect(parseColumn(text, 'f.csv', { kind: 'gaps', column: '2', scale: 1000 })).toEqual([1000, 2000, 3000]);
  });

  it('refuses bad files naming the line', () => {
    const bad = (text: string, kind: 'gaps' | 'timestamps' = 'gaps', column?: string) => () => parseColumn(text, 'f.csv', { kind, ...(column ? { column } : {}) });
    expect(bad('')).toThrow(new DataFileError('f.csv: no data rows (the file is empty)'));
    expect(bad('gap\n1\nabc\n')).toThrow(/^f\.csv:3: 'abc' is not a number$/);
    expect(bad('1\n-2\n')).toThrow(/^f\.csv:2: -2 is negative/);
    expect(bad('1\n5\n4\n', 'timestamps')).toThrow(/^f\.csv:3: timestamp 4 is before the one on line 2/);
    expect(bad('a,b\n1,2\n', 'gaps', 'c')).toThrow(/no column 'c' \(header: a, b\)/);
    expect(bad('1,2\n3\n', 'gaps', '2')).toThrow(/^f\.csv:2: no value in column 2/);
  });
});

describe('fitting', () => {
  it('KS of a sample against itself is 0, against a shifted copy is 1', () => {
    const a = [1, 2, 3, 4];
    expect(ks(a, [...a])).toBe(0);
    expect(ks(a, [11, 12, 13, 14])).toBe(1);
  });

  it('exponential data: exponential chosen, values independent', () => {
    const r = fitData(draw({ dist: 'exponential', mean: 50 }, 4000), 'arrivals');
    expect(r.chosen.name).toBe('exponential');
    expect(r.chosen.fragment).toEqual({ arrivals: { process: 'poisson', ratePerSec: expect.closeTo(20, 0) } });
    expect(r.reason).toMatch(/independent/);
  });

  it('Erlang-4 service data: Erlang with k = 4', () => {
    const r = fitData(draw({ dist: 'erlang', mean: 10, k: 4 }, 4000), 'service');
    expect(r.chosen.name).toBe('erlang');
    expect(r.chosen.fragment).toEqual({ serviceTimeMs: { dist: 'erlang', mean: expect.closeTo(10, 0), k: 4 } });
  });

  it('lognormal data (scv 2): lognormal, and no MMPP for independent gaps', () => {
    const r = fitData(draw({ dist: 'lognormal', mean: 10, scv: 2 }, 4000), 'arrivals');
    expect(r.chosen.name).toBe('lognormal');
  });

  it('bursty gaps from a two-state MMPP: positively correlated, the MMPP chosen with that reason', () => {
    const p = makeArrivals({ process: 'onoff', onRatePerSec: 100, offRatePerSec: 2, meanOnSec: 1, meanOffSec: 4 });
    const r0 = randomStreams(5).stream('data');
    const gaps = Array.from({ length: 5000 }, () => p.nextGapMs(r0));
    const r = fitData(gaps, 'arrivals');
    expect(r.data.lag1).toBeGreaterThan(r.data.lag1Bound);
    expect(r.chosen.name).toBe('mmpp2');
    expect(r.reason).toMatch(/positively correlated/);
    expect(r.chosen.lag1).toBeGreaterThan(0.05);
  });
});

describe('qlab fit (command)', () => {
  it('bad input is a usage error (exit 2) naming the file or flag', async () => {
    const { run } = await import('../cli/fitCommand.ts');
    expect(() => run(['/nonexistent/x.csv'])).toThrow(/x\.csv: no such file/);
    expect(() => run(['x.csv', '--as', 'both'])).toThrow(/--as must be arrivals or service/);
    expect(() => run([])).toThrow(/name a data file/);
  });
});
