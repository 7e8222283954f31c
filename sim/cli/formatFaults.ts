import type { RunResult } from '../run/simulate.ts';
import { duration, interval, num } from './format.ts';

/**
 * The fault lines of the run summary: each kind as fired/scheduled (a fault that never fired stands
 * out), and what a confirmed loss is due to when the disk was made to break its promise.
 */
export function faultLines(result: RunResult): string[] {
  return [...publisherLines(result), ...faultCountLines(result)];
}

/** Confirm latency, and the Jepsen-style ledger of confirm-window publishers. */
function publisherLines(result: RunResult): string[] {
  const lines: string[] = [];
  const c = result.summary.confirmLatency;
  if (c !== undefined) lines.push(`confirm latency: mean ${interval(c, duration)} · p50 ${interval(c.p50, duration)} · p99 ${interval(c.p99, duration)}`);
  const p = result.publishers;
  if (p !== undefined) {
    lines.push(
      `publishers (confirm window): ${num(p.messages)} messages in ${num(p.attempts)} attempts (${num(p.retries)} retries: ${num(p.timeouts)} timeouts, ${num(p.nacks)} nacks, ${num(p.unavailable)} broker down)` +
        ` · ok ${num(p.ok)} · lost ${num(p.lost)} · recovered ${num(p.recovered)} · failed ${num(p.failed)} · duplicated ${num(p.duplicated)} · deduplicated ${num(p.deduplicated)}` +
        (p.droppedOnWire + p.confirmsDropped > 0 ? ` · dropped by partition: ${num(p.droppedOnWire)} publishes, ${num(p.confirmsDropped)} confirms` : ''),
    );
  }
  return lines;
}

function faultCountLines(result: RunResult): string[] {
  const f = result.faults;
  if (f === undefined) return [];
  const kinds = Object.entries(f.byKind).map(([kind, c]) => `${kind} ${c.fired}/${c.scheduled}${c.fired === 0 ? ' (never fired)' : ''}`);
  const lines = kinds.length > 0 ? [`faults fired/scheduled: ${kinds.join(' · ')}`] : [];
  if (f.lossDueTo.length > 0) lines.push(`confirmed messages lost: ${result.accounting.lost}, due to the injected ${f.lossDueTo.join(', ')} (the disk broke its promise; not a broker bug)`);
  if (f.recoveryRefused > 0) lines.push(`recovery refused a damaged log in ${f.recoveryRefused} replication${f.recoveryRefused === 1 ? '' : 's'}: the broker stayed down`);
  return lines;
}
