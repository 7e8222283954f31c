import type { Interval, RunResult } from '../run/simulate.ts';

/**
 * Service-level targets as `qlab plan --target` and a scenario's `expect` write them: a statistic of
 * a metric, a comparison and a value WITH its unit, e.g. `p99 wait < 200ms`, `lost = 0`,
 * `refused < 0.1%`, `mean queueLength < 50 msgs`, `utilization < 85%`. Several targets are a
 * conjunction: a setting meets them only when it meets every one.
 */
export type Stat = 'mean' | 'p50' | 'p90' | 'p99' | 'p999' | 'max';
export type TargetMetric = 'wait' | 'sojourn' | 'confirm' | 'queueLength' | 'utilization' | 'lost' | 'lostConfirmed' | 'refused' | 'unavailable' | 'failed';

export interface Target {
  text: string;
  stat: Stat;
  metric: TargetMetric;
  op: '<' | '<=' | '=';
  /** In ms for durations, a fraction for shares (utilization, %-of-messages), a count otherwise. */
  value: number;
  /** How the value reads: ms, %, msgs. */
  unit: 'ms' | '%' | 'msgs';
  /** wait/sojourn only: the arrivals of steady state or of the fault windows alone (sim/run/faultWindows.ts). */
  window?: 'steady' | 'fault';
}

export class TargetError extends Error {}

const DURATIONS = new Set<TargetMetric>(['wait', 'sojourn', 'confirm']);
const COUNTS = new Set<TargetMetric>(['lost', 'lostConfirmed', 'refused', 'unavailable', 'failed']);
export const TARGET_HELP = `"<stat> <metric> <op> <value><unit>", all must hold:
               wait, sojourn, confirm (publish → confirm latency): mean p50 p90 p99 p999 max, in ms or s
                 (confirm: mean p50 p99)
               queueLength: mean or max, in msgs;  utilization: mean, in %
               lost (every accepted message that vanished; with a confirm window, what the
                 publisher could not recover), lostConfirmed (confirmed, then lost), refused,
                 unavailable (publishes while the broker was down), failed (messages a publisher
                 gave up on): a count in msgs or a share in % of messages; "= 0" needs no unit
               op: < <= (and = for counts)
               wait(steady), wait(fault), sojourn(…): only the arrivals of steady state or of the
                 fault windows (a broker outage and its drain), e.g. "p99 wait(steady) < 50ms"`;

/** Parses one target; a value without its unit is an error naming the units that metric takes. */
export function parseTarget(text: string): Target {
  const m = /^\s*(?:(mean|p50|p90|p99|p999|max)\s+)?([A-Za-z]+)(?:\(\s*([A-Za-z]+)\s*\))?\s*(<=|<|=)\s*(-?[\d.]+(?:e-?\d+)?)\s*([A-Za-z%]*)\s*$/.exec(text);
  if (m === null) throw new TargetError(`target '${text}' must look like "p99 wait < 200ms" or "lost = 0"`);
  const metric = m[2] as TargetMetric;
  const known: TargetMetric[] = ['wait', 'sojourn', 'confirm', 'queueLength', 'utilization', 'lost', 'lostConfirmed', 'refused', 'unavailable', 'failed'];
  if (!known.includes(metric)) throw new TargetError(`target '${text}': unknown metric '${m[2]}' (one of ${known.join(', ')})`);
  const stat = (m[1] ?? (COUNTS.has(metric) ? 'max' : 'mean')) as Stat;
  const op = m[4] as Target['op'];
  let value = Number(m[5]);
  if (!Number.isFinite(value) || value < 0) throw new TargetError(`target '${text}': the value must be a number ≥ 0`);
  const unitText = m[6]!;
  const window = windowOf(text, metric, m[3]);
  const fail = (units: string) => new TargetError(`target '${text}': ${metric} needs a unit: ${units}`);
  let unit: Target['unit'];
  if (DURATIONS.has(metric)) {
    if (unitText === 'ms') unit = 'ms';
    else if (unitText === 's') (unit = 'ms'), (value *= 1000);
    else throw fail('ms or s (e.g. 200ms, 1.5s)');
    const allowed = metric === 'confirm' ? ['mean', 'p50', 'p99'] : ['mean', 'p50', 'p90', 'p99', 'p999', 'max'];
    if (!allowed.includes(stat)) throw new TargetError(`target '${text}': ${metric} takes ${allowed.join(' ')}`);
  } else if (metric === 'queueLength') {
    if (unitText !== 'msgs' && unitText !== 'messages') throw fail('msgs (e.g. "max queueLength < 5000 msgs")');
    if (stat !== 'mean' && stat !== 'max') throw new TargetError(`target '${text}': queueLength takes mean or max`);
    unit = 'msgs';
  } else if (metric === 'utilization') {
    if (unitText !== '%') throw fail('% (e.g. "utilization < 85%")');
    if (stat !== 'mean') throw new TargetError(`target '${text}': utilization takes mean`);
    unit = '%';
    value /= 100;
  } else {
    if (unitText === '%') (unit = '%'), (value /= 100);
    else if (unitText === 'msgs' || unitText === 'messages' || (unitText === '' && value === 0)) unit = 'msgs';
    else throw fail('msgs or % of messages attempted (e.g. "refused < 0.1%", "lost = 0")');
    if (m[1] !== undefined && stat !== 'max') throw new TargetError(`target '${text}': ${metric} is a count over the run; write it without a statistic`);
  }
  if (op === '=' && !COUNTS.has(metric)) throw new TargetError(`target '${text}': = is for counts (lost = 0); use < or <=`);
  return { text: text.trim().replace(/\s+/g, ' '), stat, metric, op, value, unit, ...(window !== undefined ? { window } : {}) };
}

