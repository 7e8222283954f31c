import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStorage } from '../../engine/index.ts';
import type { SimDisk } from '../disk/simDisk.ts';
import { FaultLog } from '../faults/faultLog.ts';
import { randomStreams } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { SimConsumer } from '../workload/consumer.ts';
import { makeNetwork } from '../workload/network.ts';
import { SimProducer } from '../workload/producer.ts';
import { PublisherLedger } from '../workload/publisherLedger.ts';
import { scheduleFaults } from '../run/faults.ts';
import { account } from '../run/measure.ts';
import { measureReplication as measureRun } from '../run/measureReplication.ts';
import { BATCHES, priorityClasses, priorityLimit, type ReplicationResult } from '../run/replication.ts';
import { consumerLoss } from '../run/consumerLoss.ts';
import { Tracker } from '../run/tracker.ts';
import { World } from '../run/world.ts';
import { realisedServiceTimes } from './serviceTimes.ts';
import { WallClockLoop } from './wallClockLoop.ts';

export interface RealMeasures {
  wallMs: number;
  logDir: string | null;
  /** How late producers' arrivals ran behind their intended times (the load generator's own overload). */
  arrivalLatenessMs: number[];
  /** How late every other timer ran (consumers' service ends, network hops, the broker's timers). */
  timerOvershootMs: number[];
  /** Per queue: the service times consumers actually took (wall clock, start to end of service), in ms. */
  realisedServiceMs: Record<string, number[]>;
}

export interface RealReplication {
  result: ReplicationResult;
  real: RealMeasures;
}

/**
 * One run of the scenario in wall time: the real engine on real files (fdatasync) in a fresh
 * directory, driven by the simulator's own producers, consumers and tracker on a WallClockLoop, so
 * the report is built by the same code as a simulated one. One replication: its intervals come
 * from batch means of its measurement window.
 */
export async function runRealReplication(scenario: Scenario, seed: number, options: { dir?: string; keepLog?: boolean; onProgress?: (elapsedMs: number, totalMs: number, messages: number) => void } = {}): Promise<RealReplication> {
  const durationMs = scenario.durationSec * 1000;
  const drainMs = (scenario.drainSec ?? scenario.durationSec) * 1000;
  const buckets = Math.max(BATCHES, Math.ceil(scenario.output.seriesPoints / BATCHES) * BATCHES);
  const streams = randomStreams(seed);
  const tracker = new Tracker(scenario.broker.queues.map((q) => q.name), seed, durationMs, buckets, priorityLimit(scenario) ?? 255, {
    exact: scenario.output.percentiles === 'exact',
    classes: priorityClasses(scenario),
  });
  const logDir = scenario.broker.durability === undefined ? null : mkdtempSync(join(options.dir ?? tmpdir(), 'qlab-real-'));
  // World only ever calls crash() on its disk when a broker crash is scheduled, and real mode in one
  // process refuses those (realGuard.ts): the file storage stands in for the simulated disk.
  const files = logDir === null ? undefined : new FileStorage(logDir);
  const storage = files as unknown as SimDisk | undefined;
  const loop = new WallClockLoop(4096);
  const world = new World(scenario, seed, loop, streams, tracker, makeNetwork(scenario.network, streams), storage);
  world.faultLog = new FaultLog();
  const consumers: SimConsumer[] = [];
  scenario.consumers.forEach((spec, i) => {
    for (let k = 0; k < spec.count; k++) consumers.push(new SimConsumer(world, spec, `consumer/${spec.name ?? i}/${k}`, consumers.length));
  });
  const ledger = new PublisherLedger(tracker.samples);
  const producers: SimProducer[] = [];
  scenario.producers.forEach((spec, i) => {
    for (let k = 0; k < spec.count; k++) producers.push(new SimProducer(world, spec, `producer/${spec.name ?? i}/${k}`, durationMs, ledger));
  });
  scheduleFaults(world, consumers, durationMs);
  const started = performance.now();
  world.start();
  // A durable broker recovers (an empty log) asynchronously: producers start once it is up.
  await loop.drive({ untilMs: Infinity, stopWhen: () => world.up });
  loop.restartClockAtZero();
  for (const p of producers) p.start();
  const settled = () => world.up && !world.restarting && world.inFlight === 0 && tracker.inBroker === 0 && tracker.busy.current === 0 && producers.every((p) => p.settled);
  const onTick = () => options.onProgress?.(loop.now(), durationMs, tracker.messages);
  await loop.drive({ untilMs: durationMs, onTick });
  const drained = settled() || (await loop.drive({ untilMs: durationMs + drainMs, stopWhen: settled, onTick })) === 'stopWhen';
  // Confirms of the last publishes wait for their fdatasync, which no client state shows: wait for
  // the broker's durability barrier (bounded by the drain) so they are counted, as a client would.
  let durable = world.broker === undefined;
  world.broker?.afterDurable(() => (durable = true));
  if (!durable) await loop.drive({ untilMs: Math.max(loop.now(), durationMs + drainMs), stopWhen: () => durable, pollMs: 5 });
  const wallMs = performance.now() - started;
  world.broker?.kill();
  if (files !== undefined) await new Promise((resolve) => files.close(resolve));
  if (logDir !== null && options.keepLog !== true) rmSync(logDir, { recursive: true, force: true });
  const result = measureReplication(scenario, seed, tracker, ledger, { buckets, durationMs, drained, consumers: consumers.length, events: loop.eventsExecuted, simulatedMs: loop.now() });
  return {
    result: { ...result, recoveryMs: world.recoveryMs, crashes: world.crashes },
    real: {
      wallMs,
      logDir: options.keepLog === true ? logDir : null,
      arrivalLatenessMs: loop.lateness.arrivals.samplesMs,
      timerOvershootMs: loop.lateness.otherTimers.samplesMs,
      realisedServiceMs: realisedServiceTimes(tracker, scenario.broker.queues.map((q) => q.name)),
    },
  };
}

/** The report's measurements of a finished run (wall-clock or RabbitMQ), exactly as a simulated replication makes them. */
export function measureReplication(
  scenario: Scenario,
  seed: number,
  tracker: Tracker,
  ledger: PublisherLedger,
  run: { buckets: number; durationMs: number; drained: boolean; consumers: number; events: number; simulatedMs: number },
): ReplicationResult {
  const measured = measureRun(scenario, tracker, ledger, { buckets: run.buckets, durationMs: run.durationMs, consumers: run.consumers, classes: priorityClasses(scenario) });
  return {
    seed,
    warmupMs: measured.warmupMs,
    metrics: measured.metrics,
    batches: measured.batches,
    batchLevels: measured.batchLevels,
    warmupRule: measured.warmupRule,
    accounting: { ...account(tracker), ...consumerLoss(tracker) },
    recoveryMs: [],
    crashes: 0,
    drained: run.drained,
    events: run.events,
    simulatedMs: run.simulatedMs,
    series: measured.series,
    histograms: measured.histograms,
  };
}
