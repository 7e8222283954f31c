import type { RunResult } from '../run/simulate.ts';

/** What one broker crash did to the backlog: its peak, and how long after the restart it took to drain. */
export interface CrashWindow {
  atMs: number;
  downMs: number;
  /** Highest ready-queue length from the crash until drained (series bucket averages). */
  backlogPeak: number;
  /** From the restart until the queue is back to its steady level; null when it never was before the run ended. */
  drainMs: number | null;
}

/**
 * Sizing "with one broker down": the steady-state numbers average the crashes away, so each crash of
 * the first replication (whose series the report keeps) is looked at on its own. "Drained" means the
 * ready queue is back under its steady level: twice the run's mean queue length, at least one message.
 * Resolution is the series' bucket width.
 */
export function crashWindows(result: RunResult): CrashWindow[] {
  const schedule = result.replications[0]?.faults?.schedule ?? [];
  const { tMs, queueLength } = result.series;
  if (tMs.length < 2) return [];
  const bucketMs = tMs[1]! - tMs[0]!;
  const steady = Math.max(1, 2 * (result.summary.queueLength.mean ?? 0));
  const crashes = schedule.filter((f) => f.kind === 'broker-crash');
  return crashes.map((f, k) => {
    const downMs = f.downMs ?? 0;
    const restartMs = f.atMs + downMs;
    const nextCrashMs = crashes[k + 1]?.atMs ?? Infinity;
    let peak = 0;
    let drainMs: number | null = null;
    for (let i = 0; i < tMs.length; i++) {
      const t = tMs[i]!;
      if (t + bucketMs <= f.atMs || t >= nextCrashMs) continue;
      peak = Math.max(peak, queueLength[i]!);
      if (t >= restartMs && queueLength[i]! <= steady) {
        drainMs = Math.max(0, t - restartMs);
        break;
      }
    }
    return { atMs: f.atMs, downMs, backlogPeak: round(peak), drainMs };
  });
}

function round(v: number): number {
  return Number(v.toPrecision(4));
}
