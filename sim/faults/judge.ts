import { runReplication } from '../run/replication.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { FaultEvent } from './faultLog.ts';
import type { Verdict } from './shrink.ts';

/**
 * Runs one replication and says how it failed: any exception (a broken invariant, or the simulator
 * itself crashing) with its exact fault schedule. With `strict`, a loss of confirmed messages that
 * the report blames on an injected fault (a lying or corrupting disk) counts as a failure too — to
 * find the smallest schedule in which such a fault loses data.
 */
export function judgeReplication(strict: boolean): (scenario: Scenario, seed: number) => Verdict {
  return (scenario, seed) => {
    try {
      const r = runReplication(scenario, seed, { batches: false });
      if (strict && r.accounting.lost > 0) {
        return { failure: `${r.accounting.lost} confirmed messages lost (due to injected ${r.faults?.lossDueTo.join(', ') || 'faults'}; --strict)`, schedule: r.faults?.schedule ?? [] };
      }
      return undefined;
    } catch (error) {
      const e = error as Error & { faultSchedule?: FaultEvent[]; invariant?: string; atMs?: number };
      return { failure: `${e.name}: ${e.invariant ?? e.message.split('\n')[0]}`, schedule: e.faultSchedule ?? [], ...(e.atMs !== undefined ? { atMs: e.atMs } : {}) };
    }
  };
}
