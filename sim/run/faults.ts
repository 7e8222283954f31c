import type { Scenario } from '../scenario/schema.ts';
import type { SimConsumer } from '../workload/consumer.ts';
import type { World } from './world.ts';
import { scheduleNewFaults } from '../faults/scheduleNewFaults.ts';

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
  const { loop, disk, network, faultLog } = world;
  const crashes: PlannedCrash[] = [];
  // Every event is planned in the fault log (so one past the end shows as scheduled, not fired) and
  // counted as fired only when it takes effect.
  const at = (index: number, kind: string, atMs: number, effect: () => boolean | void) => {
    faultLog.plan({ fault: index, kind, atMs });
    if (atMs < endMs) loop.setTimer(atMs, () => effect() !== false && faultLog.fired(kind));
  };
  world.scenario.faults.forEach((fault, i) => {
    faultLog.declare(fault.kind);
    const stream = world.streams.stream(`faults/${i}`);
    const exp = (meanMs: number) => (meanMs === 0 ? 0 : -meanMs * Math.log(1 - stream.next()));
    switch (fault.kind) {
      case 'broker-crash': {
        const mttrMs = fault.mttrSec * 1000;
        const downFor = () => (fault.fixedRestart ? mttrMs : exp(mttrMs));
        const plan = (atMs: number, downMs: number) => {
          faultLog.plan({ fault: i, kind: fault.kind, atMs, downMs });
          if (atMs < endMs) crashes.push({ atMs, downMs });
        };
        if (fault.atMs !== undefined) {
          fault.atMs.forEach((atMs, k) => plan(atMs, fault.downMs![k]!));
        } else if (fault.atSec !== undefined) {
          for (const t of fault.atSec) plan(t * 1000, t * 1000 < endMs ? downFor() : 0);
        } else {
          // Alternating exponential up (MTBF) and down (MTTR) periods.
          for (let t = exp(fault.mtbfSec! * 1000); t < endMs; ) {
            const down = downFor();
            plan(t, down);
            t += down + exp(fault.mtbfSec! * 1000);
          }
        }
        break;
      }
      case 'consumer-crash':
        for (const t of fault.atSec) at(i, fault.kind, t * 1000, () => consumers[fault.consumer]!.crash(fault.reconnectAfterSec * 1000));
        break;
      case 'disk-slow':
        at(i, fault.kind, fault.fromSec * 1000, () => {
          if (disk === undefined) return false;
          disk.latencyFactor = fault.factor;
          loop.setTimer(Math.min(fault.toSec * 1000, endMs), () => (disk.latencyFactor = 1));
        });
        break;
      case 'disk-stall':
        at(i, fault.kind, fault.atSec * 1000, () => (disk === undefined ? false : disk.stall(loop.now() + fault.durationSec * 1000)));
        break;
      case 'latency-spike': {
        const links = [network.publish, network.deliver, network.ack];
        at(i, fault.kind, fault.fromSec * 1000, () => {
          links.forEach((l) => (l.factor = fault.factor));
          loop.setTimer(Math.min(fault.toSec * 1000, endMs), () => links.forEach((l) => (l.factor = 1)));
        });
        break;
      }
      case 'database-crash':
        for (const t of fault.atSec) at(i, fault.kind, t * 1000, () => world.databaseCrash(fault.downSec * 1000, () => consumers.forEach((c) => c.brokerLost())));
        break;
      default:
        break; // the newer kinds: scheduleNewFaults and FaultyDisk
    }
  });
  scheduleNewFaults(world, consumers, endMs);
  crashes.sort((a, b) => a.atMs - b.atMs);
  for (const crash of crashes) {
    loop.setTimer(crash.atMs, () => {
      // A crash while the broker is down or still recovering has nothing to kill: not fired.
      if (!world.up) return;
      faultLog.fired('broker-crash');
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
