import type { Scenario } from '../scenario/schema.ts';
import type { SimConsumer } from '../workload/consumer.ts';
import type { World } from './world.ts';

export interface PlannedCrash {
  atMs: number;
  downMs: number;
}

/**
 * Turns the scenario's faults into timed events, all before the end of the run (faults do not
 * follow into the drain). Random fault times come from their own streams, like everything else, so
 * adding a fault never changes the workload's samples.
 */
export function scheduleFaults(world: World, consumers: SimConsumer[], endMs: number): PlannedCrash[] {
  const { loop, disk, network } = world;
  const crashes: PlannedCrash[] = [];
  world.scenario.faults.forEach((fault, i) => {
    const stream = world.streams.stream(`faults/${i}`);
    const exp = (meanMs: number) => (meanMs === 0 ? 0 : -meanMs * Math.log(1 - stream.next()));
    switch (fault.kind) {
      case 'broker-crash': {
        const mttrMs = fault.mttrSec * 1000;
        const downFor = () => (fault.fixedRestart ? mttrMs : exp(mttrMs));
        if (fault.atSec !== undefined) {
          for (const at of fault.atSec) if (at * 1000 < endMs) crashes.push({ atMs: at * 1000, downMs: downFor() });
        } else {
          // Alternating exponential up (MTBF) and down (MTTR) periods.
          for (let t = exp(fault.mtbfSec! * 1000); t < endMs; ) {
            const down = downFor();
            crashes.push({ atMs: t, downMs: down });
            t += down + exp(fault.mtbfSec! * 1000);
          }
        }
        break;
      }
      case 'consumer-crash':
        for (const at of fault.atSec) {
          if (at * 1000 < endMs) loop.setTimer(at * 1000, () => consumers[fault.consumer]!.crash(fault.reconnectAfterSec * 1000));
        }
        break;
      case 'disk-slow':
        if (disk !== undefined && fault.fromSec * 1000 < endMs) {
          loop.setTimer(fault.fromSec * 1000, () => (disk.latencyFactor = fault.factor));
          loop.setTimer(Math.min(fault.toSec * 1000, endMs), () => (disk.latencyFactor = 1));
        }
        break;
      case 'disk-stall':
        if (disk !== undefined && fault.atSec * 1000 < endMs) loop.setTimer(fault.atSec * 1000, () => disk.stall(loop.now() + fault.durationSec * 1000));
        break;
      case 'latency-spike':
        if (fault.fromSec * 1000 < endMs) {
          const links = [network.publish, network.deliver, network.ack];
          loop.setTimer(fault.fromSec * 1000, () => links.forEach((l) => (l.factor = fault.factor)));
          loop.setTimer(Math.min(fault.toSec * 1000, endMs), () => links.forEach((l) => (l.factor = 1)));
        }
        break;
    }
  });
  crashes.sort((a, b) => a.atMs - b.atMs);
  for (const crash of crashes) {
    loop.setTimer(crash.atMs, () => {
      for (const c of consumers) c.brokerLost();
      world.crash(crash.downMs);
    });
  }
  return crashes;
}

/** True if the scenario injects any fault at all. */
export function hasFaults(scenario: Scenario): boolean {
  return scenario.faults.length > 0;
}
