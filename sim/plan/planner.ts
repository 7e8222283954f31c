import { scenariosOf, type JobSpec } from '../report/jobs.ts';
import { setPath, type ParamValue } from '../report/params.ts';
import { WorkerPool } from '../parallel/pool.ts';
import type { ReplicationTask } from '../parallel/task.ts';
import type { ReplicationResult } from '../run/replication.ts';
import { summarizeRuns } from '../run/simulate.ts';
import type { Scenario } from '../scenario/schema.ts';
import { checkBudget, type Budget } from '../cli/estimate.ts';
import { Progress } from '../cli/progress.ts';
import { UsageError } from '../cli/usageError.ts';
import { clearMiss } from './clearMiss.ts';
import { screenedPoint, screenReason, simulatedPoint, type PlanPoint } from './points.ts';
import { QUEUES_PARAM, spreadOverQueues } from './spreadQueues.ts';
import type { Target } from './targets.ts';

export interface PlanSettings {
  seed: number;
  replications: number;
  workers: number;
  budget: Budget;
}

export function label(params: Record<string, ParamValue>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * Simulates settings (memoised) after theory's screening, several at once on one pool of worker
 * threads that lives for the whole plan (a thread costs about a second to start). Replications run
 * in two stages: the first replication of every setting asked for, then the rest only for the
 * settings that the first did not already show to miss (see clearMiss.ts).
 */
export class Planner {
  private readonly evaluated = new Map<string, PlanPoint>();
  private readonly pool: WorkerPool;

  constructor(
    private readonly raw: unknown,
    readonly targets: Target[],
    private readonly settings: PlanSettings,
  ) {
    this.pool = new WorkerPool(settings.workers);
  }

  points(): PlanPoint[] {
    return [...this.evaluated.values()];
  }

  point(params: Record<string, ParamValue>): PlanPoint | undefined {
    return this.evaluated.get(JSON.stringify(params));
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  async evaluate(params: Record<string, ParamValue>): Promise<PlanPoint> {
    return (await this.evaluateMany([params]))[0]!;
  }

  async evaluateMany(paramsList: Record<string, ParamValue>[]): Promise<PlanPoint[]> {
    const fresh: { params: Record<string, ParamValue>; scenario: Scenario; first?: ReplicationResult }[] = [];
    for (const params of paramsList) {
      const key = JSON.stringify(params);
      if (this.evaluated.has(key) || fresh.some((f) => JSON.stringify(f.params) === key)) continue;
      const scenario = this.scenarioAt(params);
      const screened = screenReason(scenario);
      if (screened !== undefined) this.settle(screenedPoint(params, screened, this.targets));
      else fresh.push({ params, scenario });
    }
    if (fresh.length > 0) await this.simulate(fresh);
    return paramsList.map((p) => this.evaluated.get(JSON.stringify(p))!);
  }

  private async simulate(fresh: { params: Record<string, ParamValue>; scenario: Scenario; first?: ReplicationResult }[]): Promise<void> {
    const { replications: R, seed } = this.settings;
    const name = fresh.map((f) => label(f.params)).join(', ');
    checkBudget(`plan ${name}`, fresh.flatMap((f) => Array.from({ length: R }, (_, r) => this.task(0, f.scenario, seed + r, false))), this.settings.budget);
    const firsts = await this.run(fresh.map((f, i) => this.task(i, f.scenario, seed, true)), `plan ${name}: first replication`);
    const rest: typeof fresh = [];
    fresh.forEach((f, i) => {
      const one = summarizeRuns(f.scenario, [firsts[i]!]);
      const miss = R > 1 ? clearMiss(one, this.targets) : undefined;
      if (R === 1) this.settle(simulatedPoint(f.params, one, this.targets));
      else if (miss !== undefined) this.settle({ ...simulatedPoint(f.params, one, this.targets), meets: false, stoppedEarly: miss });
      else rest.push({ ...f, first: firsts[i]! });
    });
    if (rest.length === 0) return;
    const tasks = rest.flatMap((f, i) => Array.from({ length: R - 1 }, (_, r) => this.task(i * (R - 1) + r, f.scenario, seed + r + 1, false)));
    const more = await this.run(tasks, `plan ${rest.map((f) => label(f.params)).join(', ')}`);
    rest.forEach((f, i) => this.settle(simulatedPoint(f.params, summarizeRuns(f.scenario, [f.first!, ...more.slice(i * (R - 1), (i + 1) * (R - 1))]), this.targets)));
  }

  private task(index: number, scenario: Scenario, seed: number, batches: boolean): ReplicationTask {
    return { index, scenario, seed, records: false, batches };
  }

  private async run(tasks: ReplicationTask[], name: string): Promise<ReplicationResult[]> {
    const progress = new Progress(name, 'replications');
    try {
      return await this.pool.run(tasks, {
        onDone: (done, total) => progress.update(done, total),
        onProgress: ({ index, progress: p }) => progress.inside(index + 1, tasks.length, p.simulatedMs, p.durationMs, p.messages),
      });
    } finally {
      progress.finish();
    }
  }

  private settle(point: PlanPoint): void {
    this.evaluated.set(JSON.stringify(point.params), point);
    const verdict = point.screened !== undefined ? 'screened out (ρ ≥ 1), not simulated' : point.stoppedEarly !== undefined ? `misses after one replication (${point.stoppedEarly})` : point.meets ? 'meets the targets' : 'misses';
    process.stderr.write(`plan: ${label(point.params)} ${verdict}\n`);
  }

  private scenarioAt(params: Record<string, ParamValue>): Scenario {
    let pointRaw: unknown;
    try {
      // The queue count is applied last: it splits whatever consumer count the other parameters set.
      const set = Object.entries(params).reduce((r, [path, v]) => (path === QUEUES_PARAM ? r : setPath(r, path, v)), this.raw);
      pointRaw = params[QUEUES_PARAM] === undefined ? set : spreadOverQueues(set, Number(params[QUEUES_PARAM]));
    } catch (error) {
      throw new UsageError(`--vary ${label(params)}: ${(error as Error).message}`);
    }
    const spec: JobSpec = { kind: 'run', title: label(params), description: '', seed: this.settings.seed, replications: this.settings.replications, points: [{ label: label(params), raw: pointRaw }] };
    try {
      return scenariosOf(spec)[0]!;
    } catch (error) {
      throw new UsageError(`--vary ${label(params)}: ${(error as Error).message}`);
    }
  }
}
