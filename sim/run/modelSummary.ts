import type { Scenario } from '../scenario/schema.ts';
import { predictBatch, type BatchPrediction } from './batchMatch.ts';
import { predictErlangA, type ErlangAPrediction } from './erlangAMatch.ts';
import { intervalOf, type Interval } from './intervals.ts';
import { predictJackson, type JacksonPrediction } from './jacksonMatch.ts';
import type { ReplicationResult } from './replication.ts';
import { singleTargetQueue } from './theoryMatch.ts';
import { isTimeVarying } from './timeWindows.ts';
import { hasFleet } from '../workload/fleet.ts';
import type { FleetSeries } from './fleetMetrics.ts';
import { timeVaryingSummary, type TimeVaryingSummary } from './timeVaryingSummary.ts';
import { familyVerdict, metricVerdict, type FamilyVerdict, type TheoryVerdict } from './verdicts.ts';

export interface StageSummary {
  queue: string;
  consumers: number;
  arrivalsPerSec: Interval;
  throughputPerSec: Interval;
  waitMs: Interval;
  sojournMs: Interval;
  queueLength: Interval;
  inSystem: Interval;
  utilization: Interval;
}

type Verdicts = { metric: string; verdict: TheoryVerdict }[];

export interface ModelSummary {
  stages?: StageSummary[];
  /** Flows: first publish → end of service of the flow's last message. */
  endToEnd?: { sojournMs: Interval; p99Ms: number | null; started: number; completed: number; incomplete: number };
  jackson?: JacksonPrediction & { verdicts: Verdicts; family: FamilyVerdict };
  jacksonNotApplicable?: string;
  impatience?: {
    abandonProbability: Interval;
    waitServedMs: Interval;
    waitAllMs: Interval;
    theory?: ErlangAPrediction & { verdicts: Verdicts; family: FamilyVerdict };
    theoryNotApplicable?: string;
  };
  /** Time-varying load: windowed metrics, the peak, and the pointwise-stationary approximation. */
  timeVarying?: TimeVaryingSummary;
  /** Consumer groups that start late, follow a schedule or autoscale: the count over time (first replication; backlog over time is series.queueLength), its time-average, and the drain of a build-and-drain run. */
  fleet?: { series: FleetSeries; meanConsumers: Interval; changesPerReplication: number; drain?: { backlogAtStart: number; drainSec: Interval } };
  /** Bulk publishes: M^X/M/c theory against the measured means, or why it does not apply. */
  batch?: { theory?: BatchPrediction & { verdicts: Verdicts; family: FamilyVerdict }; theoryNotApplicable?: string };
}

/**
 * The report's `model` section: per-stage and end-to-end metrics of a pipeline with open Jackson
 * network theory beside them, and abandonment under impatience with Erlang-A beside it — or, for
 * each, why the theory does not apply. Undefined for a scenario with neither.
 */
