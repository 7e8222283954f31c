import type { BenchResult } from './benchmark.ts';

export interface Comparison {
  name: string;
  unit: string;
  baseline: number | undefined;
  current: number | undefined;
  /** Relative change, current/baseline − 1 (higher is better for every timed figure: they are rates). */
  change: number | undefined;
  status: 'ok' | 'regression' | 'changed' | 'new' | 'missing';
}

/**
 * Current figures against a baseline. Timed figures are rates (higher is better) and regress when
 * they drop by more than `threshold`; exact figures (rme 0, from the deterministic set) must match
 * exactly — any difference is reported as changed and fails the gate.
 */
export function compareResults(baseline: BenchResult[], current: BenchResult[], threshold: number): Comparison[] {
  const base = new Map(baseline.map((r) => [r.name, r]));
  const rows: Comparison[] = [];
  for (const c of current) {
    const b = base.get(c.name);
    base.delete(c.name);
    if (b === undefined) {
      rows.push({ name: c.name, unit: c.unit, baseline: undefined, current: c.value, change: undefined, status: 'new' });
      continue;
    }
    const change = c.value / b.value - 1;
    const exact = c.samples === 1 && c.rme === 0;
    const status = exact ? (c.value === b.value ? 'ok' : 'changed') : change < -threshold ? 'regression' : 'ok';
    rows.push({ name: c.name, unit: c.unit, baseline: b.value, current: c.value, change, status });
  }
  for (const b of base.values()) rows.push({ name: b.name, unit: b.unit, baseline: b.value, current: undefined, change: undefined, status: 'missing' });
  return rows;
}

export function failed(rows: Comparison[]): boolean {
  return rows.some((r) => r.status === 'regression' || r.status === 'changed');
}

/** For interleaved rounds: the best value each benchmark reached (noise only ever slows a run down). */
export function bestOf(rounds: BenchResult[][]): BenchResult[] {
  const best = new Map<string, BenchResult>();
  for (const round of rounds) for (const r of round) if (!best.has(r.name) || r.value > best.get(r.name)!.value) best.set(r.name, r);
  return [...best.values()];
}
