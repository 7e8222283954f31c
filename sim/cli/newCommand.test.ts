import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import { newScenario } from './newCommand.ts';
import { runQlab } from './runQlab.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-new-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('qlab new', () => {
  it('writes a scenario that validates and runs, and the run matches the M/M/1 theory it printed', () => {
    const file = join(dir, 'first.json');
    const made = runQlab(['new', '--rate', '80', '--service-ms', '10', '--consumers', '1', '-o', file]);
    expect(made.code).toBe(0);
    expect(made.stderr).toMatch(/ρ = 0\.800; M\/M\/1 theory: mean wait Wq = 40\.00 ms/);
    const scenario = JSON.parse(readFileSync(file, 'utf8'));
    expect(scenario.name).toBe('first');
    expect(scenario.description).toMatch(/textbook M\/M\/1 queue; utilisation ρ = λ·S\/c = 0\.800/);
    expect(runQlab(['validate', file]).code).toBe(0);
    const report = join(dir, 'first-report.json');
    const ran = runQlab(['run', file, '--replications', '2', '--workers', '1', '--out', report]);
    expect(ran.code).toBe(0);
    const theory = JSON.parse(readFileSync(report, 'utf8')).runs[0].result.theory;
    expect(theory.model).toBe('mm1');
    expect(theory.values.Wq).toBeCloseTo(40, 6);
  });

  it('with --durability the queue is durable, messages persistent and confirmed, the broker logs with that fsync policy', () => {
    const scenario = newScenario({ name: 'd', ratePerSec: 100, serviceMs: 5, service: 'lognormal', scv: 3, consumers: 2, prefetch: 10, durability: 'batch' }) as any;
    expect(parseScenario(scenario, 'd').ok).toBe(true);
    expect(scenario.broker.durability).toEqual({ fsync: 'batch' });
    expect(scenario.broker.queues[0].durable).toBe(true);
    expect(scenario.producers[0]).toMatchObject({ persistent: true, confirms: true });
    expect(scenario.consumers[0]).toMatchObject({ count: 2, prefetch: 10, serviceTimeMs: { dist: 'lognormal', mean: 5, scv: 3 } });
    expect(scenario.description).toMatch(/fsync batch/);
  });

  it('an unstable choice is still written, with a plain warning', () => {
    const { code, stdout, stderr } = runQlab(['new', '--rate', '200', '--service-ms', '10']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/ρ = 2\.000 ≥ 1 — unstable/);
    expect(JSON.parse(stdout).description).toMatch(/no steady state/);
  });

  it('bad flags exit 2 with a one-line error, and an existing file is not overwritten without --force', () => {
    expect(runQlab(['new', '--durability', 'sometimes'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--durability must be one of none, always, batch, never/) });
    expect(runQlab(['new', '--rate', '-5'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--rate must be a number > 0/) });
    expect(runQlab(['new', '--scv', '2'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--scv goes with --service lognormal/) });
    const file = join(dir, 'kept.json');
    writeFileSync(file, 'mine');
    expect(runQlab(['new', '-o', file])).toMatchObject({ code: 2, stderr: expect.stringMatching(/exists \(use --force/) });
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(runQlab(['new', '-o', file, '--force']).code).toBe(0);
  });
});
