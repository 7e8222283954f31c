import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker, type FsyncPolicy } from '../../engine/index.ts';
import type { BenchCase } from './benchmark.ts';

const BODY = new Uint8Array(100);
const PERSISTENT = { persistent: true };

function closeBroker(broker: Broker): Promise<void> {
  return new Promise((resolve, reject) => broker.close((error) => (error ? reject(error) : resolve())));
}

/**
 * Real disk, in a temporary directory: publish 100-byte persistent messages with confirms, keeping
 * `inFlight` unconfirmed at a time, while a consumer (prefetch 1,000) acks every delivery. An
 * iteration ends when all its messages are confirmed and acked.
 */
function durableCase(name: string, fsync: FsyncPolicy, inFlight: number, messages: number): BenchCase {
  let dir = '';
  let broker: Broker | undefined;
  return {
    name,
    unit: 'msg/s',
    unitsPerIteration: messages,
    async setup() {
      dir = mkdtempSync(join(tmpdir(), `qlab-bench-${fsync}-`));
      const open = await Broker.open({ dir, fsync, batchMs: 5 });
      broker = open;
      open.declareQueue('jobs', { durable: true });
      let acked = 0;
      open.consume('jobs', { prefetch: 1000 }, (d) => {
        open.ack(d.deliveryTag);
        acked++;
      });
      return () =>
        new Promise<void>((resolve, reject) => {
          acked = 0;
          let published = 0;
          let confirmed = 0;
          const publishOne = () => {
            published++;
            open.publish('', 'jobs', BODY, PERSISTENT, (ack) => {
              if (!ack) return reject(new Error(`${name}: negative confirm`));
              confirmed++;
              if (published < messages) publishOne();
              else if (confirmed === messages) waitForAcks();
            });
          };
          const waitForAcks = () => (acked >= messages ? resolve() : setImmediate(waitForAcks));
          for (let i = 0; i < Math.min(inFlight, messages); i++) publishOne();
        });
    },
    async teardown() {
      if (broker !== undefined) await closeBroker(broker);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const durableBatchBench = durableCase('engine.durable-batch', 'batch', 4096, 50_000);

/**
 * Publish + confirm against the number of publishes in flight, for fsync `always` and `batch`:
 * with 1 in flight `always` is one fdatasync per message; with more, publishes written while a
 * sync runs share the next one (group commit). Mean confirm latency follows by Little's law
 * (in flight / throughput), which `qlab bench` prints beside each.
 */
export const IN_FLIGHT = [1, 64, 256] as const;
const MESSAGES_BY_IN_FLIGHT: Record<(typeof IN_FLIGHT)[number], number> = { 1: 500, 64: 10_000, 256: 20_000 };

export function inFlightBenches(): BenchCase[] {
  return (['always', 'batch'] as const).flatMap((fsync) =>
    IN_FLIGHT.map((inFlight) => durableCase(`engine.durable-${fsync}-${inFlight}`, fsync, inFlight, MESSAGES_BY_IN_FLIGHT[inFlight])),
  );
}

/** `engine.recovery`: seconds to reopen a log holding `messages` ready 100-byte messages. */
export function recoveryBench(messages = 1_000_000): BenchCase {
  let dir = '';
  return {
    name: 'engine.recovery',
    unit: 'recoveries/s',
    unitsPerIteration: 1,
    slow: true,
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'qlab-bench-recovery-'));
      const writer = await Broker.open({ dir, fsync: 'never' });
      writer.declareQueue('backlog', { durable: true });
      for (let i = 0; i < messages; i++) writer.publish('', 'backlog', BODY, PERSISTENT);
      await closeBroker(writer);
      return async () => {
        const broker = await Broker.open({ dir, fsync: 'never' });
        const ready = broker.queueInfo('backlog').ready;
        if (ready !== messages) throw new Error(`engine.recovery: recovered ${ready} of ${messages}`);
        await closeBroker(broker);
      };
    },
    teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
