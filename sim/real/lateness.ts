/** A lateness (or overshoot) distribution as a report shows it, in ms; nulls when nothing was measured. */
export interface LatenessSummary {
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export function summarizeLateness(samplesMs: readonly number[]): LatenessSummary {
  if (samplesMs.length === 0) return { count: 0, meanMs: null, p50Ms: null, p99Ms: null, maxMs: null };
  const sorted = Float64Array.from(samplesMs).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { count: sorted.length, meanMs: r(mean), p50Ms: r(at(0.5)), p99Ms: r(at(0.99)), maxMs: r(sorted[sorted.length - 1]!) };
}
