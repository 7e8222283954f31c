import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_POLICY, syncStep, type FsyncPolicy } from './logPolicy.ts';

const policy = (fsync: FsyncPolicy) => ({ ...DEFAULT_LOG_POLICY, fsync, batchRecords: 4 });
const state = (over: Partial<Parameters<typeof syncStep>[1]> = {}) => ({ unsyncedRecords: 1, forced: false, syncsInFlight: 0, idleWithConfirmWaiting: false, ...over });

describe('syncStep: the fsync policy as a decision', () => {
  it('always syncs when no sync runs, and waits for the running one otherwise (group commit)', () => {
    expect(syncStep(policy('always'), state())).toBe('sync');
    expect(syncStep(policy('always'), state({ syncsInFlight: 1 }))).toBe('wait');
  });

  it('batch: a partial group on a busy log keeps the batch timer; a full group or an idle log with a confirm waiting syncs the group', () => {
    expect(syncStep(policy('batch'), state({ unsyncedRecords: 3 }))).toBe('arm-batch-timer');
    expect(syncStep(policy('batch'), state({ unsyncedRecords: 4 }))).toBe('sync-group');
    expect(syncStep(policy('batch'), state({ idleWithConfirmWaiting: true }))).toBe('sync-group');
    // A sync already running: the group waits for the timer (or the next decision), never a second sync.
    expect(syncStep(policy('batch'), state({ unsyncedRecords: 4, syncsInFlight: 1 }))).toBe('arm-batch-timer');
  });

  it('a forced sync (a Compacted record) is taken under every policy, one at a time', () => {
    for (const fsync of ['always', 'batch', 'never'] as const) {
      expect(syncStep(policy(fsync), state({ forced: true }))).toBe('sync');
      expect(syncStep(policy(fsync), state({ forced: true, syncsInFlight: 1 }))).toBe('wait');
    }
  });

  it('never waits: the operating system flushes when it likes', () => {
    expect(syncStep(policy('never'), state({ unsyncedRecords: 100, idleWithConfirmWaiting: true }))).toBe('wait');
  });
});