/** `wait(steady)`, `sojourn(fault)`: which arrivals a wait or sojourn target is about. */
function windowOf(text: string, metric: TargetMetric, given: string | undefined): Target['window'] {
  if (given === undefined) return undefined;
  const window = given === 'faults' ? 'fault' : given;
  if (window !== 'steady' && window !== 'fault') throw new TargetError(`target '${text}': the window is (steady) or (fault), not (${given})`);
  if (metric !== 'wait' && metric !== 'sojourn') throw new TargetError(`target '${text}': only wait and sojourn are split into (steady) and (fault)`);
  return window;
}

/** A target's measured value: an interval for steady-state statistics, a plain total for counts. */
export interface TargetValue {
  /** The point estimate (ms, fraction or count, as the target's value). */
  value: number | null;
  /** The 95 % interval when there is one. */
  ci95: [number, number] | null;
  /** Why it cannot be judged (no interval, not measured), when it cannot. */
  missing?: string;
  meets: boolean;
}

/** Judges one target on a run: a statistic meets it only when its whole 95 % interval does. */
export function judgeTarget(result: RunResult, target: Target): TargetValue {
  if (isCount(target)) {
    const value = countValue(result, target);
    return { value, ci95: null, meets: compare(value, target) };
  }
  const interval = intervalOf(result, target);
  if (interval === undefined) return { value: null, ci95: null, missing: target.window !== undefined ? `${target.metric}(${target.window}) needs broker crashes in the scenario` : `${target.metric} is not measured in this scenario`, meets: false };
  if (result.steadyState.status === 'unstable') return { value: interval.mean, ci95: null, missing: 'unstable: no steady state', meets: false };
  // A maximum has no interval by design: it is judged by its value.
  if (target.stat === 'max' && interval.mean !== null) return { value: interval.mean, ci95: interval.ci95, meets: compare(interval.ci95?.[1] ?? interval.mean, target) };
  if (interval.ci95 === null) return { value: interval.mean, ci95: null, missing: interval.declined ?? 'no interval', meets: false };
  return { value: interval.mean, ci95: interval.ci95, meets: compare(interval.ci95[1], target) };
}

export function isCount(target: Target): boolean {
  return COUNTS.has(target.metric);
}

/** A count target's value: the total over all replications, or its share of the messages attempted. */
export function countValue(result: RunResult, target: Target): number {
  const count = countOf(result, target.metric);
  const base = target.metric === 'lost' || target.metric === 'lostConfirmed' || target.metric === 'failed' ? Math.max(1, result.publishers?.messages ?? result.accounting.attempted) : Math.max(1, result.accounting.attempted);
  return target.unit === '%' ? count / base : count;
}

export function compare(measured: number, target: Target): boolean {
  return target.op === '<' ? measured < target.value : measured <= target.value;
}

export function countOf(result: RunResult, metric: TargetMetric): number {
  const a = result.accounting;
  // With a confirm window an unconfirmed message is the publisher's to retry; what it gives up on is `failed`.
  if (metric === 'lost') return result.publishers !== undefined ? a.lost : a.lost + a.lostUnconfirmed;
  if (metric === 'lostConfirmed') return a.lost;
  if (metric === 'refused') return a.refused;
  if (metric === 'unavailable') return a.unavailable;
  return result.publishers?.failed ?? 0;
}

export function intervalOf(result: RunResult, target: Target): Interval | undefined {
  const s = result.summary;
  if (target.metric === 'utilization') return s.utilization;
  if (target.metric === 'queueLength') return target.stat === 'max' ? s.queueLength.max : s.queueLength;
  if (target.metric === 'confirm') {
    const c = s.confirmLatency;
    if (c === undefined) return undefined;
    return target.stat === 'mean' ? c : c[target.stat as 'p50' | 'p99'];
  }
  const part = target.window === undefined ? undefined : result.faultWindows?.[target.window];
  if (target.window !== undefined && part === undefined) return undefined;
  const d = part !== undefined ? (target.metric === 'wait' ? part.wait : part.sojourn) : target.metric === 'wait' ? s.wait : s.sojourn;
  return target.stat === 'mean' ? d : d[target.stat];
}

/** A target's value for people, in its unit: `32.7 ms [30.5 – 36 ms]`, `0.12 %`, `0 msgs`. */
export function formatTargetValue(v: TargetValue, target: Target): string {
  if (v.value === null) return v.missing ?? '—';
  const show = (x: number) => formatIn(x, target);
  const ci = v.ci95 !== null ? `  [${show(v.ci95[0])} – ${show(v.ci95[1])}]` : v.missing !== undefined ? `  (${v.missing})` : '';
  return `${show(v.value)}${ci}`;
}

function formatIn(x: number, target: Target): string {
  const p = (n: number) => Number(n.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  if (target.unit === 'ms') return x >= 1000 ? `${p(x / 1000)} s` : `${p(x)} ms`;
  if (target.unit === '%') return `${p(x * 100)} %`;
  return `${p(x)}${COUNTS.has(target.metric) || target.metric === 'queueLength' ? ' msgs' : ''}`;
}
