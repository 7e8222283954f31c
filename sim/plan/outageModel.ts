import type { Scenario } from '../scenario/schema.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import type { Load } from './screen.ts';
import { steadyWaitTail, type WaitTail } from './steadyTail.ts';
import type { Target } from './targets.ts';

/**
 * The broker restarts a scenario schedules inside its measurement window, and what piles up while
 * the broker is down: publishers with a confirm window hold their arrivals and republish them at the
 * restart (a burst spread over about one retry backoff); publishers without one lose them (refused
 * or unavailable), so their arrivals add nothing to the queue.
 */
export interface Outages {
  /** Restarts expected inside the measurement window. */
  count: number;
  /** Mean time the broker stays down per crash. */
  downSec: number;
  /** The measurement window (duration − warm-up). */
  horizonSec: number;
  /** Arrival rate of the publishers that republish what the outage refused. */
  heldPerSec: number;
  /** How long after the restart the held messages take to come back (the retry backoff). */
  spreadSec: number;
}

export function outagesOf(scenario: Scenario): Outages | undefined {
  const warmupSec = typeof scenario.warmupSec === 'number' ? scenario.warmupSec : scenario.warmupSec === 'auto' ? 0 : scenario.durationSec / 10;
  const horizonSec = scenario.durationSec - warmupSec;
  let count = 0;
  let downTotalSec = 0;
  for (const f of scenario.faults ?? []) {
    if (f.kind !== 'broker-crash') continue;
    if (f.atSec !== undefined) {
      const inside = f.atSec.filter((t) => t >= warmupSec && t < scenario.durationSec);
      count += inside.length;
      downTotalSec += inside.length * f.mttrSec;
    } else if (f.atMs !== undefined) {
      f.atMs.forEach((t, i) => {
        if (t / 1000 >= warmupSec && t / 1000 < scenario.durationSec) (count += 1), (downTotalSec += (f.downMs?.[i] ?? 0) / 1000);
      });
    } else if (f.mtbfSec !== undefined) {
      const expected = horizonSec / (f.mtbfSec + f.mttrSec);
      count += expected;
      downTotalSec += expected * f.mttrSec;
    }
  }
  if (count === 0 || horizonSec <= 0) return undefined;
  let heldPerSec = 0;
  let spreadWeighted = 0;
  for (const p of scenario.producers) {
    if (p.confirmWindow === undefined) continue;
    const perProducer = makeArrivals(p.arrivals).ratePerSec;
    if (!Number.isFinite(perProducer)) continue;
    const rate = perProducer * p.count;
    heldPerSec += rate;
    spreadWeighted += rate * p.confirmWindow.retryBackoffMs;
  }
  return { count, downSec: downTotalSec / count, horizonSec, heldPerSec, spreadSec: heldPerSec > 0 ? spreadWeighted / heldPerSec / 1000 : 0 };
}

/** The waits of one restart's episode as a fluid: (wait, arrivals) slices, the peak backlog, and the arrivals it covers. */
export interface Episode {
  /** Each slice's arrivals find a backlog from waitsSec[i] to waitsHiSec[i] (in seconds of service), evenly spread. */
  waitsSec: number[];
  waitsHiSec: number[];
  counts: number[];
  arrivals: number;
  peakBacklog: number;
}

/**
 * One restart as a fluid queue (Newell's diffusion-free picture, as in Kleinrock vol. 2 §2.8): from
 * the restart the held backlog λ_held·D arrives over the spread s on top of λ, the c consumers serve
 * at cμ, and each arrival waits backlog/(cμ) (FIFO). It ends when the backlog is gone. It ignores the
 * random waits of steady state (added separately) and the few messages the crash caught in the queue.
 */
export function episode(load: Load, outages: Outages, c: number): Episode {
  const capacity = c * load.muPerSec;
  const held = outages.heldPerSec * outages.downSec;
  const spread = Math.max(outages.spreadSec, 1e-3);
  const endSec = spread + held / Math.max(capacity - load.lambdaPerSec, 1e-9) + 1;
  const steps = 2000;
  const dt = endSec / steps;
  const waitsSec: number[] = [];
  const waitsHiSec: number[] = [];
  const counts: number[] = [];
  let backlog = 0;
  let peakBacklog = 0;
  let arrivals = 0;
  for (let i = 0; i < steps; i++) {
    const t = i * dt;
    const inflow = load.lambdaPerSec * dt + (held * Math.max(0, Math.min(t + dt, spread) - t)) / spread;
    waitsSec.push(backlog / capacity);
    waitsHiSec.push((backlog + inflow) / capacity);
    counts.push(inflow);
    arrivals += inflow;
    backlog = Math.max(0, backlog + inflow - capacity * dt);
    peakBacklog = Math.max(peakBacklog, backlog);
    if (t > spread && backlog === 0) break;
  }
  return { waitsSec, waitsHiSec, counts, arrivals, peakBacklog };
}

