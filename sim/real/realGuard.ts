import type { Scenario } from '../scenario/schema.ts';
import { childBrokerRefusals, needsBrokerChild } from './childGuard.ts';

/** Longest wall time (run plus at most its drain) real mode starts without --allow-long. */
export const REAL_WALL_LIMIT_SEC = 300;

/** Faults real mode can inject in one process: they act on clients and links, not on the broker or its disk. */
const IN_PROCESS_FAULTS = new Set(['consumer-crash', 'latency-spike']);

/**
 * Why a scenario cannot run in real mode, or undefined. Broker crashes put the broker in a child
 * process (childReplication.ts), with its own limits; disk faults would need a faulty real disk.
 */
export function realModeRefusal(scenario: Scenario): string | undefined {
  if (needsBrokerChild(scenario)) {
    const refusals = childBrokerRefusals(scenario);
    return refusals.length === 0 ? undefined : `real mode with broker crashes runs the broker in a child process and cannot run: ${refusals.join('; ')}`;
  }
  const refused = [...new Set(scenario.faults.map((f) => f.kind).filter((k) => !IN_PROCESS_FAULTS.has(k)))];
  if (refused.length > 0) {
    return `real mode runs the broker in this process and cannot inject ${refused.map((k) => `'${k}'`).join(', ')} faults (only ${[...IN_PROCESS_FAULTS].join(', ')}); simulate them instead`;
  }
  return undefined;
}

/** Expected wall time of a real run: the arrivals' duration, plus the drain in the worst case. */
export function expectedWallSec(scenario: Scenario): { runSec: number; worstSec: number } {
  const runSec = scenario.durationSec;
  return { runSec, worstSec: runSec + (scenario.drainSec ?? scenario.durationSec) };
}

/** A refusal naming the expected duration, or undefined when the run is short enough (or allowed). */
export function wallTimeRefusal(scenario: Scenario, allowLong: boolean): string | undefined {
  const { runSec, worstSec } = expectedWallSec(scenario);
  if (allowLong || worstSec <= REAL_WALL_LIMIT_SEC) return undefined;
  return `real mode runs in wall time: '${scenario.name}' would take ${formatDuration(runSec)} of arrivals plus up to ${formatDuration(worstSec - runSec)} of drain (limit ${REAL_WALL_LIMIT_SEC} s); pass --allow-long to run it anyway, or shorten durationSec/drainSec`;
}

export function formatDuration(sec: number): string {
  if (sec < 120) return `${round(sec)} s`;
  if (sec < 7200) return `${round(sec / 60)} min`;
  return `${round(sec / 3600)} h`;
}

const round = (v: number) => Math.round(v * 10) / 10;
