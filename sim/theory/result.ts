/**
 * What every model returns. Rates are per unit of time and times are in the reciprocal unit: give
 * rates per second and W comes back in seconds. An unstable system has no steady state, so its
 * L, Lq, W and Wq are null (never NaN or Infinity) and `stable` is false.
 */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface ClassResult {
  /** Arrival rate of the class. */
  lambda: number;
  W: number | null;
  Wq: number | null;
  L: number | null;
  Lq: number | null;
}

export interface TheoryResult {
  model: string;
  inputs: Record<string, number | number[]>;
  stable: boolean;
  /** Offered utilisation per server, λ / (cμ). */
  rho: number;
  L: number | null;
  Lq: number | null;
  W: number | null;
  Wq: number | null;
  /** Probability the system is empty. */
  P0?: number;
  /** Probability an arrival has to wait (Erlang C). */
  Pwait?: number;
  /** Probability an arrival is refused (finite capacity). */
  Pblock?: number;
  /** Accepted arrivals per unit time. */
  throughput?: number;
  /** Set when the values are an approximation, naming it. */
  approximation?: string;
  classes?: ClassResult[];
  /** Of the waiting time Wq and the sojourn time W, where the distribution has a closed form. */
  percentiles?: { Wq: Percentiles; W: Percentiles };
}

export class TheoryInputError extends RangeError {
  override name = 'TheoryInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
  }
}

export function requirePositive(field: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new TheoryInputError(field, `must be a finite number > 0, got ${value}`);
}

export function requireNonNegative(field: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new TheoryInputError(field, `must be a finite number ≥ 0, got ${value}`);
}

export function requireServers(field: string, c: number): void {
  if (!(Number.isInteger(c) && c >= 1)) throw new TheoryInputError(field, `must be a whole number ≥ 1, got ${c}`);
}

/** The result of a system with ρ ≥ 1 and unbounded capacity: no steady state. */
export function unstable(model: string, inputs: TheoryResult['inputs'], rho: number, extra: Partial<TheoryResult> = {}): TheoryResult {
  return { model, inputs, stable: false, rho, L: null, Lq: null, W: null, Wq: null, ...extra };
}
