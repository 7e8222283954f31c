import type { Scenario } from '../scenario/schema.ts';
import { mxm1, mxmc, type BatchQueueResult } from '../theory/mxmc.ts';
import { batchSizePmf } from '../workload/batchSizePmf.ts';
import { predict } from './theoryMatch.ts';

export interface BatchPrediction {
  model: 'mxm1' | 'mxmc';
  inputs: { batchesPerSec: number; mu: number; c: number; meanBatch: number; lambda: number };
  method: string;
  /** Estimated relative truncation error of the level recursion (0 for the closed form). */
  truncationError: number;
  /** Times in ms, lengths in messages. */
  values: { Wq: number; W: number; Lq: number; L: number; Pwait: number };
}

/**
 * Batch-arrival theory, M^X/M/c, when the scenario is one once its bulk publishes are seen as
 * customers: every producer publishes Poisson batches (plain Poisson producers are batches of one;
 * several producers superpose into one compound Poisson stream with the mixed batch-size law) into
 * one queue whose consumers are c identical exponential servers with prefetch 1 and manual ack, and
 * nothing else stands in the way (predict's conditions, checked on the scenario with each batch
 * producer replaced by a Poisson producer of its batch rate). The batch size is the exact law of
 * the rounded draw the simulation publishes. c = 1: the closed form; c > 1: the level recursion.
 */
export function predictBatch(scenario: Scenario): BatchPrediction | { notApplicable: string } | undefined {
  if (!scenario.producers.some((p) => p.arrivals.process === 'batch')) return undefined;
  const why = (reason: string) => ({ notApplicable: `no M^X/M/c theory: ${reason}` });
  const streams: { batchesPerSec: number; pmf: number[] }[] = [];
  for (const p of scenario.producers) {
    const a = p.arrivals;
    if (a.process === 'poisson') streams.push({ batchesPerSec: a.ratePerSec * p.count, pmf: [0, 1] });
    else if (a.process === 'batch') {
      const pmf = batchSizePmf(a.batchSize);
      if (pmf === undefined) return why(`the batch size is ${a.batchSize.dist}, whose exact distribution is not computed here (use deterministic, exponential, uniform or empirical)`);
      streams.push({ batchesPerSec: a.batchesPerSec * p.count, pmf });
    } else return why(`producer arrivals are ${a.process}, neither Poisson batches nor Poisson`);
  }
  const poissonised: Scenario = {
    ...scenario,
    producers: scenario.producers.map((p, i) => ({ ...p, count: 1, arrivals: { process: 'poisson', ratePerSec: streams[i]!.batchesPerSec } })),
  };
  const base = predict(poissonised);
  if ('notApplicable' in base) return why(base.notApplicable);
  if (base.model !== 'mm1' && base.model !== 'mmc') return why(`the queue is ${base.model} with single arrivals, not M/M/c (service must be exponential, no length limit, no priorities)`);
  const batchesPerSec = streams.reduce((s, x) => s + x.batchesPerSec, 0);
  const pmf = mixture(streams, batchesPerSec);
  const c = base.inputs.c ?? 1;
  const mu = base.inputs.mu;
  const r: BatchQueueResult = c === 1 ? mxm1(batchesPerSec, mu, pmf) : mxmc(batchesPerSec, mu, c, pmf);
  if (!r.stable) return why(`ρ = ${r.rho.toFixed(3)} ≥ 1: no steady state`);
  return {
    model: r.model,
    inputs: { batchesPerSec, mu, c, meanBatch: r.inputs.meanBatch, lambda: r.lambda },
    method: r.method,
    truncationError: r.truncationError,
    values: { Wq: r.Wq! * 1000, W: r.W! * 1000, Lq: r.Lq!, L: r.L!, Pwait: r.Pwait! },
  };
}

function mixture(streams: { batchesPerSec: number; pmf: number[] }[], total: number): number[] {
  const out: number[] = [];
  for (const s of streams) s.pmf.forEach((p, k) => (out[k] = (out[k] ?? 0) + (p * s.batchesPerSec) / total));
  return Array.from(out, (p) => p ?? 0);
}
