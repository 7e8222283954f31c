import { FaultLog } from '../faults/faultLog.ts';
import { randomStreams } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { scheduleFaults } from '../run/faults.ts';
import { BATCHES, priorityLimit, type ReplicationResult } from '../run/replication.ts';
import { Tracker } from '../run/tracker.ts';
import type { World } from '../run/world.ts';
import { measureReplication, type RealMeasures } from '../real/realReplication.ts';
import { realisedServiceTimes } from '../real/serviceTimes.ts';
import { WallClockLoop } from '../real/wallClockLoop.ts';
import { makeNetwork } from '../workload/network.ts';
import { PublisherLedger } from '../workload/publisherLedger.ts';
import { startRabbitProducer, type RabbitSide } from './rabbitClients.ts';
import { RabbitLife, removeTopology } from './rabbitLife.ts';

export { RabbitSetupError } from './rabbitLife.ts';

/**
 * One run of the scenario's workload against a RabbitMQ broker: the topology declared with its `x-`
 * arguments (and purged, so an earlier run's leftovers do not count), a channel per producer
 * (a confirm channel when it wants confirms) and per consumer (prefetch, manual or auto ack), the
 * same tracker and measurement as every other run. Arrival is the publish as the client sends it;
 * queue length is the client-side count of published-but-undelivered messages. Messages are told
 * apart by their AMQP message id, so loss and duplication are counted per message. At the
 * scenario's broker-crash times (planned by the simulator's scheduleFaults) `restartCmd` runs and
 * the clients reconnect. The scenario's queues and exchanges are deleted afterwards.
 */
export async function runRabbitReplication(
  scenario: Scenario,
  seed: number,
  url: string,
  onProgress?: (elapsedMs: number, totalMs: number, messages: number) => void,
  restartCmd?: string,
): Promise<{ result: ReplicationResult; real: RealMeasures }> {
  const durationMs = scenario.durationSec * 1000;
  const drainMs = (scenario.drainSec ?? scenario.durationSec) * 1000;
  const buckets = Math.max(BATCHES, Math.ceil(scenario.output.seriesPoints / BATCHES) * BATCHES);
  const streams = randomStreams(seed);
  const tracker = new Tracker(scenario.broker.queues.map((q) => q.name), seed, durationMs, buckets, priorityLimit(scenario) ?? 255);
  tracker.brokerStarted();
  const loop = new WallClockLoop(4096);
  const side: RabbitSide = { loop, tracker, ledger: new PublisherLedger(tracker.samples), scenario, ready: new Map(), unacked: new Map(), pendingConfirms: 0 };
  const life = new RabbitLife(side, url, restartCmd);
  try {
    await life.open(true, streams);
    loop.restartClockAtZero();
    // The simulator's fault planner on a stand-in for its World: only broker-crash reaches here
    // (rabbitRefusals refuses every other fault, and broker-crash without a restart command).
    const world = { scenario, loop, streams, network: makeNetwork(scenario.network, streams), disk: undefined, faultLog: new FaultLog(), get up() { return life.up; }, crash: (downMs: number) => life.crash(downMs, streams) };
    scheduleFaults(world as unknown as World, [], durationMs);
    let c = 0;
    scenario.producers.forEach((spec, i) => {
      for (let k = 0; k < spec.count; k++) {
        const index = c++;
        startRabbitProducer(side, spec, () => life.producerChannels[index], streams.stream(`producer/${spec.name ?? i}/${k}`), durationMs);
      }
    });
    const started = performance.now();
    const onTick = () => {
      if (life.failure !== undefined) throw life.failure;
      onProgress?.(loop.now(), durationMs, tracker.messages);
    };
    // After a restart the clients cannot know which copies RabbitMQ lost (it sends no recovery
    // events): once the broker's queues are empty and nothing is unacked, what the clients still
    // expect is gone, and waiting longer would only run out the drain.
    let brokerEmpty = false;
    const poll = setInterval(() => {
      if (life.crashes === 0 || !life.up) return;
      life.readyOnBroker().then((ready) => (brokerEmpty = ready === 0 && [...side.unacked.values()].every((n) => n <= 0)), () => (brokerEmpty = false));
    }, 500);
    const settled = () => life.failure !== undefined || (life.up && (tracker.inBroker === 0 || brokerEmpty) && tracker.busy.current === 0 && side.pendingConfirms === 0);
    let drained: boolean;
    try {
      await loop.drive({ untilMs: durationMs, onTick });
      drained = settled() || (await loop.drive({ untilMs: durationMs + drainMs, stopWhen: settled, onTick })) === 'stopWhen';
    } finally {
      clearInterval(poll);
    }
    if (life.failure !== undefined) throw life.failure;
    const wallMs = performance.now() - started;
    const leftInQueues = life.connection === undefined ? undefined : await removeTopology(life.connection, scenario);
    // A copy never delivered while its queue ended empty is gone: it vanished with the broker that
    // held it, and is lost (confirmed or not) as Jepsen counts it.
    if (leftInQueues === 0 && tracker.inBroker > 0) tracker.brokerCrashed(loop.now());
    const result = measureReplication(scenario, seed, tracker, side.ledger, { buckets, durationMs, drained, consumers: life.consumers.length, events: loop.eventsExecuted, simulatedMs: loop.now() });
    return {
      result: { ...result, recoveryMs: life.recoveryMs, crashes: life.crashes },
      real: { wallMs, logDir: null, arrivalLatenessMs: loop.lateness.arrivals.samplesMs, timerOvershootMs: loop.lateness.otherTimers.samplesMs, realisedServiceMs: realisedServiceTimes(tracker, scenario.broker.queues.map((q) => q.name)) },
    };
  } finally {
    await life.close();
  }
}
