import type { RunResult } from '../run/simulate.ts';
import { intervalOf, isCount, countOf, type Target } from './targets.ts';

/**
 * Sequential screening: after the first replication, a setting whose own 95 % interval (batch means
 * of that replication) lies entirely on the wrong side of a target, or whose loss count already
 * breaks a count target (counts over replications only grow), will not meet the targets with more
 * replications: the planner stops simulating it. Only a miss stops early; a setting that may meet is
 * always simulated with every replication, so an answer is never confirmed on one replication.
 * Returns the reason, or undefined to go on.
 */
export function clearMiss(firstReplication: RunResult, targets: Target[]): string | undefined {
  for (const t of targets) {
    if (isCount(t)) {
      // A share (%) can fall with more replications; an absolute count cannot.
      if (t.unit === '%') continue;
      const count = countOf(firstReplication, t.metric);
      if (!(t.op === '<' ? count < t.value : count <= t.value)) return `${t.text}: already ${count} in the first replication`;
      continue;
    }
    if (t.stat === 'max') continue;
    const interval = intervalOf(firstReplication, t);
    const lower = interval?.ci95?.[0];
    if (lower === undefined || lower === null) continue;
    if (t.op === '<' ? lower >= t.value : lower > t.value) return `${t.text}: the first replication's interval lies above it (from ${Number(lower.toPrecision(4))})`;
  }
  return undefined;
}
