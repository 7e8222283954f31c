import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQlab } from './runQlab.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An M/M/1 at ρ = 0.5 (writes a scenario file; `serviceMs` changes the code's behaviour, as a regression would). */
function scenario(file: string, serviceMs: number, expectations?: string[]): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    JSON.stringify({
      name: 'check-mm1',
      durationSec: 60,
      warmupSec: 6,
      replications: 5,
      producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 50 } }],
      broker: { queues: [{ name: 'work' }] },
      consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: serviceMs } }],
      ...(expectations ? { expect: expectations } : {}),
    }),
  );
  return path;
}
const check = (args: string[]) => runQlab(['check', '--workers', '2', ...args], { timeoutMs: 300_000 });
const baseline = join(dir, 'baseline.json');

describe('qlab check', () => {
  it('passes unchanged code run with other seeds, printing each metric with both values and the interval of its change', () => {
    const file = scenario('same.json', 10, ['mean wait < 50ms', 'lost = 0']);
    expect(check([file, '--out', baseline]).code).toBe(0);
    const r = check([file, '--baseline', baseline, '--seed', '77']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/check-mm1\s+mean wait\s+[\d.]+ ms\s+[\d.]+ ms\s+[+-][\d.]+ % \[[+-][\d.]+ %, [+-][\d.]+ %\]\s+ok/);
    expect(r.stdout).toMatch(/passed: \d+ tests, Holm at family-wise 5 %, max change ±10 %/);
  }, 300_000);

  it('exits 1 on a change whose interval lies entirely beyond --max-change, naming the metric', () => {
    const r = check([scenario('slower.json', 16), '--baseline', baseline, '--max-change', '10%']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL check-mm1 mean wait: [\d.]+ ms → [\d.]+ ms, change \+[\d.]+ %, interval at Holm's level \[\+[\d.]+ %, \+[\d.]+ %\] lies beyond the allowed change/);
  }, 300_000);

  it('exits 1 when an expect assertion is surely violated', () => {
    const r = check([scenario('expect.json', 10, ['mean wait < 1ms'])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL check-mm1: expected mean wait < 1ms, measured/);
  }, 300_000);

  it('refuses a baseline of another report version, and an expect without its unit, with exit 2', () => {
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ ...JSON.parse(readFileSync(baseline, 'utf8')), version: 0 }));
    const r = check([scenario('v.json', 10), '--baseline', old]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a version 0 report, older than the version 1 this qlab reads.*re-make the baseline/);
    const u = check([scenario('unit.json', 10, ['p99 wait < 200'])]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/expect.*wait needs a unit: ms or s/);
    expect(check([scenario('nothing.json', 10)]).stderr).toMatch(/nothing to check/);
  }, 300_000);
});
