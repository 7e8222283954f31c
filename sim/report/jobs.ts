import type { ReplicationTask } from '../parallel/task.ts';
import type { ReplicationResult } from '../run/replication.ts';
import { summarizeRuns, type RunResult } from '../run/simulate.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { grid, setPath, type ParamValue } from './params.ts';
import { REPORT_VERSION, type Report } from './schema.ts';

export const TOOL = { name: 'queuelab' as const, version: '0.1.0' };

/**
 * A piece of work as data: the scenarios (a sweep's points, a comparison's files, or one run), the
 * replications and seed. Each (point, replication) is one task, numbered point × R + replication,
 * so the work can be split across processes (`--shard i/N`) and put back together exactly.
 * Replication r uses seed + r at every point: common random numbers, so points differ by their
 * parameters and not by luck.
 */
export interface JobSpec {
  kind: 'run' | 'sweep' | 'compare';
  title: string;
  description: string;
  seed: number;
  replications: number;
  points: { label: string; raw: unknown; params?: Record<string, ParamValue> }[];
  sweep?: { params: { path: string; values: ParamValue[] }[] };
}

export class SpecError extends Error {
  override name = 'SpecError';
}

export function sweepPoints(baseRaw: unknown, params: { path: string; values: ParamValue[] }[]): JobSpec['points'] {
  return grid(params).map((point) => {
    let raw = baseRaw;
    for (const [path, value] of Object.entries(point)) raw = setPath(raw, path, value);
    return { label: Object.entries(point).map(([k, v]) => `${k}=${v}`).join(' '), raw, params: point };
  });
}

/** The scenarios of the spec, validated (a sweep value the schema refuses is an error naming it). */
export function scenariosOf(spec: JobSpec): Scenario[] {
  return spec.points.map((point) => {
    const loaded = parseScenario(point.raw, point.label || 'scenario');
    if (!loaded.ok) throw new SpecError(loaded.errors.join('\n'));
    return loaded.scenario;
  });
}

export function tasksOf(spec: JobSpec, scenarios: Scenario[], options: { records?: boolean } = {}): ReplicationTask[] {
  const tasks: ReplicationTask[] = [];
  scenarios.forEach((scenario, p) => {
    for (let r = 0; r < spec.replications; r++) {
      tasks.push({
        index: p * spec.replications + r,
        scenario,
        seed: spec.seed + r,
        records: options.records === true && p === 0 && r === 0,
        batches: spec.replications === 1,
      });
    }
  });
  return tasks;
}

/** The tasks shard `index` of `count` runs: every count-th task, so shards take equal shares of each point. */
export function shardTasks(tasks: ReplicationTask[], index: number, count: number): ReplicationTask[] {
  return tasks.filter((t) => t.index % count === index);
}

/** One run as a report stores it: plain JSON (NaN becomes null), without the per-message records. */
export function reportRunOf(point: JobSpec['points'][number], result: RunResult): Report['runs'][number] {
  const { records: _records, ...kept } = result;
  return { label: point.label, ...(point.params ? { params: point.params } : {}), result: JSON.parse(JSON.stringify(kept)) };
}

/** The report, from every task's result in task order — the same function for one machine and for merged shards. */
export function reportOf(spec: JobSpec, scenarios: Scenario[], results: ReplicationResult[]): { report: Report; results: RunResult[] } {
  const runs = scenarios.map((scenario, p) => summarizeRuns(scenario, results.slice(p * spec.replications, (p + 1) * spec.replications)));
  const report: Report = {
    version: REPORT_VERSION,
    kind: spec.kind,
    tool: TOOL,
    title: spec.title,
    description: spec.description,
    runs: runs.map((result, p) => reportRunOf(spec.points[p]!, result)),
    ...(spec.sweep ? { sweep: spec.sweep } : {}),
  };
  return { report, results: runs };
}
