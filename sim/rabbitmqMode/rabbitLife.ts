import { spawn } from 'node:child_process';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { RandomStream } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { RabbitConsumer, type RabbitSide } from './rabbitClients.ts';
import { exchangeOptions, queueOptions } from './rabbitTopology.ts';

/** A broker that cannot be reached or refuses the topology: the CLI turns it into one line and exit 2. */
export class RabbitSetupError extends Error {
  override name = 'RabbitSetupError';
}

/** How long after a restart command the broker may take to accept connections again. */
const RECONNECT_TIMEOUT_MS = 120_000;
const RECONNECT_POLL_MS = 250;

/**
 * The client side's connection to RabbitMQ over a run: opened (topology declared, queues purged),
 * lost when the broker closes it, and — after a `--restart-cmd` at a scheduled broker crash —
 * opened again (topology asserted, nothing purged), consumers re-subscribed and producers given
 * fresh channels. While there is no connection, publishes are unavailable.
 */
export class RabbitLife {
  connection: ChannelModel | undefined;
  readonly producerChannels: (Channel | ConfirmChannel | undefined)[] = [];
  readonly consumers: RabbitConsumer[] = [];
  restarting = false;
  crashes = 0;
  readonly recoveryMs: number[] = [];
  failure: Error | undefined;
  /** Each restart command's outcome, for the report's notes. */
  readonly restarts: string[] = [];

  constructor(
    private readonly side: RabbitSide,
    private readonly url: string,
    private readonly restartCmd: string | undefined,
  ) {}

  get up(): boolean {
    return this.connection !== undefined && !this.restarting;
  }

  /** Connects, declares, and attaches every client; `first` purges the queues so an earlier run's leftovers do not count. */
  async open(first: boolean, streams: RandomStream): Promise<void> {
    const connection = await connect(this.url);
    try {
      await this.attachAll(connection, first, streams);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    connection.on('error', () => undefined); // a forced close by a stopping broker; 'close' follows
    connection.on('close', () => this.lost(connection));
    this.connection = connection;
  }

  private async attachAll(connection: ChannelModel, first: boolean, streams: RandomStream): Promise<void> {
    const { scenario } = this.side;
    await declare(connection, scenario, first);
    if (first) {
      scenario.consumers.forEach((spec, i) => {
        for (let k = 0; k < spec.count; k++) this.consumers.push(new RabbitConsumer(this.side, spec, streams.stream(`consumer/${spec.name ?? i}/${k}`)));
      });
    }
    for (const consumer of this.consumers) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await consumer.attach(channel);
    }
    const producers = scenario.producers.flatMap((spec) => Array.from({ length: spec.count }, () => spec));
    for (const [i, spec] of producers.entries()) {
      const channel = spec.confirms ? await connection.createConfirmChannel() : await connection.createChannel();
      channel.on('error', () => undefined);
      this.producerChannels[i] = channel;
    }
  }

  /** The broker closed the connection: every channel and what clients held on them is gone. */
  private lost(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.producerChannels.fill(undefined);
    for (const consumer of this.consumers) consumer.lost();
    // Delivered-but-unacked messages go back to their queues (as the broker requeues them).
    for (const [queue, unacked] of this.side.unacked) if (unacked > 0) {
      this.side.ready.set(queue, (this.side.ready.get(queue) ?? 0) + unacked);
      this.side.unacked.set(queue, 0);
    }
  }

  /** A scheduled broker crash: runs the restart command, then reconnects. `downMs` (the fault's MTTR draw) is in QLAB_DOWN_MS. */
  crash(downMs: number, streams: RandomStream): void {
    if (this.restartCmd === undefined) return;
    const startedMs = this.side.loop.now();
    this.restarting = true;
    this.crashes++;
    runCommand(this.restartCmd, downMs)
      .then(async (outcome) => {
        this.restarts.push(outcome);
        await this.reconnect(streams);
        this.side.tracker.brokerStarted(); // a new connection: redeliveries of what the old one held are not duplicates
        this.recoveryMs.push(this.side.loop.now() - startedMs);
        this.restarting = false;
      })
      .catch((error: Error) => (this.failure ??= error));
  }

  private async reconnect(streams: RandomStream): Promise<void> {
    const deadline = performance.now() + RECONNECT_TIMEOUT_MS;
    // A command that only stops the app returns before the connection is dropped: wait for the drop or reuse a live one.
    if (this.connection !== undefined) return;
    for (;;) {
      try {
        return await this.open(false, streams);
      } catch (error) {
        if (performance.now() > deadline) throw new RabbitSetupError(`the broker did not accept connections within ${RECONNECT_TIMEOUT_MS / 1000} s of the restart command: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_POLL_MS));
      }
    }
  }

  /** Messages RabbitMQ itself holds ready in the scenario's queues (undefined while disconnected). */
  async readyOnBroker(): Promise<number | undefined> {
    const connection = this.connection;
    if (connection === undefined) return undefined;
    let ready = 0;
    for (const q of this.side.scenario.broker.queues) await onFreshChannel(connection, `queue '${q.name}'`, async (ch) => (ready += (await ch.checkQueue(q.name)).messageCount));
    return ready;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }
}

/** Runs the user's restart command in a shell; a non-zero exit stops the run with its output. */
function runCommand(command: string, downMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/bin/sh', ['-c', command], { env: { ...process.env, QLAB_DOWN_MS: String(Math.round(downMs)) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-1000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new RabbitSetupError(`--restart-cmd could not run: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve(`restart command took ${Math.round(performance.now() - started)} ms`);
      reject(new RabbitSetupError(`--restart-cmd exited with ${signal ?? `code ${code}`}: ${output.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

export async function connect(url: string): Promise<ChannelModel> {
  try {
    return await amqp.connect(url, { timeout: 5000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new RabbitSetupError(`cannot connect to ${redacted(url)}: ${e.code ?? e.message}`);
  }
}

async function declare(connection: ChannelModel, scenario: Scenario, purge: boolean): Promise<void> {
  for (const e of scenario.broker.exchanges) await onFreshChannel(connection, `exchange '${e.name}'`, (ch) => ch.assertExchange(e.name, e.type, exchangeOptions(e)));
  for (const q of scenario.broker.queues) {
    await onFreshChannel(connection, `queue '${q.name}'`, async (ch) => {
      await ch.assertQueue(q.name, queueOptions(q));
      if (purge) await ch.purgeQueue(q.name);
    });
  }
  for (const b of scenario.broker.bindings) await onFreshChannel(connection, `binding of '${b.queue}' to '${b.exchange}'`, (ch) => ch.bindQueue(b.queue, b.exchange, b.bindingKey, b.args));
}

/** Deletes the scenario's queues and exchanges; returns how many messages were still in the queues. */
export async function removeTopology(connection: ChannelModel, scenario: Scenario): Promise<number> {
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

export const redacted = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
