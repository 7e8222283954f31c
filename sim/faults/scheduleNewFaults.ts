import type { World } from '../run/world.ts';
import type { SimConsumer } from '../workload/consumer.ts';
import type { Link } from '../workload/network.ts';

/**
 * Timed events for the partition and pause faults (the disk faults strike inside FaultyDisk). Like
 * every fault they stop at the end of the run: a partition still open then heals, so the drain sees
 * a whole system.
 */
export function scheduleNewFaults(world: World, consumers: SimConsumer[], endMs: number): void {
  const { loop, network, faultLog } = world;
  const links = { publish: network.publish, deliver: network.deliver, ack: network.ack };
  for (const link of Object.values(links)) link.now = () => loop.now();
  const hold = (targets: Link[], untilMs: number) => {
    for (const link of targets) link.heldUntilMs = Math.max(link.heldUntilMs, untilMs);
    loop.setTimer(untilMs, () => {
      for (const link of targets) if (link.heldUntilMs <= loop.now()) link.heldUntilMs = 0;
    });
  };
  world.scenario.faults.forEach((fault, index) => {
    switch (fault.kind) {
      case 'partition': {
        const fromMs = fault.fromSec * 1000;
        const untilMs = Math.min(fault.toSec * 1000, endMs);
        faultLog.plan({ fault: index, kind: fault.kind, atMs: fromMs });
        if (fromMs >= endMs || untilMs <= fromMs) break;
        const toBroker = fault.between === 'producers-broker';
        loop.setTimer(fromMs, () => {
          faultLog.fired(fault.kind);
          if (fault.mode === 'delay') return hold(toBroker ? [links.publish] : [links.deliver, links.ack], untilMs);
          if (toBroker) {
            const forth = fault.direction !== 'from-broker';
            const back = fault.direction !== 'to-broker';
            if (forth) links.publish.dropping = true;
            if (back) links.publish.droppingBack = true;
            loop.setTimer(untilMs, () => {
              if (forth) links.publish.dropping = false;
              if (back) links.publish.droppingBack = false;
            });
            return;
          }
          // TCP does not drop what a partition cuts: the connections time out and are re-made when it heals.
          for (const consumer of consumers) consumer.crash(untilMs - fromMs);
        });
        break;
      }
      case 'pause':
        for (const at of fault.atSec) {
          const atMs = at * 1000;
          faultLog.plan({ fault: index, kind: fault.kind, atMs });
          if (atMs >= endMs) continue;
          const untilMs = atMs + fault.durationSec * 1000;
          loop.setTimer(atMs, () => {
            if (fault.process === 'broker') {
              if (!world.up) return; // nothing to pause: counted as scheduled, not fired
              faultLog.fired(fault.kind);
              hold([links.publish, links.deliver, links.ack], untilMs);
            } else {
              faultLog.fired(fault.kind);
              consumers[fault.consumer!]!.pause(untilMs);
            }
          });
        }
        break;
      default:
        break;
    }
  });
}
