import { EventLoop } from '../../sim/kernel/eventLoop.ts';
import { SimDisk, type SimDiskOptions } from '../../sim/disk/simDisk.ts';
import { randomStreams } from '../../sim/random/streams.ts';
import { Broker, type DurableBrokerOptions, type TransactionalBrokerOptions } from '../broker.ts';
import type { Delivery } from '../types.ts';

/** Test helpers: a durable broker on a SimDisk in virtual time, crashed and recovered at will. */
export function simulatedDisk(seed = 1, options: SimDiskOptions = {}) {
  const loop = new EventLoop();
  const disk = new SimDisk(loop, randomStreams(seed).stream('disk'), options);
  return { loop, disk };
}

export function recoverOn(
  loop: EventLoop,
  disk: SimDisk,
  options: Omit<DurableBrokerOptions, 'storage' | 'clock'> = {},
): Broker {
  return recoverInVirtualTime(loop, { ...options, storage: disk });
}

/** Recovers a broker on any store (a Storage or a TxBackend) by running `loop` until it is open; throws recovery's error. */
export function recoverInVirtualTime(loop: EventLoop, options: Omit<DurableBrokerOptions, 'clock'> | Omit<TransactionalBrokerOptions, 'clock'>): Broker {
  let result: Broker | null = null;
  let failure: Error | null = null;
  Broker.recover({ random: randomStreams(1).stream('broker'), ...options, clock: loop }, (error, broker) => {
    failure = error;
    result = broker;
  });
  loop.run({ stopWhen: () => result !== null || failure !== null });
  if (failure) throw failure;
  if (result === null) throw new Error('recovery did not finish');
  return result;
}

/** Recovery's error (throws if it succeeded). */
export function recoveryErrorObject(loop: EventLoop, disk: SimDisk, options: Omit<DurableBrokerOptions, 'storage' | 'clock'> = {}): Error {
  try {
    recoverOn(loop, disk, options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('recovery succeeded');
}

/** Recovery's error message, or undefined if it succeeded. */
export function recoveryError(loop: EventLoop, disk: SimDisk): string | undefined {
  try {
    recoverOn(loop, disk);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function drainBodies(broker: Broker, queue: string): { body: string; redelivered: boolean; delivery: Delivery }[] {
  const out = [];
  for (let d = broker.get(queue, { autoAck: true }); d !== undefined; d = broker.get(queue, { autoAck: true })) {
    out.push({ body: new TextDecoder().decode(d.body), redelivered: d.redelivered, delivery: d });
  }
  return out;
}
