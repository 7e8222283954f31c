/**
 * One fault event as it was planned for a replication: which scenario fault made it (its index in
 * `faults`), its kind, when it strikes, and the numbers drawn for it. The list of these is the run's
 * exact fault schedule: `explicitFaults` turns it back into a scenario that replays it.
 */
export interface FaultEvent {
  fault: number;
  kind: string;
  atMs: number;
  /** Broker crash: how long the broker stays down. */
  downMs?: number;
}

export interface FaultCount {
  /** Events planned (time-based faults, including any planned past the end of the run, which never fire), or operations exposed to a probability fault. */
  scheduled: number;
  /** Events that took effect. */
  fired: number;
}

/**
 * Counts every fault as it is planned and as it fires, and keeps the exact schedule. A fault that
 * was scheduled but never fired (a crash while the broker was already down, a disk fault on an
 * in-memory broker, a time past the end of the run) shows as scheduled > fired, so a run whose
 * faults silently did nothing is visible in the report.
 *
 * Some faults break the promise the engine makes (a disk that lies about fsync, corrupts or
 * misdirects a write): once one of them has fired, a loss of confirmed messages is the fault's
 * doing, and `voidedPromises` names it so the safety check reports it instead of calling it a
 * broker bug.
 */
export class FaultLog {
  readonly schedule: FaultEvent[] = [];
  private readonly counts = new Map<string, FaultCount>();
  private readonly voided = new Set<string>();

  private count(kind: string): FaultCount {
    let c = this.counts.get(kind);
    if (c === undefined) this.counts.set(kind, (c = { scheduled: 0, fired: 0 }));
    return c;
  }

  /** A timed event planned: counted, and kept in the schedule. */
  plan(event: FaultEvent): void {
    this.count(event.kind).scheduled++;
    this.schedule.push(event);
  }

  /** A kind that exists in the scenario, counted even if nothing is ever planned for it. */
  declare(kind: string): void {
    this.count(kind);
  }

  /** One operation exposed to a probability fault (it may or may not fire). */
  exposed(kind: string): void {
    this.count(kind).scheduled++;
  }

  fired(kind: string): void {
    this.count(kind).fired++;
  }

  /** A fault fired that voids the engine's durability promise (see the class comment). */
  voidsPromise(kind: string): void {
    this.voided.add(kind);
  }

  get voidedPromises(): string[] {
    return [...this.voided].sort();
  }

  /** Counts by kind, in name order (stable report text). */
  byKind(): Record<string, FaultCount> {
    const out: Record<string, FaultCount> = {};
    for (const kind of [...this.counts.keys()].sort()) out[kind] = { ...this.counts.get(kind)! };
    return out;
  }
}

/** Sums per-kind counts over replications. */
export function sumFaultCounts(all: Record<string, FaultCount>[]): Record<string, FaultCount> {
  const out: Record<string, FaultCount> = {};
  for (const counts of all) {
    for (const [kind, c] of Object.entries(counts)) {
      const t = (out[kind] ??= { scheduled: 0, fired: 0 });
      t.scheduled += c.scheduled;
      t.fired += c.fired;
    }
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]!]));
}
