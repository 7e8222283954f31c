import { exponential } from '../dist/exponential.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { Tally } from '../metrics/tally.ts';
import { randomStreams } from '../random/streams.ts';
import { replicate } from '../stats/replications.ts';

export interface Mm1KernelOptions {
  arrivalRatePerSec: number;
  serviceRatePerSec: number;
  customers: number;
  warmupCustomers: number;
  replications: number;
  seed: number;
}

/**
 * An M/M/1 queue built on the bare kernel (event loop, streams, distributions, tally): the smallest
 * end-to-end check that the kernel's pieces measure what queueing theory predicts. Each replication
 * serves `customers` arrivals FIFO and records each one's wait in queue.
 */
export function simulateMm1(options: Mm1KernelOptions) {
  const interArrival = exponential(1000 / options.arrivalRatePerSec);
  const service = exponential(1000 / options.serviceRatePerSec);
  return replicate(options.replications, options.seed, (seed) => {
    const streams = randomStreams(seed);
    const arrivals = streams.stream('arrivals');
    const services = streams.stream('service');
    const loop = new EventLoop();
    const waitMs = new Tally('hdr');
    const queue: number[] = [];
    let head = 0;
    let busy = false;
    let arrived = 0;
    let served = 0;
    const startService = (arrivalMs: number) => {
      busy = true;
      if (served >= options.warmupCustomers) waitMs.record(loop.now() - arrivalMs);
      served++;
      loop.after(service.sample(services), departure);
    };
    const departure = () => {
      busy = false;
      if (head < queue.length) startService(queue[head++]!);
    };
    const arrival = () => {
      if (busy) queue.push(loop.now());
      else startService(loop.now());
      if (++arrived < options.customers) loop.after(interArrival.sample(arrivals), arrival);
    };
    loop.after(interArrival.sample(arrivals), arrival);
    loop.run();
    return { meanWaitMs: waitMs.mean, p99WaitMs: waitMs.quantile(0.99) };
  });
}
