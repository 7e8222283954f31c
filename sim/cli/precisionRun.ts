import { reportOf, scenariosOf, tasksOf, type JobSpec } from '../report/jobs.ts';
import type { ReplicationResult } from '../run/replication.ts';
import { assessPrecision, nextReplications, type PrecisionGoal, type PrecisionOutcome } from '../run/precision.ts';
import { summarizeRuns } from '../run/simulate.ts';
import type { Budget } from './estimate.ts';
import { executeTasks, type JobOutcome } from './shared.ts';
import { UsageError } from './usageError.ts';

/** Parses `--precision 5%` (or 0.05) into a relative half-width in (0, 1). */
export function parsePrecision(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(text.trim());
  const value = m === null ? NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
  if (!(value > 0 && value < 1)) throw new UsageError(`--precision must be a relative half-width like 5% or 0.05 (between 0 and 1), got '${text}'`);
  return value;
}

/**
 * A precision-driven run: replications 0 … R−1, then doubling (R, 2R, 4R, … up to the cap) until
 * every goal metric's relative half-width is below the target, the system is unstable (no interval
 * can get there), or the cap is reached. Each round's decision reads replications in index order
 * only, so the report is byte-identical whatever --workers.
 */
export async function executePrecisionJob(spec: JobSpec, goal: PrecisionGoal, options: { workers: number; records?: boolean; label: string; budget?: Budget }): Promise<JobOutcome> {
  const scenarios = scenariosOf(spec);
  const scenario = scenarios[0]!;
  const results: ReplicationResult[] = [];
  let replications = Math.max(2, Math.min(spec.replications, goal.maxReplications));
  for (;;) {
    const tasks = tasksOf({ ...spec, replications }, scenarios, { records: options.records === true }).slice(results.length);
    results.push(...(await executeTasks(tasks, options.workers, `${options.label} (precision, ${replications} replications)`, options.budget)));
    const summary = summarizeRuns(scenario, results);
    const { met, reached } = assessPrecision(summary, goal);
    const unstable = summary.steadyState.status === 'unstable';
    const capped = replications >= goal.maxReplications;
    process.stderr.write(`precision: ${replications} replications, relative half-widths ${Object.entries(reached).map(([k, v]) => `${k} ${v === null ? '—' : `${(v * 100).toFixed(2)} %`}`).join(', ')}\n`);
    if (met || unstable || capped) {
      const precision: PrecisionOutcome = {
        target: goal.relativeHalfWidth,
        met,
        replications,
        maxReplications: goal.maxReplications,
        reached,
        ...(met ? {} : { stopped: unstable ? 'the system is unstable: no steady-state interval exists' : `the cap of ${goal.maxReplications} replications was reached` }),
      };
      const built = reportOf({ ...spec, replications }, scenarios, results);
      built.results[0]!.precision = precision;
      built.report.runs[0]!.result.precision = precision;
      return { report: built.report, results: built.results, records: results[0]?.records };
    }
    replications = nextReplications(replications, goal);
  }
}