export function modelSummary(scenario: Scenario, runs: ReplicationResult[], queueLength: Interval): ModelSummary | undefined {
  const pipeline = scenario.consumers.some((c) => c.forward !== undefined);
  const impatient = scenario.producers.some((p) => p.patienceMs !== undefined);
  const timeVarying = isTimeVarying(scenario);
  const fleet = scenario.consumers.some(hasFleet);
  const batch = predictBatch(scenario);
  if (!pipeline && !impatient && !timeVarying && !fleet && batch === undefined) return undefined;
  const interval = (key: string) => intervalOf(key, 'mean', runs);
  const out: ModelSummary = {};
  if (fleet && runs[0]!.fleet !== undefined) {
    const average = (key: string) => runs.reduce((s, r) => s + (r.metrics[key] ?? 0), 0) / runs.length;
    out.fleet = {
      series: runs[0]!.fleet,
      meanConsumers: interval('fleet.meanConsumers'),
      changesPerReplication: average('fleet.changes'),
      ...(runs[0]!.metrics['drain.backlogAtStart'] !== undefined ? { drain: { backlogAtStart: average('drain.backlogAtStart'), drainSec: interval('drain.sec') } } : {}),
    };
  }
  if (timeVarying) out.timeVarying = timeVaryingSummary(scenario, runs);
  if (pipeline) {
    out.stages = scenario.broker.queues.map((q) => {
      const key = `stage.${q.name}.`;
      return {
        queue: q.name,
        consumers: scenario.consumers.filter((c) => c.queue === q.name).reduce((n, c) => n + c.count, 0),
        arrivalsPerSec: interval(`${key}arrivalsPerSec`),
        throughputPerSec: interval(`${key}throughputPerSec`),
        waitMs: interval(`${key}waitMeanMs`),
        sojournMs: interval(`${key}sojournMeanMs`),
        queueLength: interval(`${key}queueLengthMean`),
        inSystem: interval(`${key}inSystemMean`),
        utilization: interval(`${key}utilization`),
      };
    });
    const started = runs.reduce((s, r) => s + (r.metrics['e2e.started'] ?? 0), 0);
    const completed = runs.reduce((s, r) => s + (r.metrics['e2e.completed'] ?? 0), 0);
    const p99 = runs.map((r) => r.metrics['e2e.p99Ms']).filter((x): x is number => x !== undefined && Number.isFinite(x));
    out.endToEnd = { sojournMs: interval('e2e.meanMs'), p99Ms: p99.length > 0 ? p99.reduce((a, b) => a + b, 0) / p99.length : null, started, completed, incomplete: started - completed };
    const jackson = predictJackson(scenario);
    if ('notApplicable' in jackson) out.jacksonNotApplicable = jackson.notApplicable;
    else out.jackson = withJacksonVerdicts(jackson, out);
  }
  if (impatient) {
    const impatience: NonNullable<ModelSummary['impatience']> = {
      abandonProbability: interval('abandon.probability'),
      waitServedMs: interval('abandon.waitServedMeanMs'),
      waitAllMs: interval('abandon.waitAllMeanMs'),
    };
    const theory = predictErlangA(scenario, singleTargetQueue(scenario));
    if (theory !== undefined && 'notApplicable' in theory) impatience.theoryNotApplicable = theory.notApplicable;
    else if (theory !== undefined) {
      const compared = [
        { metric: 'Pabandon', interval: impatience.abandonProbability, value: theory.values.Pabandon },
        { metric: 'WqServed', interval: impatience.waitServedMs, value: theory.values.WqServed },
        { metric: 'Wq', interval: impatience.waitAllMs, value: theory.values.Wq },
        { metric: 'Lq', interval: queueLength, value: theory.values.Lq },
      ];
      impatience.theory = { ...theory, verdicts: compared.map((c) => ({ metric: c.metric, verdict: metricVerdict(c.interval, c.value, false) })), family: familyVerdict(compared, false) };
    }
    out.impatience = impatience;
  }
  if (batch !== undefined) out.batch = 'notApplicable' in batch ? { theoryNotApplicable: batch.notApplicable } : { theory: withBatchVerdicts(batch, runs, queueLength) };
  return out;
}

function withBatchVerdicts(p: BatchPrediction, runs: ReplicationResult[], queueLength: Interval): NonNullable<NonNullable<ModelSummary['batch']>['theory']> {
  const compared = [
    { metric: 'Wq', interval: intervalOf('waitMeanMs', 'mean', runs), value: p.values.Wq },
    { metric: 'W', interval: intervalOf('sojournMeanMs', 'mean', runs), value: p.values.W },
    { metric: 'Lq', interval: queueLength, value: p.values.Lq },
    { metric: 'L', interval: intervalOf('inSystemMean', 'mean', runs), value: p.values.L },
  ];
  return { ...p, verdicts: compared.map((c) => ({ metric: c.metric, verdict: metricVerdict(c.interval, c.value, false) })), family: familyVerdict(compared, false) };
}

function withJacksonVerdicts(p: JacksonPrediction, s: ModelSummary): NonNullable<ModelSummary['jackson']> {
  const compared: { metric: string; interval: Interval; value: number }[] = [];
  for (const station of p.stations) {
    const stage = s.stages!.find((x) => x.queue === station.queue)!;
    compared.push({ metric: `${station.queue}.Wq`, interval: stage.waitMs, value: station.Wq });
    compared.push({ metric: `${station.queue}.W`, interval: stage.sojournMs, value: station.W });
    compared.push({ metric: `${station.queue}.L`, interval: stage.inSystem, value: station.L });
  }
  compared.push({ metric: 'endToEnd.W', interval: s.endToEnd!.sojournMs, value: p.W });
  return { ...p, verdicts: compared.map((c) => ({ metric: c.metric, verdict: metricVerdict(c.interval, c.value, false) })), family: familyVerdict(compared, false) };
}
