import { FaultyDisk, planDiskFaults } from '../disk/diskFaults.ts';
import { scenarioDatabase } from './databaseStore.ts';
import { SimDisk } from '../disk/simDisk.ts';
import { FaultLog } from '../faults/faultLog.ts';
import { measureFaultWindows, type ReplicationFaultWindows } from './faultWindows.ts';
import { faultReportOf, withFaultSchedule, type ReplicationFaults } from '../faults/faultReport.ts';
import { makeDistribution } from '../dist/spec.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { SimConsumer } from '../workload/consumer.ts';
import { makeNetwork } from '../workload/network.ts';
import { SimProducer } from '../workload/producer.ts';
import { PublisherLedger, type PublisherOutcome } from '../workload/publisherLedger.ts';
import { scheduleFaults } from './faults.ts';
import { account, type Accounting, type WindowMetrics } from './measure.ts';
import { judgeLossOnRecoveredBroker } from './finalJudgement.ts';
import { checkSafety } from './safety.ts';
import { consumerLoss, type ConsumerLoss } from './consumerLoss.ts';
import { isTimeVarying } from './timeWindows.ts';
import { Fleet, fleetCapacity, hasFleet } from '../workload/fleet.ts';
import type { FleetSeries } from './fleetMetrics.ts';
import { BATCHES, measureReplication } from './measureReplication.ts';
import { Tracker } from './tracker.ts';
import type { WarmupRule } from './warmupPoint.ts';
import { World } from './world.ts';

export { BATCHES };

export interface ReplicationResult {
  seed: number;
  warmupMs: number;
  /** The measurement window [warmupMs, durationMs]. */
  metrics: WindowMetrics;
  /** The same metrics on BATCHES equal slices of the window (for batch means with one replication). */
  batches: WindowMetrics[];
  /** batchLevels[0] = batches; each next level merges neighbours pairwise (batch size doubles). */
  batchLevels: WindowMetrics[][];
  /** How the warm-up was chosen; 'mser5-suspect' means MSER's cut was not trusted (run too short). */
  warmupRule: WarmupRule;
  accounting: Accounting & ConsumerLoss;
  recoveryMs: number[];
  crashes: number;
  /** The drain emptied the broker and the wire. */
  drained: boolean;
  events: number;
  simulatedMs: number;
  series: { tMs: number[]; queueLength: number[]; inSystem: number[]; busyConsumers: number[]; throughputPerSec: number[] };
  histograms: { waitMs: HistogramBuckets; sojournMs: HistogramBuckets };
  records?: MessageRecords;
  disk?: { appends: number; syncs: number; bytesAppended: number; crashes: number; tornWrites: number };
  /** Faults by kind (scheduled vs fired), the exact schedule, and what a confirmed loss is due to. */
  faults?: ReplicationFaults;
  /** Publishers with a confirm window: Jepsen-style outcome of their messages. */
  publishers?: PublisherOutcome;
  /** Consumer groups whose size changes (start, schedule, autoscaler): their count over time. */
  fleet?: FleetSeries;
  /** With broker crashes: waits and sojourns of steady state and of the fault windows apart (faultWindows.ts). */
  faultWindows?: ReplicationFaultWindows;
}

export type HistogramBuckets = { lo: number; hi: number; count: number }[];

/** One flat row per queue copy (Ciw-style), as parallel arrays. */
export interface MessageRecords {
  message: number[];
  queue: string[];
  priority: number[];
  arrivalMs: number[];
  firstDeliveryMs: (number | null)[];
  serviceStartMs: (number | null)[];
  endMs: (number | null)[];
  deliveries: number[];
  outcome: string[];
}

const OUTCOMES = ['in-broker', 'acked', 'dead-lettered', 'vanished'];

