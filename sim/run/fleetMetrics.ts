import type { Scenario } from '../scenario/schema.ts';
import type { Fleet } from '../workload/fleet.ts';
import type { WindowMetrics } from './measure.ts';
import type { Tracker } from './tracker.ts';

/** Consumer count over time as steps (all changing groups summed), for the report's chart. */
export interface FleetSeries {
  tMs: number[];
  consumers: number[];
}

/**
 * What a changing fleet did in one replication: the time-average consumer count and the number of
 * changes; with a late start (build-and-drain), the backlog when consumers started and the drain
 * time — from their start until the last message that arrived before it was served.
 */
export function fleetMetrics(scenario: Scenario, tracker: Tracker, fleets: Fleet[], durationMs: number): { metrics: WindowMetrics; series: FleetSeries } {
  const times = [...new Set(fleets.flatMap((f) => f.tMs))].sort((a, b) => a - b);
  const countAt = (f: Fleet, t: number) => {
    let c = 0;
    for (let i = 0; i < f.tMs.length && f.tMs[i]! <= t; i++) c = f.counts[i]!;
    return c;
  };
  const series = { tMs: times, consumers: times.map((t) => fleets.reduce((s, f) => s + countAt(f, t), 0)) };
  const metrics: WindowMetrics = {
    'fleet.meanConsumers': fleets.reduce((s, f) => s + f.meanCount(durationMs), 0),
    'fleet.changes': Math.max(0, times.length - 1),
  };
  const late = scenario.consumers.find((c) => c.startAtSec !== undefined);
  if (late !== undefined) {
    const startMs = late.startAtSec! * 1000;
    const q = tracker.queueIndex.get(late.queue)!;
    let backlog = 0;
    let lastEnd = -1;
    let served = true;
    for (let c = 0; c < tracker.copies; c++) {
      if (tracker.copyQueue[c] !== q || tracker.arrivalMs[c]! >= startMs) continue;
      backlog++;
      if (tracker.endMs[c]! < 0) served = false;
      lastEnd = Math.max(lastEnd, tracker.endMs[c]!);
    }
    metrics['drain.backlogAtStart'] = backlog;
    metrics['drain.sec'] = served && backlog > 0 ? (lastEnd - startMs) / 1000 : NaN;
  }
  return { metrics, series };
}
