import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { RabbitSetupError } from '../rabbitmqMode/rabbitReplication.ts';
import { describeMachine, type MachineDescription } from '../real/machine.ts';
import { summarizeLateness, type LatenessSummary } from '../real/lateness.ts';
import { orderStatistics } from './orderStatistics.ts';

export interface RabbitCalibrationOptions {
  /** Timed publishes per load, and timed deliver→ack round trips (default 200). */
  samples?: number;
  /** Paced loads besides one-at-a-time, in publishes per second (default 100 and 300). */
  ratesPerSec?: number[];
  bodyBytes?: number;
  onProgress?: (line: string) => void;
}

export interface RabbitLoad {
  /** null: one publish at a time, each waiting for the previous confirm (no queueing in the broker). */
  offeredPerSec: number | null;
  achievedPerSec: number;
  confirmMs: LatenessSummary;
}

export interface RabbitCalibration {
  kind: 'qlab-rabbitmq-calibration';
  version: 1;
  measuredAt: string;
  machine: MachineDescription;
  broker: { url: string; product: string; version: string };
  method: string;
  loads: RabbitLoad[];
  /** With prefetch 1 and no service time: from the ack leaving the client to the next delivery arriving. */
  ackToNextDeliveryMs: LatenessSummary;
  /**
   * Paste as a scenario's `network` (or give the file to qlab gap --rabbitmq-calibration): half the
   * unloaded publish→confirm time each way on the publish link, half the ack→next-delivery round
   * trip each way on the ack and deliver links — so a simulated confirm and a simulated prefetch-1
   * turnaround cost what they cost on this broker. Empirical distributions of the measured samples.
   */
  network: {
    publishLatencyMs: { dist: 'empirical'; samples: number[] };
    deliverLatencyMs: { dist: 'empirical'; samples: number[] };
    ackLatencyMs: { dist: 'empirical'; samples: number[] };
  };
}

const KEPT_SAMPLES = 200;

/**
 * Measures a RabbitMQ broker's per-message overheads as a qlab client meets them: persistent
 * publishes on a confirm channel to a durable queue (one at a time, then paced at each rate), and
 * the deliver→ack turnaround of a prefetch-1 manual-ack consumer with no service time. The queue
 * is private to this run and deleted afterwards.
 */
export async function calibrateRabbit(url: string, options: RabbitCalibrationOptions = {}): Promise<RabbitCalibration> {
  const samples = options.samples ?? 200;
  const rates = options.ratesPerSec ?? [100, 300];
  const body = Buffer.alloc(options.bodyBytes ?? 100, 7);
  const connection = await connect(url);
  const queue = `qlab-calibrate-${process.pid}-${Date.now()}`;
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true, autoDelete: false });
    const loads: RabbitLoad[] = [];
    let unloadedMs: number[] = [];
    for (const rate of [null, ...rates]) {
      const { load, latenciesMs } = await confirmLoad(channel, queue, body, samples, rate);
      if (rate === null) unloadedMs = latenciesMs;
      loads.push(load);
      options.onProgress?.(`rabbitmq calibration: ${samples} confirms ${rate === null ? 'one at a time' : `at ${rate}/s`}: mean ${load.confirmMs.meanMs} ms`);
    }
    // The queue now holds every confirmed publish: the first delivery starts the clock, so one fewer round trip.
    const roundTrips = await ackRoundTrips(connection, queue, Math.min(samples, samples * loads.length - 1));
    options.onProgress?.(`rabbitmq calibration: ${roundTrips.length} ack→next delivery round trips`);
    await channel.deleteQueue(queue);
    await channel.close();
    const server = connection.connection.serverProperties as Record<string, unknown>;
    return {
      kind: 'qlab-rabbitmq-calibration',
      version: 1,
      measuredAt: new Date().toISOString(),
      machine: describeMachine(),
      broker: { url: url.replace(/\/\/[^@/]*@/, '//***@'), product: String(server.product ?? 'unknown'), version: String(server.version ?? 'unknown') },
      method: `persistent ${body.length}-byte publishes to a durable queue on a confirm channel: ${samples} one at a time (each after the previous confirm), then ${samples} paced at each of ${rates.join(', ')}/s; then ${roundTrips.length} deliveries to a prefetch-1 manual-ack consumer with no service time, timed from each ack to the next delivery`,
      loads,
      ackToNextDeliveryMs: summarizeLateness(roundTrips),
      network: {
        publishLatencyMs: halves(unloadedMs),
        deliverLatencyMs: halves(roundTrips),
        ackLatencyMs: halves(roundTrips),
      },
    };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function confirmLoad(channel: ConfirmChannel, queue: string, body: Buffer, samples: number, ratePerSec: number | null): Promise<{ load: RabbitLoad; latenciesMs: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  const publish = () =>
    new Promise<void>((resolve, reject) => {
      const sentMs = performance.now();
      channel.sendToQueue(queue, body, { persistent: true }, (error) => {
        if (error) return reject(new RabbitSetupError(`RabbitMQ nacked a calibration publish: ${String(error)}`));
        latencies.push(performance.now() - sentMs);
        resolve();
      });
    });
  if (ratePerSec === null) {
    for (let i = 0; i < samples; i++) await publish();
  } else {
    const pending: Promise<void>[] = [];
    // Paced on the intended schedule: a late timer does not lower the offered rate.
    for (let i = 0; i < samples; i++) {
      const dueMs = started + (i * 1000) / ratePerSec;
      const waitMs = dueMs - performance.now();
      if (waitMs >= 1) await new Promise((r) => setTimeout(r, Math.floor(waitMs)));
      pending.push(publish());
    }
    await Promise.all(pending);
  }
  const load: RabbitLoad = { offeredPerSec: ratePerSec, achievedPerSec: round((samples * 1000) / (performance.now() - started)), confirmMs: summarizeLateness(latencies) };
  return { load, latenciesMs: latencies };
}

async function ackRoundTrips(connection: ChannelModel, queue: string, samples: number): Promise<number[]> {
  const channel = await connection.createChannel();
  await channel.prefetch(1);
  const roundTrips: number[] = [];
  let ackedAtMs: number | undefined;
  let tag: string | undefined;
  await new Promise<void>((resolve, reject) => {
    channel
      .consume(queue, (msg) => {
        if (msg === null) return reject(new RabbitSetupError('RabbitMQ cancelled the calibration consumer'));
        const nowMs = performance.now();
        if (ackedAtMs !== undefined) roundTrips.push(nowMs - ackedAtMs);
        if (roundTrips.length >= samples) return resolve();
        ackedAtMs = performance.now();
        channel.ack(msg);
      })
      .then((ok) => (tag = ok.consumerTag), reject);
  });
  if (tag !== undefined) await channel.cancel(tag);
  await channel.close().catch(() => undefined);
  return roundTrips;
}

async function connect(url: string): Promise<ChannelModel> {
  try {
    return await amqp.connect(url, { timeout: 5000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new RabbitSetupError(`cannot connect to ${url.replace(/\/\/[^@/]*@/, '//***@')}: ${e.code ?? e.message}`);
  }
}

function halves(samplesMs: number[]): { dist: 'empirical'; samples: number[] } {
  return { dist: 'empirical', samples: orderStatistics(samplesMs.map((v) => v / 2), KEPT_SAMPLES).map(round) };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
