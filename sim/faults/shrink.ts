import { parseScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { explicitScenario } from './explicit.ts';
import type { FaultEvent } from './faultLog.ts';

type Raw = Record<string, unknown> & { faults?: Raw[]; producers?: Raw[]; consumers?: Raw[] };

/** How a run failed, or undefined if it did not; `schedule` is its exact fault schedule. */
export type Verdict = { failure: string; schedule: FaultEvent[]; /** Virtual time of the failure, when known. */ atMs?: number } | undefined;
/** Runs one replication and judges it. */
export type Judge = (scenario: Scenario, seed: number) => Verdict;

export interface ShrinkResult {
  /** The smallest failing scenario found (JSON as written: exact fault schedule, the seed, one replication). */
  scenario: Raw;
  failure: string;
  runs: number;
  before: Size;
  after: Size;
  /** The run budget ran out before no smaller candidate failed. */
  exhausted: boolean;
}

export interface Size {
  faultEvents: number;
  durationSec: number;
  producers: number;
  consumers: number;
}

/** The same failure, with the numbers that vary from run to run (counts, times, seeds) taken out. */
export function failureKind(message: string): string {
  return message.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, '#');
}

/**
 * Shrinks a failing (scenario, seed) greedily, in the spirit of delta debugging: make the fault
 * schedule exact, then keep trying smaller candidates — one fault or one fault event fewer, a
 * shorter run, fewer producers or consumers — and keep any that still fails the same way, until no
 * candidate does or `maxRuns` replications have been run. Every candidate is validated first: one
 * the schema refuses costs no run.
 */
export function shrink(raw: unknown, seed: number, judge: Judge, options: { maxRuns: number; onRun?: (run: number, size: Size, failed: boolean) => void }): ShrinkResult | { notFailing: true } {
  let runs = 0;
  const attempt = (candidate: Raw): Verdict => {
    const parsed = parseScenario(candidate, 'candidate');
    if (!parsed.ok) return undefined;
    runs++;
    const verdict = judge(parsed.scenario, seed);
    options.onRun?.(runs, sizeOf(parsed.scenario), verdict !== undefined);
    return verdict;
  };
  const first = attempt(raw as Raw);
  if (first === undefined) return { notFailing: true };
  const kind = failureKind(first.failure);
  const parsed = parseScenario(raw, 'scenario');
  const before = parsed.ok ? sizeOf(parsed.scenario) : { faultEvents: 0, durationSec: 0, producers: 0, consumers: 0 };
  let current = explicitScenario(raw, first.schedule, seed) as Raw;
  let failure = first.failure;
  let lastAtMs = first.atMs;
  let progress = true;
  while (progress && runs < options.maxRuns) {
    progress = false;
    for (const candidate of candidates(current, lastAtMs)) {
      if (runs >= options.maxRuns) break;
      const verdict = attempt(candidate);
      if (verdict !== undefined && failureKind(verdict.failure) === kind) {
        // Keep it, with its own exact schedule (a shorter run plans fewer events).
        current = explicitScenario(candidate, verdict.schedule, seed) as Raw;
        failure = verdict.failure;
        lastAtMs = verdict.atMs;
        progress = true;
        break;
      }
    }
  }
  const final = parseScenario(current, 'shrunk');
  return { scenario: current, failure, runs, before, after: final.ok ? sizeOf(final.scenario) : before, exhausted: runs >= options.maxRuns };
}

export function sizeOf(s: Scenario): Size {
  let faultEvents = 0;
  for (const f of s.faults) {
    const times = (f as { atMs?: number[]; atSec?: number[] }).atMs ?? (f as { atSec?: number[] }).atSec;
    faultEvents += Array.isArray(times) ? times.length : 1;
  }
  return {
    faultEvents,
    durationSec: s.durationSec,
    producers: s.producers.reduce((n, p) => n + p.count, 0),
    consumers: s.consumers.reduce((n, c) => n + c.count, 0),
  };
}

/** Smaller variants of a scenario, the biggest cuts first. */
function* candidates(s: Raw, failedAtMs: number | undefined): Generator<Raw> {
  const faults = s.faults ?? [];
  const duration = s.durationSec as number;
  const drainSec = (s.drainSec as number | undefined) ?? duration;
  const shorterRun = (factor: number): Raw | undefined => {
    const shorter = Number((duration * factor).toPrecision(6));
    if (!(shorter > 0 && shorter < duration)) return undefined;
    const warmup = typeof s.warmupSec === 'number' && s.warmupSec >= shorter ? { warmupSec: shorter / 10 } : {};
    return { ...s, durationSec: shorter, drainSec, ...warmup };
  };
  // First, the biggest cut there is: end the arrivals just after the failure, if it came before they ended.
  if (failedAtMs !== undefined && failedAtMs < duration * 1000) {
    const cut = shorterRun(((failedAtMs / 1000) * 1.02 + 0.001) / duration);
    if (cut !== undefined) yield cut;
  }
  // One whole fault fewer.
  for (let i = 0; i < faults.length; i++) yield { ...s, faults: faults.filter((_, k) => k !== i) };
  // One event of a fault fewer.
  for (let i = 0; i < faults.length; i++) {
    const f = faults[i]!;
    for (const [times, paired] of [['atMs', 'downMs'], ['atSec', undefined]] as const) {
      const list = f[times];
      if (!Array.isArray(list) || list.length < 2) continue;
      for (let e = 0; e < list.length; e++) {
        const cut: Raw = { ...f, [times]: list.filter((_, k) => k !== e) };
        if (paired !== undefined) cut[paired] = (f[paired] as unknown[]).filter((_, k) => k !== e);
        yield { ...s, faults: faults.map((g, k) => (k === i ? cut : g)) };
      }
    }
  }
  // A shorter run (the drain kept as it was, so the judgement at the end is unchanged).
  for (const factor of [0.5, 0.75, 0.9]) {
    const cut = shorterRun(factor);
    if (cut !== undefined) yield cut;
  }
  // Fewer producers and consumers: whole entries, then instances.
  for (const key of ['producers', 'consumers'] as const) {
    const list = s[key] ?? [];
    if (list.length > 1) for (let i = 0; i < list.length; i++) yield { ...s, [key]: list.filter((_, k) => k !== i) };
    for (let i = 0; i < list.length; i++) {
      const count = (list[i]!.count as number | undefined) ?? 1;
      for (const fewer of new Set([Math.ceil(count / 2), count - 1])) {
        if (fewer >= 1 && fewer < count) yield { ...s, [key]: list.map((e, k) => (k === i ? { ...e, count: fewer } : e)) };
      }
    }
  }
}
