import { DistributionError, type Distribution } from './distribution.ts';

/**
 * Replays recorded values in order (inter-arrival gaps or service times from production logs), and
 * starts over at the end, so a run longer than the trace repeats it. It draws nothing from the
 * random stream. It keeps a position, so give each component its own instance. Mean and scv are the
 * trace's own, which is what a long replay averages to.
 */
export function trace(values: readonly number[]): Distribution {
  if (values.length === 0) throw new DistributionError('trace: values must not be empty');
  let sum = 0;
  values.forEach((v, i) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new DistributionError(`trace: values[${i}] must be a finite number ≥ 0, got ${v}`);
    sum += v;
  });
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  const variance = squares / values.length;
  const recorded = Float64Array.from(values);
  let position = 0;
  return {
    kind: 'trace',
    mean,
    scv: mean === 0 ? 0 : variance / (mean * mean),
    sample: () => {
      const value = recorded[position]!;
      position = position + 1 === recorded.length ? 0 : position + 1;
      return value;
    },
  };
}
