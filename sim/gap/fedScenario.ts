import type { CalibratedDisk } from '../calibrate/loadCalibration.ts';
import { withCalibratedDisk } from '../calibrate/loadCalibration.ts';
import type { Scenario } from '../scenario/schema.ts';
import { orderStatistics } from '../calibrate/orderStatistics.ts';

/** Samples kept per queue for the empirical service distribution: its shape, in a report-sized list. */
const KEPT_SERVICE_SAMPLES = 2000;

/**
 * The scenario the simulation runs in a gap comparison: the real run's realised service times (the
 * sampled times plus the timers' overshoot) replace each consumer's service distribution, so the
 * gap measures the broker and the disk rather than Node's timers; and, when given, the calibrated
 * disk replaces broker.disk. Returns the raw scenario and a line per input saying what was fed.
 */
export function fedScenario(raw: unknown, scenario: Scenario, realisedServiceMs: Record<string, number[]>, disk: CalibratedDisk | undefined): { raw: unknown; inputs: string[] } {
  const inputs: string[] = [];
  const source = raw as { consumers?: Record<string, unknown>[] };
  const consumers = scenario.consumers.map((c, i) => {
    const samples = realisedServiceMs[c.queue] ?? [];
    if (samples.length === 0) {
      inputs.push(`consumers[${i}] (${c.queue}): no service completed in the real run; nominal service distribution kept`);
      return source.consumers?.[i];
    }
    inputs.push(`consumers[${i}] (${c.queue}): service time = empirical distribution of ${samples.length} realised service times (mean ${mean(samples).toFixed(3)} ms)`);
    return { ...source.consumers?.[i], serviceTimeMs: { dist: 'empirical', samples: orderStatistics(samples, KEPT_SERVICE_SAMPLES) } };
  });
  let fed: unknown = { ...(raw as object), consumers };
  if (scenario.broker.durability !== undefined) {
    if (disk !== undefined) {
      fed = withCalibratedDisk(fed, disk);
      inputs.push('broker.disk: calibrated (qlab calibrate disk)');
    } else inputs.push("broker.disk: the scenario's own (not calibrated: give --disk-calibration)");
  }
  return { raw: fed, inputs };
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