/** What a replication's simulation leaves behind, for measuring and judging it. */
interface SimulatedRun {
  scenario: Scenario;
  seed: number;
  durationMs: number;
  buckets: number;
  loop: EventLoop;
  tracker: Tracker;
  world: World;
  disk: SimDisk | undefined;
  consumers: SimConsumer[];
  fleets: Fleet[];
  ledger: PublisherLedger;
  faultLog: FaultLog;
  drained: boolean;
}

/**
 * One replication: the real engine in virtual time with the scenario's producers, consumers,
 * network and faults, all drawing from streams of `seed`. Arrivals stop at durationSec; the run then
 * drains (at most drainSec) so the final accounting sees where every message ended up.
 */
export function runReplication(scenario: Scenario, seed: number, options: { records?: boolean; batches?: boolean; onProgress?: (progress: ReplicationProgress) => void } = {}): ReplicationResult {
  const run = simulateReplication(scenario, seed, options);
  const { tracker, buckets, durationMs, consumers, fleets, world, ledger } = run;
  const measured = measureReplication(scenario, tracker, ledger, { buckets, durationMs, consumers: consumers.length, classes: priorityClasses(scenario), batches: options.batches, fleets, flows: world.flows });
  const checked = judgeReplication(run);
  // Keys in the order reports and shard files have always had them.
  return {
    seed,
    warmupMs: measured.warmupMs,
    metrics: measured.metrics,
    batches: measured.batches,
    batchLevels: measured.batchLevels,
    warmupRule: measured.warmupRule,
    accounting: checked.accounting,
    recoveryMs: checked.recoveryMs,
    crashes: checked.crashes,
    drained: checked.drained,
    events: checked.events,
    simulatedMs: checked.simulatedMs,
    series: measured.series,
    histograms: measured.histograms,
    ...(options.records ? { records: recordsOf(tracker, scenario) } : {}),
    ...(checked.disk !== undefined ? { disk: checked.disk } : {}),
    ...(checked.faults !== undefined ? { faults: checked.faults } : {}),
    ...(checked.publishers !== undefined ? { publishers: checked.publishers } : {}),
    ...(measured.fleet !== undefined ? { fleet: measured.fleet } : {}),
    ...(scenario.faults.some((f) => f.kind === 'broker-crash') ? { faultWindows: measureFaultWindows(tracker.samples, checked.faults?.schedule ?? [], measured.series.queueLength, measured.warmupMs) } : {}),
  };
}

/** What the soak needs of a replication: it ran without exception, every invariant held, and how it ended. */
export type ReplicationCheck = Pick<ReplicationResult, 'seed' | 'accounting' | 'recoveryMs' | 'crashes' | 'drained' | 'events' | 'simulatedMs' | 'disk' | 'faults' | 'publishers'>;

/**
 * A replication simulated and judged (every invariant, the end-of-run loss judgement, the safety
 * check) without the after-run statistics — warm-up, windows, percentiles, series — which only a
 * report needs. Same simulation as runReplication, so a seed that fails here fails there.
 */
export function checkReplication(scenario: Scenario, seed: number, onProgress?: (progress: ReplicationProgress) => void): ReplicationCheck {
  return judgeReplication(simulateReplication(scenario, seed, { onProgress }));
}

