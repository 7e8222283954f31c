import type { Clock } from '../clock.ts';
import type { Storage } from '../storage.ts';
import { Durability } from './durability.ts';
import type { LogPolicy } from './messageLog.ts';
import { recoverLog, type RecoveryOptions } from './recovery.ts';
import type { StoreOpener } from './store.ts';

/** The file-log design as a store: recovery replays the segments, then logging starts in a fresh one. */
export function logStoreOpener(storage: Storage, clock: Clock, policy: LogPolicy, options: RecoveryOptions): StoreOpener {
  return (done) =>
    recoverLog(storage, options, (error, recovered) => {
      if (error || recovered === null) return done(error ?? new Error('recovery returned nothing'), null);
      done(null, {
        state: recovered,
        start: (broker) => new Durability(storage, clock, policy, recovered.segments, recovered.nextSegment, recovered.nextLogId, broker),
      });
    });
}
