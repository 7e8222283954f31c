import type { RunResult } from '../run/simulate.ts';

/**
 * The fault lines of the run summary: each kind as fired/scheduled (a fault that never fired stands
 * out), and what a confirmed loss is due to when the disk was made to break its promise.
 */
export function faultLines(result: RunResult): string[] {
  const f = result.faults;
  if (f === undefined) return [];
  const kinds = Object.entries(f.byKind).map(([kind, c]) => `${kind} ${c.fired}/${c.scheduled}${c.fired === 0 ? ' (never fired)' : ''}`);
  const lines = kinds.length > 0 ? [`faults fired/scheduled: ${kinds.join(' · ')}`] : [];
  if (f.lossDueTo.length > 0) lines.push(`confirmed messages lost: ${result.accounting.lost}, due to the injected ${f.lossDueTo.join(', ')} (the disk broke its promise; not a broker bug)`);
  if (f.recoveryRefused > 0) lines.push(`recovery refused a damaged log in ${f.recoveryRefused} replication${f.recoveryRefused === 1 ? '' : 's'}: the broker stayed down`);
  return lines;
}