/** Builds the world of one replication and runs it: arrivals until durationSec, then the drain. */
function simulateReplication(scenario: Scenario, seed: number, options: { records?: boolean; onProgress?: (progress: ReplicationProgress) => void }): SimulatedRun {
  const onProgress = options.onProgress;
  const durationMs = scenario.durationSec * 1000;
  const drainMs = (scenario.drainSec ?? scenario.durationSec) * 1000;
  const buckets = Math.max(BATCHES, Math.ceil(scenario.output.seriesPoints / BATCHES) * BATCHES);
  const loop = new EventLoop(0, 4096);
  const streams = randomStreams(seed);
  const tracker = new Tracker(
    scenario.broker.queues.map((q) => q.name),
    seed,
    durationMs,
    buckets,
    priorityLimit(scenario) ?? 255,
    { exact: scenario.output.percentiles === 'exact', classes: priorityClasses(scenario) },
  );
  const durability = scenario.broker.durability;
  const diskSpec = scenario.broker.disk;
  const faultLog = new FaultLog();
  const diskOptions = {
    writeLatencyMs: makeDistribution(diskSpec.writeLatencyMs),
    syncLatencyMs: makeDistribution(diskSpec.syncLatencyMs),
    readLatencyMs: makeDistribution(diskSpec.readLatencyMs),
    readBytesPerMs: diskSpec.readMBPerSec * 1000,
    tearProbability: diskSpec.tearProbability,
  };
  const diskFaults = planDiskFaults(scenario.faults, (i) => streams.stream(`faults/${i}`), faultLog, durationMs);
  const database = scenarioDatabase(scenario, loop, streams);
  const disk =
    durability === undefined || database !== undefined
      ? undefined
      : diskFaults.length > 0
        ? new FaultyDisk(loop, streams.stream('disk'), diskOptions, diskFaults, faultLog)
        : new SimDisk(loop, streams.stream('disk'), diskOptions);
  const world = new World(scenario, seed, loop, streams, tracker, makeNetwork(scenario.network, streams), disk);
  world.faultLog = faultLog;
  world.database = database;

  const consumers: SimConsumer[] = [];
  const fleets: Fleet[] = [];
  scenario.consumers.forEach((spec, i) => {
    const group: SimConsumer[] = [];
    for (let k = 0; k < fleetCapacity(spec); k++) group.push(new SimConsumer(world, spec, `consumer/${spec.name ?? i}/${k}`, consumers.length + k));
    consumers.push(...group);
    if (hasFleet(spec)) fleets.push(new Fleet(world, spec, group, durationMs));
  });
  const producers: SimProducer[] = [];
  const ledger = new PublisherLedger(tracker.samples);
  scenario.producers.forEach((spec, i) => {
    for (let k = 0; k < spec.count; k++) producers.push(new SimProducer(world, spec, `producer/${spec.name ?? i}/${k}`, durationMs, ledger));
  });
  // Settled messages' rows are reused unless something may bring one back (a crash, a lying disk),
  // read it after the run (records, the publishers' windowed ledger, the per-row pipeline, impatience,
  // time-window and fleet metrics), or its confirm is still due.
  tracker.recycle = scenario.faults.length === 0 && !options.records && !ledger.windowed && world.flows === undefined && !isTimeVarying(scenario) && fleets.length === 0;
  tracker.confirmsExpected = scenario.producers.some((p) => p.confirms);
  scheduleFaults(world, consumers, durationMs);
  world.start();
  for (const p of producers) p.start();

  const report = onProgress === undefined ? undefined : () => onProgress({ simulatedMs: loop.now(), durationMs, messages: tracker.messages, events: loop.eventsExecuted });
  const settled = () => world.up && !world.restarting && world.inFlight === 0 && tracker.inBroker === 0 && tracker.busy.current === 0 && producers.every((p) => p.settled);
  withFaultSchedule(faultLog, seed, () => {
    runReporting(loop, { untilMs: durationMs }, report);
    if (!settled()) runReporting(loop, { untilMs: durationMs + drainMs, stopWhen: settled }, report);
  }, () => loop.now());
  return { scenario, seed, durationMs, buckets, loop, tracker, world, disk, consumers, fleets, ledger, faultLog, drained: settled() };
}

/**
 * The end of a replication: loss judged on a recovered broker (after every metric was taken: the
 * recovery runs more virtual time), faults reported, and the safety invariant checked.
 */
