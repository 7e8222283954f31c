import { describe, expect, it } from 'vitest';
import type { RunResult } from '../run/simulate.ts';
import { clearMiss } from './clearMiss.ts';
import { parseTarget } from './targets.ts';

/** Just the fields clearMiss reads. */
function oneReplication(p99: [number, number], lost: number): RunResult {
  const interval = { mean: (p99[0] + p99[1]) / 2, ci95: p99 };
  return {
    summary: { wait: { ...interval, p50: interval, p90: interval, p99: interval, p999: interval, max: interval }, sojourn: { ...interval, p50: interval, p90: interval, p99: interval, p999: interval, max: interval } },
    accounting: { lost, lostUnconfirmed: 0, refused: 0, unavailable: 0, attempted: 1000 },
  } as unknown as RunResult;
}

describe('clearMiss (stopping a setting after its first replication)', () => {
  const targets = [parseTarget('p99 wait < 200ms'), parseTarget('lost = 0')];
  it('stops only when the interval lies wholly above the target, or a count is already broken', () => {
    expect(clearMiss(oneReplication([210, 300], 0), targets)).toMatch(/p99 wait < 200ms: the first replication's interval lies above it/);
    expect(clearMiss(oneReplication([150, 300], 0), targets)).toBeUndefined();
    expect(clearMiss(oneReplication([50, 90], 0), targets)).toBeUndefined();
    expect(clearMiss(oneReplication([50, 90], 2), targets)).toMatch(/lost = 0: already 2/);
  });
  it('never stops on a share, which more replications can lower', () => {
    expect(clearMiss(oneReplication([50, 90], 5), [parseTarget('lost < 1%')])).toBeUndefined();
  });
});
