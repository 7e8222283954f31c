import { describe, expect, it } from 'vitest';
import { judgeTarget, parseTarget, TargetError } from '../plan/targets.ts';
import { smallRestarts } from '../plan/smallRestarts.fixture.ts';
import { parseScenario } from '../scenario/load.ts';
import { runReplication } from './replication.ts';
import { simulate } from './simulate.ts';

/** 100 msg/s on 6 consumers of 40 ms (ρ ≈ 0.67); confirm-window publishers; the broker down 1 s at 15 s and 30 s. */
function scenario(faults: unknown[]) {
  const parsed = parseScenario({ ...smallRestarts({ consumers: 6, faults }), replications: 2 }, 'fault-windows');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.scenario;
}
const crashes = [{ kind: 'broker-crash', atSec: [15, 30], mttrSec: 1, fixedRestart: true }];

describe('fault windows: steady state and outages apart', () => {
  it('splits every measured arrival into one part; each window covers its outage; the fault part waits longer', () => {
    const r = runReplication(scenario(crashes), 1);
    const fw = r.faultWindows!;
    const measured = r.histograms.waitMs.reduce((s, b) => s + b.count, 0);
    expect(fw.steady.arrivals + fw.fault.arrivals).toBe(measured);
    expect(fw.windowsMs).toHaveLength(2);
    for (const [k, [from, to]] of fw.windowsMs.entries()) {
      const at = [15_000, 30_000][k]!;
      expect(from).toBeLessThanOrEqual(at);
      expect(to).toBeGreaterThanOrEqual(at + 1000);
      expect(to - from).toBeLessThan(6000);
    }
    // The held messages come back in a burst: the fault part's p99 is far above steady state's.
    expect(fw.fault.metrics.waitP99Ms!).toBeGreaterThan(5 * fw.steady.metrics.waitP99Ms!);
    expect(fw.fault.metrics.waitMaxMs!).toBeGreaterThan(fw.steady.metrics.waitP99Ms!);
  });

  it('summarises across replications with intervals, and planner targets can name either part', () => {
    const result = simulate(scenario(crashes));
    const fw = result.faultWindows!;
    expect(fw.windows).toBe(4);
    expect(fw.steady.share + fw.fault.share).toBeCloseTo(1, 5);
    expect(fw.fault.wait.p99.ci95).not.toBeNull();
    expect(fw.fault.wait.p99.mean!).toBeGreaterThan(result.summary.wait.p99.mean!);
    const steady = judgeTarget(result, parseTarget('p99 wait(steady) < 10s'));
    expect(steady.value).toBe(fw.steady.wait.p99.mean);
    expect(steady.meets).toBe(true);
    const fault = judgeTarget(result, parseTarget('p99 wait(faults) < 1ms'));
    expect(fault.value).toBe(fw.fault.wait.p99.mean);
    expect(fault.meets).toBe(false);
  });

  it('is absent without broker crashes, and a (fault) target then says why it cannot be judged', () => {
    const result = simulate({ ...scenario([]), replications: 1 });
    expect('faultWindows' in result).toBe(false);
    expect(judgeTarget(result, parseTarget('p99 wait(fault) < 1s')).missing).toMatch(/needs broker crashes/);
  });

  it('refuses a window on anything but wait and sojourn, and an unknown window', () => {
    expect(() => parseTarget('mean queueLength(steady) < 5 msgs')).toThrow(TargetError);
    expect(() => parseTarget('p99 wait(outage) < 5ms')).toThrow(/\(steady\) or \(fault\)/);
    expect(parseTarget('p99 sojourn(steady) < 5ms').window).toBe('steady');
  });
});