function judgeReplication(run: SimulatedRun): ReplicationCheck {
  const { scenario, seed, loop, tracker, world, disk, ledger, faultLog } = run;
  const simulatedMs = loop.now();
  const events = loop.eventsExecuted;
  const inConsumers = consumerLoss(tracker); // before the judgement's recovery touches the tracker
  const accounting = { ...withFaultSchedule(faultLog, seed, () => judgeLossOnRecoveredBroker(world, tracker, account(tracker)), () => loop.now()), ...inConsumers };
  const faults = faultReportOf(faultLog, world, accounting);
  // A disk made to lie or corrupt voids the engine's promise: such a loss is reported as the fault's doing (faults.lossDueTo), not raised as a broker bug.
  withFaultSchedule(faultLog, seed, () => checkSafety(scenario, faults.lossDueTo.length > 0 ? { ...accounting, lost: 0 } : accounting, seed, simulatedMs));
  return {
    seed,
    accounting,
    recoveryMs: world.recoveryMs,
    crashes: world.crashes,
    drained: run.drained,
    events,
    simulatedMs,
    ...(disk !== undefined
      ? { disk: { appends: disk.stats.appends, syncs: disk.stats.syncs, bytesAppended: disk.stats.bytesAppended, crashes: disk.stats.crashes, tornWrites: disk.stats.tornWrites } }
      : {}),
    ...(scenario.faults.length > 0 ? { faults } : {}),
    ...(ledger.windowed ? { publishers: ledger.outcome(tracker) } : {}),
  };
}

/** Where a running replication is, for progress lines. */
export interface ReplicationProgress {
  simulatedMs: number;
  durationMs: number;
  messages: number;
  events: number;
}

/** Events between progress checks: a few milliseconds of work, so a check costs nothing. */
const PROGRESS_SLICE = 1 << 15;

/** loop.run in slices, calling `report` between them, so even one long replication shows progress. */
function runReporting(loop: EventLoop, limits: { untilMs: number; stopWhen?: () => boolean }, report: (() => void) | undefined): void {
  if (report === undefined) {
    loop.run(limits);
    return;
  }
  while (loop.run({ ...limits, maxEvents: PROGRESS_SLICE }) === 'maxEvents') {
    if (limits.stopWhen?.()) return;
    report();
  }
}

/** The priority levels that can occur, for per-class metrics (empty when priorities play no part). */
export function priorityClasses(scenario: Scenario): number[] {
  const maxPriority = priorityLimit(scenario);
  if (maxPriority === undefined) return [];
  const levels = new Set<number>();
  for (const p of scenario.producers) for (const [k, w] of Object.entries(p.priorityMix ?? {})) if (w > 0) levels.add(Math.min(Number(k), maxPriority));
  return levels.size < 2 ? [] : [...levels].sort((a, b) => b - a);
}

/**
 * The maxPriority of the scenario's priority queue (the first one that has one): priorities above it
 * are served as it, so classes are counted by that level, as the broker does.
 */
export function priorityLimit(scenario: Scenario): number | undefined {
  return scenario.broker.queues.find((q) => q.maxPriority !== undefined)?.maxPriority;
}

/** Six significant digits: plenty for a chart, and half the size of full doubles in a report. */
function recordsOf(tracker: Tracker, scenario: Scenario): MessageRecords {
  const queues = scenario.broker.queues.map((q) => q.name);
  const orNull = (v: number) => (v >= 0 ? v : null);
  const n = tracker.copies;
  const pick = <T>(f: (c: number) => T) => Array.from({ length: n }, (_, c) => f(c));
  return {
    message: pick((c) => tracker.copyMessage[c]!),
    queue: pick((c) => queues[tracker.copyQueue[c]!]!),
    priority: pick((c) => tracker.copyClass[c]!),
    arrivalMs: pick((c) => tracker.arrivalMs[c]!),
    firstDeliveryMs: pick((c) => orNull(tracker.firstDeliveryMs[c]!)),
    serviceStartMs: pick((c) => orNull(tracker.serviceStartMs[c]!)),
    endMs: pick((c) => orNull(tracker.endMs[c]!)),
    deliveries: pick((c) => tracker.deliveries[c]!),
    outcome: pick((c) => OUTCOMES[tracker.outcome[c]!]!),
  };
}
