import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeathReason, Delivery, MessageProperties } from '../../engine/index.ts';
import { FaultLog } from '../faults/faultLog.ts';
import { randomStreams } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { scheduleFaults } from '../run/faults.ts';
import { BATCHES, priorityClasses, priorityLimit } from '../run/replication.ts';
import { Tracker } from '../run/tracker.ts';
import type { World } from '../run/world.ts';
import type { SimConsumer } from '../workload/consumer.ts';
import { makeNetwork } from '../workload/network.ts';
import { PublisherLedger } from '../workload/publisherLedger.ts';
import { ChildConsumer, confirmed, startChildProducer, type ChildSide } from './childClients.ts';
import { BrokerChild, type BrokerChildError } from './ipc/brokerProcess.ts';
import type { Frame } from './ipc/frames.ts';
import { measureReplication, type RealReplication } from './realReplication.ts';
import { realisedServiceTimes } from './serviceTimes.ts';
import { WallClockLoop } from './wallClockLoop.ts';

export interface ChildRunOptions {
  dir?: string;
  keepLog?: boolean;
  onProgress?: (elapsedMs: number, totalMs: number, messages: number) => void;
}

/**
 * One real run with broker crashes: the engine in a child process (brokerChild.ts) on real files,
 * SIGKILLed at the scenario's broker-crash times (planned by the simulator's own scheduleFaults,
 * so the times and MTTR draws are the simulated run's) and restarted on the same log directory
 * after its down time. The parent's tracker hears the child's observer calls as frames, and the
 * clients tell it what they see, so the Jepsen-style accounting is the simulator's: a copy the
 * broker held at a crash vanishes unless the restarted broker recovers it.
 */
export async function runChildReplication(scenario: Scenario, seed: number, options: ChildRunOptions = {}): Promise<{ replication: RealReplication; own: ChildSide['own'] }> {
  const durationMs = scenario.durationSec * 1000;
  const drainMs = (scenario.drainSec ?? scenario.durationSec) * 1000;
  const buckets = Math.max(BATCHES, Math.ceil(scenario.output.seriesPoints / BATCHES) * BATCHES);
  const streams = randomStreams(seed);
  const tracker = new Tracker(scenario.broker.queues.map((q) => q.name), seed, durationMs, buckets, priorityLimit(scenario) ?? 255, {
    exact: scenario.output.percentiles === 'exact',
    classes: priorityClasses(scenario),
  });
  const logDir = scenario.broker.durability === undefined ? null : mkdtempSync(join(options.dir ?? tmpdir(), 'qlab-real-'));
  const loop = new WallClockLoop(4096);
  const side: ChildSide = { loop, tracker, ledger: new PublisherLedger(tracker.samples), scenario, broker: undefined, incarnation: 0, pendingConfirms: new Map(), nextSeq: 0, own: { sent: 0, unavailable: 0, confirmed: new Set(), delivered: new Set(), ackSent: new Set() } };
  const consumers: ChildConsumer[] = [];
  scenario.consumers.forEach((spec, i) => {
    for (let k = 0; k < spec.count; k++) consumers.push(new ChildConsumer(side, spec, consumers.length, streams.stream(`consumer/${spec.name ?? i}/${k}`)));
  });
  const life = new ChildLife(side, consumers, logDir);
  try {
    await life.start();
    loop.restartClockAtZero();
    // The simulator's fault planner, on a stand-in for its World: only the broker-crash branch runs
    // here (childGuard refuses every other fault), calling `up`, `crash` and consumers' brokerLost.
    const world = { scenario, loop, streams, network: makeNetwork(scenario.network, streams), disk: undefined, faultLog: new FaultLog(), get up() { return side.broker !== undefined; }, crash: (downMs: number) => life.crash(downMs) };
    scheduleFaults(world as unknown as World, consumers as unknown as SimConsumer[], durationMs);
    scenario.producers.forEach((spec, i) => {
      for (let k = 0; k < spec.count; k++) startChildProducer(side, spec, streams.stream(`producer/${spec.name ?? i}/${k}`), durationMs);
    });
    const started = performance.now();
    const onTick = () => {
      if (life.failure !== undefined) throw life.failure;
      options.onProgress?.(loop.now(), durationMs, tracker.messages);
    };
    const settled = () => life.failure !== undefined || (side.broker !== undefined && !life.restarting && tracker.inBroker === 0 && tracker.busy.current === 0 && side.pendingConfirms.size === 0);
    await loop.drive({ untilMs: durationMs, onTick });
    const drained = settled() || (await loop.drive({ untilMs: durationMs + drainMs, stopWhen: settled, onTick })) === 'stopWhen';
    if (life.failure !== undefined) throw life.failure;
    const wallMs = performance.now() - started;
    const result = measureReplication(scenario, seed, tracker, side.ledger, { buckets, durationMs, drained, consumers: consumers.length, events: loop.eventsExecuted, simulatedMs: loop.now() });
    const replication: RealReplication = {
      result: { ...result, recoveryMs: life.recoveryMs, crashes: life.crashes },
      real: {
        wallMs,
        logDir: options.keepLog === true ? logDir : null,
        arrivalLatenessMs: loop.lateness.arrivals.samplesMs,
        timerOvershootMs: loop.lateness.otherTimers.samplesMs,
        realisedServiceMs: realisedServiceTimes(tracker, scenario.broker.queues.map((q) => q.name)),
      },
    };
    return { replication, own: side.own };
  } finally {
    await life.stop();
    if (logDir !== null && options.keepLog !== true) rmSync(logDir, { recursive: true, force: true });
  }
}

