import type { Report } from '../../sim/report/schema.ts';
import { mmc } from '../../sim/theory/mmc.ts';
import { sojournTail } from '../../sim/theory/waitingTime.ts';

type Run = Report['runs'][number];

const NAMES: Record<string, string> = {
  mm1: 'M/M/1',
  mmc: 'M/M/c',
  md1: 'M/D/1',
  mg1: 'M/G/1',
  mmck: 'M/M/c/K',
  gg1: 'G/G/1',
  ggc: 'G/G/c',
  'priority-np': 'the priority queue',
  'priority-pr': 'the preemptive priority queue',
};

/**
 * What theory says about a run's wait and sojourn distributions beyond their means. sim/theory has
 * a distribution only for M/M/1 and M/M/c (Erlang C: exact CDFs, hence exact percentiles); for its
 * other models (M/D/1 and M/G/1 by Pollaczek–Khinchine, M/M/c/K, priority, Kingman, Allen–Cunneen)
 * it has means only, and the charts say so rather than draw nothing silently.
 */
export interface WaitTheory {
  /** Wait and sojourn CDFs (t in ms), or null. */
  waitCdf: ((tMs: number) => number) | null;
  sojournCdf: ((tMs: number) => number) | null;
  /** A wait percentile in ms, or null. */
  waitPercentile: (q: 'p50' | 'p90' | 'p99') => number | null;
  /** For the legend: "exact (M/M/c)"; or why there is none: "no theory percentiles for M/D/1 (means only)". */
  label: string;
  exact: boolean;
}

export function waitTheory(run: Run): WaitTheory {
  const t = run.result.theory;
  const none = (label: string): WaitTheory => ({ waitCdf: null, sojournCdf: null, waitPercentile: () => null, label, exact: false });
  // The reason a model does not apply is long and in the run's theory row; the legend says only that none does.
  if (t === undefined) {
    const model = run.result.model as { impatience?: { theory?: unknown }; jackson?: unknown } | undefined;
    if (model?.impatience?.theory !== undefined) return none('no theory percentiles for Erlang-A (means only)');
    if (model?.jackson !== undefined) return none('no theory percentiles for the Jackson network (means only)');
    return none('no theory percentiles: no model applies');
  }
  const name = NAMES[t.model] ?? t.model;
  if (t.model !== 'mm1' && t.model !== 'mmc') return none(`no theory percentiles for ${name} (means only)`);
  const lambda = t.inputs.lambda as number;
  const mu = t.inputs.mu as number;
  const c = (t.inputs.c as number | undefined) ?? 1;
  const r = mmc(lambda, mu, c);
  if (!r.stable) return none(`no theory percentiles: ${name} is unstable (ρ ≥ 1)`);
  const theta = c * mu - lambda;
  return {
    waitCdf: (ms) => 1 - r.Pwait! * Math.exp((-theta * ms) / 1000),
    sojournCdf: (ms) => 1 - sojournTail(ms / 1000, r.Pwait!, theta, mu),
    waitPercentile: (q) => (r.percentiles ? r.percentiles.Wq[q] * 1000 : null),
    label: `exact (${name})`,
    exact: true,
  };
}
