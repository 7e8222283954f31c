import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReport } from '../report/schema.ts';
import { runQlab } from './runQlab.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (file: string) => readFileSync(file, 'utf8');

const scenario = (name: string, ratePerSec: number, over: Record<string, unknown> = {}) => {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      durationSec: 2000,
      replications: 2,
      producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec } }],
      broker: { queues: [{ name: 'work' }] },
      consumers: [{ queue: 'work', count: 1, prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: 1000 } }],
      ...over,
    }),
  );
  return file;
};

describe('qlab run --precision', () => {
  const file = scenario('precise', 0.5, { precision: { relativeHalfWidth: 0.1, maxReplications: 16 } });

  it('adds replications until the target is met, reports what it reached, byte-identical whatever --workers', () => {
    const one = join(dir, 'p1.json');
    const two = join(dir, 'p2.json');
    const r1 = runQlab(['run', file, '--out', one, '--workers', '1']);
    expect(r1.code).toBe(0);
    expect(runQlab(['run', file, '--out', two, '--workers', '2']).code).toBe(0);
    expect(read(two)).toBe(read(one));
    const parsed = parseReport(read(one), one);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const p = parsed.report.runs[0]!.result.precision!;
    expect(p.target).toBe(0.1);
    expect(p.replications).toBeGreaterThan(2);
    expect(parsed.report.runs[0]!.result.seeds).toHaveLength(p.replications);
    if (p.met) for (const v of Object.values(p.reached)) expect(v!).toBeLessThan(0.1);
    else expect(p.replications).toBe(16);
    expect(r1.stdout).toMatch(/precision: target ±10 % (met|NOT met) with \d+ replications/);
  });

  it('refuses --shard with a clear message and exit code 2, writing nothing', () => {
    const out = join(dir, 'shard.json');
    const r = runQlab(['run', file, '--precision', '5%', '--shard', '0/2', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--precision .* cannot be split into shards/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a malformed target', () => {
    const r = runQlab(['run', file, '--precision', '150%']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--precision must be/);
  });
});

describe('stability in the CLI output', () => {
  it('run says UNSTABLE with the growth rate and no intervals; sweep marks the point', () => {
    const file = scenario('overload', 1.3);
    const r = runQlab(['run', file, '--out', join(dir, 'u.json'), '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/UNSTABLE: offered load ≥ capacity .* backlog grows 0\.\d+ messages\/s/);
    expect(r.stdout).toMatch(/wait Wq .*\[no interval\]/);
    const s = runQlab(['sweep', scenario('sweepme', 0.5), '--param', 'producers[0].arrivals.ratePerSec=0.5,1.3', '--out', join(dir, 's.json'), '--workers', '1']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^0\.5 .* steady$/m);
    expect(s.stdout).toMatch(/^1\.3 .* UNSTABLE \(\+0\.\d+\/s\)$/m);
  });
});
