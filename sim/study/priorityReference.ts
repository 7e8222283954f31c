import { LogHistogram } from '../stats/logHistogram.ts';

/**
 * A reference for the overall p99 wait of a two-class non-preemptive priority M/M/1 queue (mean
 * service 1, exponential for both classes), for which no closed form of the wait's tail is at hand:
 * a plain event simulation of the textbook queue — two FIFO lines, the high one served first when the
 * server frees, no engine, its own random generator — over many more customers than any studied run.
 * Waits are binned at 2^−11 relative resolution (0.05 %); the standard error comes from 10 batch
 * quantiles. Deterministic: the same arguments give the same answer.
 */
export function priorityWaitQuantile(rho: number, highShare: number, q: number, customers = 20_000_000, seed = 12345): { value: number; standardError: number } {
  const random = splitMix(seed);
  const exp = (rate: number) => -Math.log(1 - random()) / rate;
  const warmup = Math.floor(customers / 100);
  const perBatch = Math.floor((customers - warmup) / 10);
  const whole = new LogHistogram(10);
  const batches = Array.from({ length: 10 }, () => new LogHistogram(10));
  const high: number[] = [];
  const low: number[] = [];
  let [highHead, lowHead] = [0, 0];
  let now = 0;
  let nextArrival = exp(rho);
  let freeAt = 0;
  let busy = false;
  let served = 0;
  const start = (arrivalMs: number, atMs: number) => {
    const wait = atMs - arrivalMs;
    if (served >= warmup) {
      whole.record(wait);
      batches[Math.min(9, Math.floor((served - warmup) / perBatch))]!.record(wait);
    }
    served++;
    busy = true;
    freeAt = atMs + exp(1);
  };
  while (served < customers) {
    if (!busy || nextArrival < freeAt) {
      now = nextArrival;
      nextArrival = now + exp(rho);
      const isHigh = random() < highShare;
      if (!busy) start(now, now);
      else (isHigh ? high : low).push(now);
    } else {
      now = freeAt;
      busy = false;
      if (highHead < high.length) start(high[highHead++]!, now);
      else if (lowHead < low.length) start(low[lowHead++]!, now);
      if (highHead > 4096 && highHead * 2 > high.length) [high.splice(0, highHead), (highHead = 0)];
      if (lowHead > 4096 && lowHead * 2 > low.length) [low.splice(0, lowHead), (lowHead = 0)];
    }
  }
  const each = batches.map((b) => b.quantile(q));
  const mean = each.reduce((a, b) => a + b, 0) / 10;
  const variance = each.reduce((a, b) => a + (b - mean) ** 2, 0) / 9;
  return { value: whole.quantile(q), standardError: Math.sqrt(variance / 10) };
}

/** SplitMix64 on BigInt is slow; this is its 32-bit cousin (Mulberry32), two draws per double. */
function splitMix(seed: number): () => number {
  let state = seed >>> 0;
  const next32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
}