/**
 * A target's value with the restarts folded in, at c consumers: the share of the window's arrivals
 * that wait longer than w is the restarts' episodes (fluid) plus the rest at the steady-state tail
 * (Allen–Cunneen); a quantile is where that share equals 1 − q. Undefined for what it cannot
 * predict (counts, confirm latency, sojourn beyond wait + one mean service).
 */
export function approximateWithOutages(load: Load, outages: Outages, c: number, target: Target): number | undefined {
  const tail = steadyWaitTail(load, c);
  if (tail === undefined) return Infinity;
  if (target.metric === 'utilization') return load.lambdaPerSec / (c * load.muPerSec);
  const ep = episode(load, outages, c);
  const total = load.lambdaPerSec * outages.horizonSec;
  const inEpisodes = Math.min(total, outages.count * ep.arrivals);
  const steadyShare = (total - inEpisodes) / total;
  if (target.metric === 'queueLength') {
    if (target.stat === 'max') return ep.peakBacklog;
    return undefined;
  }
  if (target.metric !== 'wait' && target.metric !== 'sojourn') return undefined;
  const service = target.metric === 'sojourn' ? 1 / load.muPerSec : 0;
  if (target.window !== undefined) return windowValue(target, target.window === 'steady' ? undefined : ep, tail, service);
  if (target.stat === 'max') return (Math.max(...ep.waitsHiSec) + service) * 1000;
  if (target.stat === 'mean') {
    const area = ep.waitsSec.reduce((s, w, i) => s + ((w + ep.waitsHiSec[i]!) / 2) * ep.counts[i]!, 0);
    return ((outages.count * area) / total + steadyShare * tail.meanSec + service) * 1000;
  }
  const q = QUANTILE[target.stat];
  const exceeding = (w: number) => (outages.count * episodeExceeding(ep, w)) / total + steadyShare * tail.exceeding(w);
  let lo = 0;
  let hi = Math.max(1, ...ep.waitsHiSec) * 2 + tail.quantileSec(q) * 2;
  if (exceeding(0) <= 1 - q) return service * 1000;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (exceeding(mid) > 1 - q) lo = mid;
    else hi = mid;
  }
  return (hi + service) * 1000;
}

/** The episode's arrivals that wait longer than w seconds. */
export function episodeExceeding(ep: Episode, waitSec: number): number {
  let n = 0;
  for (let i = 0; i < ep.counts.length; i++) {
    const lo = ep.waitsSec[i]!;
    const hi = ep.waitsHiSec[i]!;
    if (lo >= waitSec) n += ep.counts[i]!;
    else if (hi > waitSec) n += (ep.counts[i]! * (hi - waitSec)) / (hi - lo);
  }
  return n;
}

/** A (steady) target: the steady-state tail alone; a (fault) one: the episode's arrivals alone. */
function windowValue(target: Target, ep: Episode | undefined, tail: WaitTail, serviceSec: number): number | undefined {
  if (target.stat === 'max') return ep === undefined ? undefined : (Math.max(...ep.waitsHiSec) + serviceSec) * 1000;
  if (ep === undefined) return ((target.stat === 'mean' ? tail.meanSec : tail.quantileSec(QUANTILE[target.stat])) + serviceSec) * 1000;
  if (target.stat === 'mean') return (ep.waitsSec.reduce((s, w, i) => s + ((w + ep.waitsHiSec[i]!) / 2) * ep.counts[i]!, 0) / ep.arrivals + serviceSec) * 1000;
  const q = QUANTILE[target.stat];
  let lo = 0;
  let hi = Math.max(1e-3, ...ep.waitsHiSec);
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (episodeExceeding(ep, mid) / ep.arrivals > 1 - q) lo = mid;
    else hi = mid;
  }
  return (hi + serviceSec) * 1000;
}

const QUANTILE = { p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 } as const;
