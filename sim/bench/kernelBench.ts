import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import type { BenchCase } from './benchmark.ts';

const PENDING = 1000;
const EVENTS_PER_ITERATION = 200_000;

/**
 * `sim.kernel`: a steady heap of about 1,000 pending events, each of which reschedules itself at an
 * exponential delay when it runs (schedule + pop per event). Delays are drawn before timing starts,
 * so the figure is the event loop's own cost.
 */
export const kernelBench: BenchCase = {
  name: 'sim.kernel',
  unit: 'events/s',
  unitsPerIteration: EVENTS_PER_ITERATION,
  setup() {
    const random = randomStreams(1).stream('bench/kernel');
    const delays = Float64Array.from({ length: 1 << 16 }, () => -Math.log(1 - random.next()));
    const mask = delays.length - 1;
    const loop = new EventLoop(0, 4096);
    let cursor = 0;
    const event = () => {
      loop.setTimer(loop.now() + delays[cursor++ & mask]!, event);
    };
    for (let i = 0; i < PENDING; i++) loop.setTimer(delays[cursor++ & mask]!, event);
    return () => {
      loop.run({ maxEvents: EVENTS_PER_ITERATION });
    };
  },
};
