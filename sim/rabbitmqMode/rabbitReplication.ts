import amqp, { type ChannelModel } from 'amqplib';
import { randomStreams } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { BATCHES, priorityLimit, type ReplicationResult } from '../run/replication.ts';
import { Tracker } from '../run/tracker.ts';
import { measureReplication, type RealMeasures } from '../real/realReplication.ts';
import { realisedServiceTimes } from '../real/serviceTimes.ts';
import { WallClockLoop } from '../real/wallClockLoop.ts';
import { PublisherLedger } from '../workload/publisherLedger.ts';
import { startRabbitConsumer, startRabbitProducer, type RabbitSide } from './rabbitClients.ts';
import { exchangeOptions, queueOptions } from './rabbitTopology.ts';

/** A broker that cannot be reached or refuses the topology: the CLI turns it into one line and exit 2. */
export class RabbitSetupError extends Error {
  override name = 'RabbitSetupError';
}

/**
 * One run of the scenario's workload against a RabbitMQ broker: the topology declared with its `x-`
 * arguments (and purged, so an earlier run's leftovers do not count), a channel per producer
 * (a confirm channel when it wants confirms) and per consumer (prefetch, manual or auto ack), the
 * same tracker and measurement as every other run. Arrival is the publish as the client sends it;
 * queue length is the client-side count of published-but-undelivered messages. Messages are told
 * apart by their AMQP message id, so loss and duplication are counted per message. The scenario's
 * queues and exchanges are deleted afterwards.
 */
export async function runRabbitReplication(scenario: Scenario, seed: number, url: string, onProgress?: (elapsedMs: number, totalMs: number, messages: number) => void): Promise<{ result: ReplicationResult; real: RealMeasures }> {
  const connection = await connect(url);
  try {
    await declare(connection, scenario);
    const durationMs = scenario.durationSec * 1000;
    const drainMs = (scenario.drainSec ?? scenario.durationSec) * 1000;
    const buckets = Math.max(BATCHES, Math.ceil(scenario.output.seriesPoints / BATCHES) * BATCHES);
    const streams = randomStreams(seed);
    const tracker = new Tracker(scenario.broker.queues.map((q) => q.name), seed, durationMs, buckets, priorityLimit(scenario) ?? 255);
    tracker.brokerStarted();
    const loop = new WallClockLoop(4096);
    const side: RabbitSide = { loop, tracker, ledger: new PublisherLedger(tracker.samples), scenario, ready: new Map(), unacked: new Map(), pendingConfirms: 0 };
    let consumers = 0;
    for (const [i, spec] of scenario.consumers.entries()) {
      for (let k = 0; k < spec.count; k++, consumers++) await startRabbitConsumer(side, spec, await connection.createChannel(), streams.stream(`consumer/${spec.name ?? i}/${k}`));
    }
    const channels = await Promise.all(scenario.producers.flatMap((spec) => Array.from({ length: spec.count }, () => (spec.confirms ? connection.createConfirmChannel() : connection.createChannel()))));
    loop.restartClockAtZero();
    let c = 0;
    scenario.producers.forEach((spec, i) => {
      for (let k = 0; k < spec.count; k++) startRabbitProducer(side, spec, channels[c++]!, streams.stream(`producer/${spec.name ?? i}/${k}`), durationMs);
    });
    const started = performance.now();
    const onTick = () => onProgress?.(loop.now(), durationMs, tracker.messages);
    const settled = () => tracker.inBroker === 0 && tracker.busy.current === 0 && side.pendingConfirms === 0;
    await loop.drive({ untilMs: durationMs, onTick });
    const drained = settled() || (await loop.drive({ untilMs: durationMs + drainMs, stopWhen: settled, onTick })) === 'stopWhen';
    const wallMs = performance.now() - started;
    const result = measureReplication(scenario, seed, tracker, side.ledger, { buckets, durationMs, drained, consumers, events: loop.eventsExecuted, simulatedMs: loop.now() });
    const leftInQueues = await remove(connection, scenario);
    // A copy never delivered while its queue ended empty is gone: lost (confirmed or not), as Jepsen counts it.
    const undelivered = result.accounting.stranded;
    if (leftInQueues === 0 && undelivered > 0) {
      result.accounting = { ...result.accounting, stranded: 0, lost: result.accounting.lost + undelivered };
    }
    return {
      result,
      real: { wallMs, logDir: null, arrivalLatenessMs: loop.lateness.arrivals.samplesMs, timerOvershootMs: loop.lateness.otherTimers.samplesMs, realisedServiceMs: realisedServiceTimes(tracker, scenario.broker.queues.map((q) => q.name)) },
    };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function connect(url: string): Promise<ChannelModel> {
  try {
    return await amqp.connect(url, { timeout: 5000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new RabbitSetupError(`cannot connect to ${redacted(url)}: ${e.code ?? e.message}`);
  }
}

async function declare(connection: ChannelModel, scenario: Scenario): Promise<void> {
  for (const e of scenario.broker.exchanges) await onFreshChannel(connection, `exchange '${e.name}'`, (ch) => ch.assertExchange(e.name, e.type, exchangeOptions(e)));
  for (const q of scenario.broker.queues) {
    await onFreshChannel(connection, `queue '${q.name}'`, async (ch) => {
      await ch.assertQueue(q.name, queueOptions(q));
      await ch.purgeQueue(q.name);
    });
  }
  for (const b of scenario.broker.bindings) await onFreshChannel(connection, `binding of '${b.queue}' to '${b.exchange}'`, (ch) => ch.bindQueue(b.queue, b.exchange, b.bindingKey, b.args));
}

/** Deletes the scenario's queues and exchanges; returns how many messages were still in the queues. */
async function remove(connection: ChannelModel, scenario: Scenario): Promise<number> {
  let left = 0;
  for (const q of scenario.broker.queues) await onFreshChannel(connection, `queue '${q.name}'`, async (ch) => (left += (await ch.deleteQueue(q.name)).messageCount));
  for (const e of scenario.broker.exchanges) await onFreshChannel(connection, `exchange '${e.name}'`, (ch) => ch.deleteExchange(e.name));
  return left;
}

/** A channel error (PRECONDITION_FAILED for a queue declared elsewhere with other arguments) closes the channel: one per step, named in the error. */
async function onFreshChannel(connection: ChannelModel, what: string, step: (ch: amqp.Channel) => Promise<unknown>): Promise<void> {
  const ch = await connection.createChannel();
  ch.on('error', () => undefined);
  try {
    await step(ch);
  } catch (error) {
    throw new RabbitSetupError(`RabbitMQ refused ${what}: ${(error as Error).message}`);
  }
  await ch.close().catch(() => undefined);
}

const redacted = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
