import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReport } from '../report/schema.ts';
import { smallRestarts } from '../plan/smallRestarts.fixture.ts';
import { runQlab } from './runQlab.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** M/M/c at λ = 40/s, 1/μ = 100 ms: 4 erlangs, so fewer than 5 consumers is unstable. */
const mmc = join(dir, 'mmc.json');
writeFileSync(
  mmc,
  JSON.stringify({
    name: 'plan-mmc',
    durationSec: 600,
    warmupSec: 60,
    replications: 3,
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 40 } }],
    broker: { queues: [{ name: 'work' }] },
    consumers: [{ queue: 'work', count: 1, prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: 100 } }],
  }),
);
const plan = (args: string[]) => runQlab(['plan', mmc, '--workers', '2', ...args], { timeoutMs: 300_000 });
const report = (file: string) => {
  const parsed = parseReport(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.report;
};

describe('qlab plan', () => {
  it('refuses a target without its unit, naming the units it takes (exit 2)', () => {
    const r = plan(['--target', 'p99 wait < 200']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wait needs a unit: ms or s/);
    const q = plan(['--target', 'refused < 0.1']);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/refused needs a unit: msgs or %/);
    expect(plan(['--target', 'max queueLength < 10']).stderr).toMatch(/queueLength needs a unit: msgs/);
  });

  it('never simulates an unstable count, answers with every target at the answer and the count below, and exits 0', () => {
    const out = join(dir, 'p99.json');
    // Erlang C: p99 wait at c = 5 ≈ 401 ms, at c = 6 ≈ 167 ms; so 6 for "p99 wait < 300ms".
    const r = plan(['--target', 'p99 wait < 300ms', '--target', 'lost = 0', '--target', 'utilization < 80%', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/count=[1-4] (meets|misses)/);
    expect(r.stdout).toMatch(/below 5 ρ ≥ 1: screened out, not simulated/);
    expect(r.stdout).toMatch(/answer: consumers\[0\]\.count = 6/);
    expect(r.stdout).toMatch(/at 5 \(one fewer\): fails p99 wait < 300ms/);
    expect(r.stdout).toMatch(/effort: \d+ settings? simulated/);
    const p = report(out).plan!;
    expect(p.answer).toBe(6);
    expect(p.binding).toContain('p99 wait < 300ms');
    expect(p.atAnswer!.map((t) => t.meets)).toEqual([true, true, true]);
    expect(p.atAnswer![0]!.ci95![1]).toBeLessThan(300);
    expect(p.belowAnswer!.value).toBe(5);
    expect(p.effort!.settingsSimulated).toBeLessThanOrEqual(3);
  }, 300_000);

  it('exits 1 when nothing in range meets the targets, naming the binding target', () => {
    const r = plan(['--target', 'p99 sojourn < 50ms', '--max', '7', '--out', join(dir, 'none.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/answer: none — no value up to 7 meets every target; missed: p99 sojourn < 50ms/);
  }, 300_000);

  it('evaluates two parameters as a grid and shows the feasible region', () => {
    const out = join(dir, 'grid.json');
    const r = plan(['--target', 'mean wait < 100ms', '--vary', 'consumers', '--values', '4,5,6', '--vary', 'prefetch', '--values', '1,2', '--out', out, '--replications', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/feasible region/);
    // c = 4 is ρ = 1: shown, never simulated.
    expect(r.stdout).toMatch(/\n4\s+ρ≥1\s+ρ≥1/);
    expect(r.stdout).toMatch(/\n6\s+ok\s+ok/);
    expect(report(out).plan!.screened!.length).toBe(2);
  }, 300_000);

  it('varies the number of queues: split, the same 6 consumers lose the pooling (M/M/6 vs two M/M/3)', () => {
    const out = join(dir, 'queues.json');
    // One queue, 6 consumers: M/M/6 at 4 erlangs, p99 wait ≈ 167 ms. Two queues of 3 at 2 erlangs
    // each: C(3, 2) = 0.444, θ = 10/s, p99 ≈ ln(44.4)/10 s ≈ 379 ms.
    const r = plan(['--target', 'p99 wait < 300ms', '--vary', 'consumers', '--values', '6', '--vary', 'queues', '--values', '1,2', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n6\s+ok\s+—/);
    expect(r.stdout).toMatch(/answer: consumers\[0\]\.count = 6, queues = 1/);
    const runs = report(out).runs;
    const split = runs.find((x) => x.params?.queues === 2)!.result;
    // Every message still routed and served: both copies carry the load.
    expect(split.summary.throughput.mean!).toBeGreaterThan(38);
    expect(split.summary.wait.p99.mean!).toBeGreaterThan(330);
    expect(split.summary.wait.p99.mean!).toBeLessThan(430);
    const bad = plan(['--target', 'p99 wait < 300ms', '--vary', 'queues', '--values', '2,3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/queues 2: consumers\[0\] has 1 consumer, fewer than the queues/);
  }, 300_000);

  it('sizes through broker restarts: theory folds the outages in, targets can name steady state or the fault windows', () => {
    const restarts = join(dir, 'restarts.json');
    writeFileSync(restarts, JSON.stringify(smallRestarts()));
    const out = join(dir, 'restarts-plan.json');
    const r = runQlab(['plan', restarts, '--workers', '2', '--target', 'mean wait < 45ms', '--target', 'p99 wait(steady) < 300ms', '--target', 'lost = 0', '--out', out], { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/restarts: 2 in the 40 s window, down 1 s each; 100 msg\/s held by confirm-window publishers/);
    const p = report(out).plan!;
    expect(p.effort!.settingsSimulated).toBeLessThanOrEqual(3);
    expect(p.atAnswer!.map((t) => t.meets)).toEqual([true, true, true]);
    // The steady-state p99 is the split's, not the whole run's.
    const answerRun = report(out).runs.find((x) => x.params?.['consumers[0].count'] === p.answer)!.result;
    expect(p.atAnswer![1]!.value).toBe(answerRun.faultWindows!.steady.wait.p99.mean);
    expect(answerRun.faultWindows!.fault.wait.mean!).toBeGreaterThan(answerRun.faultWindows!.steady.wait.mean!);
  }, 300_000);

  it('refuses a non-monotone parameter without --values', () => {
    const r = plan(['--target', 'mean wait < 100ms', '--vary', 'prefetch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--vary prefetch: give its --values/);
  });
});
