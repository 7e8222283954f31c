import { expect } from 'vitest';
import { EventLoop } from '../../sim/kernel/eventLoop.ts';
import { randomStreams } from '../../sim/random/streams.ts';
import { Broker, EngineError } from '../index.ts';

/** Test helpers for the engine/broker tests: an in-memory broker in virtual time, and the EngineError a call throws. */
export function memoryBroker(seed: number): { loop: EventLoop; broker: Broker } {
  const loop = new EventLoop();
  const broker = new Broker({ clock: loop, random: randomStreams(seed).stream('broker') });
  return { loop, broker };
}

/** The EngineError `fn` throws (any other error fails the test), or undefined if it returns. */
export function errorOf(fn: () => unknown): EngineError | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  return undefined;
}
