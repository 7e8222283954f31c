import { describe } from 'vitest';
import { messageStoreConformance } from './store.conformance.ts';
import { recoverOn, simulatedDisk } from './testing.ts';

/** The file log (fsync always) against the store contract; a broker crash is a power cut here, as in the simulator. */
describe('file log store (fsync always)', () => {
  messageStoreConformance(async () => {
    const { loop, disk } = simulatedDisk(7);
    const crash = async (broker: { kill(): void }) => {
      broker.kill();
      disk.crash();
    };
    return {
      open: async () => recoverOn(loop, disk, { fsync: 'always', segmentBytes: 4096, maxSegments: 3 }),
      advance: async (events) => void loop.run({ maxEvents: events }),
      settle: async () => void loop.run(),
      crashBroker: crash,
      crashStore: crash,
      storeCrashLossWindowMs: 0,
      now: () => loop.now(),
    };
  });
});
