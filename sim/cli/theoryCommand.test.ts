import { describe, expect, it } from 'vitest';
import { mmc } from '../theory/mmc.ts';
import { runQlab } from './runQlab.ts';

describe('qlab theory', () => {
  it('--json prints exactly one JSON object with the documented fields', () => {
    const { code, stdout, stderr } = runQlab(['theory', 'mmc', '--lambda', '2.4', '--mu', '1', '--c', '3', '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['model', 'inputs', 'stable', 'rho', 'L', 'Lq', 'W', 'Wq', 'P0', 'Pwait']));
    expect(result).toEqual(JSON.parse(JSON.stringify(mmc(2.4, 1, 3))));
  });

  it('takes per-class rates for the priority models and reports each class', () => {
    const { code, stdout } = runQlab(['theory', 'priority-np', '--lambda', '0.2,0.3', '--mu', '1,1', '--cs2', '1,1', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.classes).toHaveLength(2);
    expect(result.classes[0].Wq).toBeLessThan(result.classes[1].Wq);
  });

  it('prints a readable table with units, and labels approximations', () => {
    const { stdout } = runQlab(['theory', 'ggc', '--lambda', '2.4', '--mu', '1', '--c', '3', '--cs2', '0.5']);
    expect(stdout).toMatch(/APPROXIMATION: Allen–Cunneen/);
    expect(stdout).toMatch(/mean wait in queue\s+[\d.]+ (ms|s)/);
  });

  it('says an unstable system is unstable instead of printing infinities', () => {
    const { code, stdout } = runQlab(['theory', 'mm1', '--lambda', '2', '--mu', '1', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ stable: false, rho: 2, W: null });
  });

  it.each([
    [['mm2', '--lambda', '1', '--mu', '2'], /unknown model 'mm2'/],
    [['mm1', '--mu', '2'], /^--lambda is required/],
    [['mm1', '--lambda', '-1', '--mu', '2'], /^--lambda/],
    [['mm1', '--lambda', '0', '--mu', '2'], /^--lambda must be > 0/],
    [['mmc', '--lambda', '1', '--mu', '2', '--c', '0'], /^--c must be a whole number ≥ 1/],
    [['mmck', '--lambda', '1', '--mu', '2', '--c', '3', '--K', '2'], /^--K must be a whole number ≥ c/],
    [['mm1', '--lambda', '1', '--mu', '2', '--c', '2'], /^--c does not apply to mm1/],
    [['mm1', '--lambda', '1', '--mu', '2', '--bogus'], /Unknown option '--bogus'/],
  ])('bad input %j exits 2 with one line naming the flag', (args, message) => {
    const { code, stdout, stderr } = runQlab(['theory', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

describe('qlab', () => {
  it('--help lists the commands and exits 0', () => {
    const { code, stdout } = runQlab(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/theory/);
  });
  it('an unknown command exits 2', () => {
    const { code, stderr } = runQlab(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
