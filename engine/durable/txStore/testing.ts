import type { EventLoop } from '../../../sim/kernel/eventLoop.ts';
import { randomStreams } from '../../../sim/random/streams.ts';
import { Broker } from '../../broker.ts';
import type { CommitPolicy } from './commitPolicy.ts';
import type { MemoryDatabase } from './memoryBackend.ts';

/** Test helper: a broker on a new connection to `db`, recovered in virtual time (throws recovery's error). */
export function recoverOnDatabase(loop: EventLoop, db: MemoryDatabase, policy: Partial<CommitPolicy> = {}): Broker {
  let result: Broker | null = null;
  let failure: Error | null = null;
  Broker.recover({ random: randomStreams(1).stream('broker'), ...policy, clock: loop, backend: db.connect() }, (error, broker) => {
    failure = error;
    result = broker;
  });
  loop.run({ stopWhen: () => result !== null || failure !== null });
  if (failure) throw failure;
  if (result === null) throw new Error('recovery did not finish');
  return result;
}
