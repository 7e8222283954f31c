import type { FaultEvent } from './faultLog.ts';

type Raw = Record<string, unknown>;

/**
 * The scenario (as written, JSON) with its random fault times replaced by the exact schedule a run
 * drew: every broker crash becomes `atMs` + `downMs`. The other kinds are already exact in the
 * scenario (fixed times), or draw per operation from their own stream, which the seed reproduces.
 * With the same seed the result replays the run event for event, and each event can be removed
 * on its own (which is what shrinking needs).
 */
export function explicitScenario(raw: unknown, schedule: readonly FaultEvent[], seed: number): Raw {
  const scenario = structuredClone(raw) as Raw;
  const faults = (scenario.faults as Raw[] | undefined) ?? [];
  scenario.faults = faults.map((fault, index) => {
    if (fault.kind !== 'broker-crash') return fault;
    const events = schedule.filter((e) => e.fault === index && e.kind === 'broker-crash');
    const { atSec: _atSec, mtbfSec: _mtbfSec, fixedRestart: _fixed, ...rest } = fault;
    return { ...rest, atMs: events.map((e) => e.atMs), downMs: events.map((e) => e.downMs ?? 0) };
  });
  scenario.seed = seed;
  scenario.replications = 1;
  return scenario;
}
