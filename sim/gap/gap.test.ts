import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQlab } from '../cli/runQlab.ts';
import { parseReport } from '../report/schema.ts';
import type { RunResult } from '../run/simulate.ts';
import { parseScenario } from '../scenario/load.ts';
import { fedScenario } from './fedScenario.ts';
import { gapRows } from './gapTable.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-gap-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const interval = (mean: number, half: number) => ({ mean, ci95: [mean - half, mean + half] as [number, number] });
function result(waitMean: number, waitHalf: number): RunResult {
  const i = interval(100, 1);
  const wait = { ...interval(waitMean, waitHalf), p50: i, p90: i, p99: i, p999: i, max: i };
  return { summary: { throughput: i, wait, sojourn: wait, queueLength: i, utilization: i } } as unknown as RunResult;
}

describe('the gap table', () => {
  it('gives (simulated − real) / real and judges it only when the real run is precise enough', () => {
    const rows = gapRows(result(11, 0.1), result(10, 0.4));
    const wait = rows.find((r) => r.metric === 'wait mean')!;
    expect(wait.relativeGap).toBeCloseTo(0.1, 10);
    expect(wait.realRelativeHalfWidth).toBeCloseTo(0.04, 10);
    expect(wait.verdict).toBe('within-target');
    expect(gapRows(result(11.5, 0.1), result(10, 0.4)).find((r) => r.metric === 'wait mean')!.verdict).toBe('beyond-target');
    // The same gap against a real run whose own half-width is 6 %: no verdict on the target.
    expect(gapRows(result(10.2, 0.1), result(10, 0.6)).find((r) => r.metric === 'wait mean')!.verdict).toBe('real-run-too-imprecise');
    expect(rows.some((r) => r.metric.startsWith('confirm latency'))).toBe(false);
  });

  it('feeds the simulation the realised service times and the calibrated disk', () => {
    const raw = {
      name: 'fed',
      durationSec: 5,
      broker: { durability: { fsync: 'always' }, queues: [{ name: 'q' }] },
      producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 10 } }],
      consumers: [{ queue: 'q', count: 2, serviceTimeMs: { dist: 'exponential', mean: 10 } }],
    };
    const loaded = parseScenario(raw, 'fed');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const disk = { writeLatencyMs: { dist: 'deterministic' as const, mean: 0.05 }, syncLatencyMs: { dist: 'empirical' as const, samples: [0.2, 0.3] }, readLatencyMs: { dist: 'deterministic' as const, mean: 0.1 }, readMBPerSec: 900, tearProbability: 0.5 };
    const fed = fedScenario(raw, loaded.scenario, { q: [12, 11, 13] }, disk);
    const again = parseScenario(fed.raw, 'fed');
    if (!again.ok) throw new Error(again.errors.join('\n'));
    expect(again.scenario.consumers[0]!.serviceTimeMs).toEqual({ dist: 'empirical', samples: [11, 12, 13] });
    expect(again.scenario.consumers[0]!.count).toBe(2);
    expect(again.scenario.broker.disk.syncLatencyMs).toEqual({ dist: 'empirical', samples: [0.2, 0.3] });
    expect(fed.inputs.join('\n')).toMatch(/3 realised service times \(mean 12\.000 ms\)[\s\S]*broker\.disk: calibrated/);
  });
});

describe('qlab gap', () => {
  it('runs for real, simulates fed with the realised service times, and writes both runs and the table', () => {
    const file = join(dir, 'tiny.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'tiny-gap',
        description: 'A two-second M/M/2 at millisecond scale for the gap test.',
        durationSec: 2,
        warmupSec: 0.2,
        drainSec: 5,
        producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 100 } }],
        broker: { queues: [{ name: 'work' }] },
        consumers: [{ queue: 'work', count: 2, serviceTimeMs: { dist: 'exponential', mean: 5 } }],
      }),
    );
    const out = join(dir, 'gap.json');
    const result = runQlab(['gap', file, '--sim-replications', '3', '--workers', '1', '--out', out], { timeoutMs: 180_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/wait mean \(ms\)/);
    const parsed = parseReport(readFileSync(out, 'utf8'), out);
    if (!parsed.ok) throw new Error(parsed.error);
    const report = parsed.report;
    expect(report.runs.map((r) => r.label)).toEqual(['tiny-gap (simulated, fed)', 'tiny-gap (real)']);
    expect(report.real?.mode).toBe('real');
    const rows = report.gap!.against[0]!.rows;
    expect(rows.map((r) => r.metric)).toContain('wait p99');
    // The simulated and real throughput are of the same arrival process: both near 100/s.
    const throughput = rows.find((r) => r.metric === 'throughput')!;
    expect(throughput.simulated.mean).toBeGreaterThan(70);
    expect(throughput.real.mean).toBeGreaterThan(70);
    expect(report.gap!.simulationInputs[0]).toMatch(/realised service times/);
    const bad = runQlab(['gap', file, '--disk-calibration', join(dir, 'none.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`qlab gap: --disk-calibration ${join(dir, 'none.json')}: no such file`);
    const lone = runQlab(['gap', file, '--rabbitmq-calibration', join(dir, 'none.json')]);
    expect(lone.code).toBe(2);
    expect(lone.stderr.trim()).toBe('qlab gap: --rabbitmq-calibration goes with --amqp-url (it feeds the simulation set against RabbitMQ)');
    const missing = runQlab(['gap', file, '--amqp-url', 'amqp://guest:guest@127.0.0.1:1', '--rabbitmq-calibration', join(dir, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`qlab gap: --rabbitmq-calibration ${join(dir, 'none.json')}: no such file`);
  }, 240_000);
});
