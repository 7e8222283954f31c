import type { Accounting } from './measure.ts';
import { SimulationInvariantError } from './invariantError.ts';
import { IN_BROKER, VANISHED, type Tracker } from './tracker.ts';
import type { World } from './world.ts';

/** A recovery that has not finished after this many events is a bug, not an answer. */
const RECOVERY_EVENT_LIMIT = 50_000_000;

/**
 * Unavailable is not lost. When the drain ends with the broker still down or recovering (a huge
 * MTTR, a slow disk), the messages it held are not reachable, but they may well be on disk. To judge
 * loss, a broker is recovered from the simulated disk's durable state after the run — in virtual
 * time, after every metric was taken, with no client connected — and a message counts as lost only
 * if a copy of it is not in what that broker recovered. Messages that came back only then are
 * `unavailableAtEnd`.
 *
 * Only the loss columns change: everything else in `before` is what the run itself saw.
 */
export function judgeLossOnRecoveredBroker(world: World, tracker: Tracker, before: Accounting): Accounting {
  if (world.disk === undefined || !world.recoverForJudgement()) return before;
  const vanishedBefore = new Uint8Array(tracker.copies);
  for (let c = 0; c < tracker.copies; c++) if (tracker.outcome[c] === VANISHED) vanishedBefore[c] = 1;
  const { loop } = world;
  const stop = loop.run({ stopWhen: () => world.up, maxEvents: RECOVERY_EVENT_LIMIT });
  if (!world.up) {
    // Recovery refused a log that an injected lie or corruption damaged: judge on what the run saw.
    if (world.recoveryRefused !== undefined) return before;
    throw new SimulationInvariantError(`the broker recovered after the run to judge loss did not come up (${stop})`, world.seed, loop.now());
  }
  const stillVanished = new Uint8Array(tracker.messages);
  const cameBack = new Uint8Array(tracker.messages);
  for (let c = 0; c < tracker.copies; c++) {
    if (vanishedBefore[c] === 0) continue;
    const m = tracker.copyMessage[c]!;
    if (tracker.outcome[c] === IN_BROKER) cameBack[m] = 1;
    else stillVanished[m] = 1;
  }
  let lost = 0;
  let lostUnconfirmed = 0;
  let unavailableAtEnd = 0;
  for (let m = 0; m < tracker.messages; m++) {
    if (stillVanished[m] === 1) {
      if (tracker.msgConfirmed[m] === 1) lost++;
      else lostUnconfirmed++;
    } else if (cameBack[m] === 1) unavailableAtEnd++;
  }
  return { ...before, lost, lostUnconfirmed, unavailableAtEnd };
}
