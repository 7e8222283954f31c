import type { ParamValue } from '../report/params.ts';
import type { RunResult } from '../run/simulate.ts';
import type { Scenario } from '../scenario/schema.ts';
import { loadOf, rhoOf } from './screen.ts';
import { judgeTarget, type Target, type TargetValue } from './targets.ts';

/** One setting the planner looked at: screened out by theory, or simulated and judged. */
export interface PlanPoint {
  params: Record<string, ParamValue>;
  /** Why it was not simulated (offered load ≥ capacity). */
  screened?: string;
  result?: RunResult;
  /** Simulated with one replication only: why that one already shows a miss (sequential screening). */
  stoppedEarly?: string;
  judged: TargetValue[];
  meets: boolean;
}

/** Theory's verdict before simulating: a reason to skip the setting, or undefined to simulate it. */
export function screenReason(scenario: Scenario): string | undefined {
  const load = loadOf(scenario);
  if ('unknown' in load) return undefined;
  const rho = rhoOf(load);
  if (rho < 1) return undefined;
  return `unstable by theory: ρ = λ/(cμ) = ${fmt(load.lambdaPerSec)}/(${load.consumers}·${fmt(load.muPerSec)}) = ${fmt(rho)} ≥ 1`;
}

export function screenedPoint(params: Record<string, ParamValue>, reason: string, targets: Target[]): PlanPoint {
  return { params, screened: reason, judged: targets.map(() => ({ value: null, ci95: null, missing: 'not simulated (ρ ≥ 1)', meets: false })), meets: false };
}

export function simulatedPoint(params: Record<string, ParamValue>, result: RunResult, targets: Target[]): PlanPoint {
  const judged = targets.map((t) => judgeTarget(result, t));
  return { params, result, judged, meets: judged.every((j) => j.meets) };
}

/** The targets a point misses: at the value just below the answer, the ones that bind. */
export function missed(point: PlanPoint, targets: Target[]): string[] {
  if (point.screened !== undefined) return ['stability (ρ ≥ 1)'];
  return targets.filter((_, i) => !point.judged[i]!.meets).map((t) => t.text);
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}