/** The broker child's life cycle: started, SIGKILLed, restarted from the log after its down time. */
class ChildLife {
  readonly recoveryMs: number[] = [];
  crashes = 0;
  restarting = false;
  failure: BrokerChildError | undefined;
  private child: BrokerChild | undefined;

  constructor(private readonly side: ChildSide, private readonly consumers: ChildConsumer[], private readonly logDir: string | null) {}

  async start(): Promise<void> {
    const { side } = this;
    const incarnation = side.incarnation;
    const startedMs = side.loop.now();
    this.restarting = true;
    const child = (this.child = new BrokerChild(side.scenario.broker, this.logDir, (frame) => this.onFrame(frame), (error) => (this.failure ??= error)));
    await child.ready;
    if (incarnation !== side.incarnation || this.child !== child) return; // stopped meanwhile
    this.restarting = false;
    side.broker = child;
    side.tracker.brokerStarted();
    if (this.crashes > 0) this.recoveryMs.push(side.loop.now() - startedMs);
    for (const c of this.consumers) c.connect();
  }

  /** SIGKILL now; a fresh child on the same log after `downMs`. Publishes meanwhile are unavailable. */
  crash(downMs: number): void {
    const { side } = this;
    void this.child?.kill();
    this.child = undefined;
    side.broker = undefined;
    side.incarnation++;
    this.crashes++;
    side.pendingConfirms.clear(); // those confirms can never come: the publishes stay unconfirmed
    side.tracker.brokerCrashed(side.loop.now());
    this.restarting = true;
    side.loop.after(downMs, () => {
      this.start().catch((error: BrokerChildError) => (this.failure ??= error));
    });
  }

  async stop(): Promise<void> {
    this.side.incarnation++;
    const child = this.child;
    this.child = undefined;
    this.side.broker = undefined;
    await child?.kill();
  }

  private onFrame(frame: Frame): void {
    const { side } = this;
    const b = frame.body;
    const nowMs = side.loop.now();
    const properties = b.properties as MessageProperties;
    switch (frame.type) {
      case 'confirm':
        return confirmed(side, Number(b.seq), b.ack === true);
      case 'deliver':
        return this.consumers.find((c) => c.tag() === b.tag)?.receive({ queue: String(b.queue), properties, deliveryTag: Number(b.deliveryTag) });
      case 'event':
        return forwardEvent(side.tracker, b, properties, nowMs);
      default:
        this.failure ??= new Error(`unexpected ${frame.type} frame from the broker child`) as BrokerChildError;
    }
  }
}

/** A BrokerObserver call made in the child, replayed on the parent's tracker at the parent's time. */
function forwardEvent(tracker: Tracker, b: Record<string, unknown>, properties: MessageProperties, nowMs: number): void {
  const queue = String(b.queue);
  switch (b.name) {
    case 'enqueued':
      return tracker.enqueued(queue, properties, nowMs);
    case 'delivered':
      return tracker.delivered({ queue, properties, redelivered: b.redelivered === true } as Delivery, nowMs);
    case 'acked':
      return tracker.acked(queue, properties, nowMs);
    case 'deadLettered':
      return tracker.deadLettered(queue, properties, b.reason as DeathReason, nowMs);
    case 'dropped':
      return tracker.dropped();
    case 'depthChanged':
      return tracker.depthChanged(queue, Number(b.ready), Number(b.unacked), Number(b.delayed), nowMs);
    case 'recovered':
      return tracker.recovered(queue, properties);
  }
}
