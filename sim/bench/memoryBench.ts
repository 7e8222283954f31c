import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Broker } from '../../engine/index.ts';
import type { BenchResult } from './benchmark.ts';

/** A full garbage collection, without needing node --expose-gc on the command line. */
function forceGc(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/**
 * `engine.ready-heap`: heap growth, after a forced GC, per idle ready message with `messages` queued
 * (no consumer; one shared 100-byte body and properties object, so the figure is the engine's own
 * cost per message). Reported as ready messages per MB of heap so that, like every timed figure,
 * higher is better; the bytes per message are in the unit's companion line of the README.
 */
export function readyHeapFigure(messages: number): BenchResult & { bytesPerMessage: number } {
  const body = new Uint8Array(100);
  const properties = {};
  const broker = new Broker();
  broker.declareQueue('backlog');
  forceGc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < messages; i++) broker.publish('', 'backlog', body, properties);
  forceGc();
  const bytesPerMessage = (process.memoryUsage().heapUsed - before) / messages;
  if (broker.queueInfo('backlog').ready !== messages) throw new Error('engine.ready-heap: messages went missing');
  return { name: 'engine.ready-heap', unit: 'ready msg/MB heap', value: 1_048_576 / bytesPerMessage, rme: 0.1, samples: 1, bytesPerMessage };
}
