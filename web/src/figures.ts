import type { Report } from '../../sim/report/schema.ts';

export type Run = Report['runs'][number];
export type Interval = { mean: number | null; ci95: [number, number] | null };

/** Whether a run reached a steady state; anything else must be shown as such, never as neat numbers. */
export function steadiness(run: Run): { steady: boolean; label: string; reason: string } {
  const s = run.result.steadyState;
  if (s === undefined || s.status === 'steady') return { steady: true, label: 'steady', reason: s?.reason ?? '' };
  return { steady: false, label: s.status === 'unstable' ? 'UNSTABLE' : 'NOT YET STEADY', reason: s.reason };
}

/**
 * Offered utilisation ρ = λ / (c·μ) of a run, when it can be derived: from the theory inputs, the
 * stability check, or a one-queue scenario with Poisson or evenly spaced arrivals. Null otherwise
 * (then charts keep the raw parameter on the x-axis).
 */
export function utilisation(run: Run): number | null {
  const t = run.result.theory;
  if (t !== undefined) {
    const lambda = t.inputs.lambda;
    const mu = t.inputs.mu;
    const c = (t.inputs.c as number | undefined) ?? 1;
    if (typeof lambda === 'number' && typeof mu === 'number' && mu > 0) return lambda / (c * mu);
  }
  if (run.result.steadyState?.rho !== undefined) return run.result.steadyState.rho;
  return scenarioUtilisation(run.result.scenario);
}

function scenarioUtilisation(raw: unknown): number | null {
  const s = raw as {
    broker?: { queues?: unknown[] };
    producers?: { count?: number; arrivals?: { process?: string; ratePerSec?: number } }[];
    consumers?: { count?: number; serviceTimeMs?: { mean?: number } }[];
  };
  if (s?.broker?.queues?.length !== 1 || !s.producers || !s.consumers?.length) return null;
  let lambda = 0;
  for (const p of s.producers) {
    if ((p.arrivals?.process !== 'poisson' && p.arrivals?.process !== 'deterministic') || p.arrivals.ratePerSec === undefined) return null;
    lambda += (p.count ?? 1) * p.arrivals.ratePerSec;
  }
  let capacity = 0;
  for (const c of s.consumers) {
    const mean = c.serviceTimeMs?.mean;
    if (mean === undefined || mean <= 0) return null;
    capacity += (c.count ?? 1) * (1000 / mean);
  }
  return capacity > 0 ? lambda / capacity : null;
}

/** Little's law, L = λW, with both sides' intervals (λW's from the ends of λ's and W's). */
export function littlesLaw(run: Run): { name: string; measured: Interval; product: Interval }[] {
  const s = run.result.summary;
  const rate = s.throughput;
  const product = (w: Interval): Interval => ({
    mean: rate.mean === null || w.mean === null ? null : (rate.mean * w.mean) / 1000,
    ci95: rate.ci95 && w.ci95 ? [(Math.max(0, rate.ci95[0]) * Math.max(0, w.ci95[0])) / 1000, (rate.ci95[1] * w.ci95[1]) / 1000] : null,
  });
  return [
    { name: 'L (in system)', measured: s.inSystem, product: product(s.sojourn) },
    { name: 'Lq (waiting)', measured: s.queueLength, product: product(s.wait) },
  ];
}

/** Two intervals (or a point and an interval) that overlap: the two sides agree. */
export function agree(a: Interval, b: Interval): boolean | null {
  if (a.mean === null || b.mean === null) return null;
  const [alo, ahi] = a.ci95 ?? [a.mean, a.mean];
  const [blo, bhi] = b.ci95 ?? [b.mean, b.mean];
  return alo <= bhi && blo <= ahi;
}

/**
 * The backlog split by where messages wait: ready in the queue, in consumers' buffers (delivered,
 * not yet served), in service, and what else the broker holds (delayed retries, acks on the wire).
 * The buffers come from the simulation (`series.inConsumerBuffers`) whatever the ack mode; a report
 * without that series (older, or a mode whose clients do not record it) gets them derived from the
 * broker's unacked count, which is blind to auto-ack: `recorded` and `complete` say which.
 */
export function backlogSplit(run: Run): { ready: number[]; buffered: number[]; inService: number[]; other: number[]; recorded: boolean; complete: boolean } {
  const { queueLength, inSystem, busyConsumers } = run.result.series;
  const recordedBuffers = run.result.series.inConsumerBuffers;
  const scenario = run.result.scenario as { consumers?: { ack?: string }[] };
  const manual = (scenario?.consumers ?? []).every((c) => (c.ack ?? 'manual') === 'manual');
  if (recordedBuffers !== undefined) {
    // With manual ack the broker counts buffered and in-service messages as unacked; with auto-ack it has forgotten them.
    const other = inSystem.map((v, i) => Math.max(0, v - queueLength[i]! - (manual ? recordedBuffers[i]! + busyConsumers[i]! : 0)));
    return { ready: queueLength, buffered: recordedBuffers, inService: busyConsumers, other, recorded: true, complete: true };
  }
  const inService = busyConsumers.map((b, i) => Math.min(b, Math.max(0, inSystem[i]! - queueLength[i]!)));
  return {
    ready: queueLength,
    inService,
    buffered: inSystem.map((v, i) => Math.max(0, v - queueLength[i]! - inService[i]!)),
    other: queueLength.map(() => 0),
    recorded: false,
    complete: manual,
  };
}

/** The report's key figures for the index page. */
export function keyFigures(report: Report): string[] {
  const first = report.runs[0]!;
  const s = first.result.summary;
  const fmt = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? '—' : `${Number(v.toPrecision(3)).toLocaleString('en-US')}${unit}`);
  const unstable = report.runs.filter((r) => !steadiness(r).steady).length;
  const flag = unstable > 0 ? [`${unstable} of ${report.runs.length} UNSTABLE`] : [];
  switch (report.kind) {
    case 'run':
      return [
        ...flag,
        `throughput ${fmt(s.throughput.mean, '/s')}`,
        `wait ${fmt(s.wait.mean, ' ms')}, p99 ${fmt(s.wait.p99.mean, ' ms')}`,
        first.result.theory ? `theory ${first.result.theory.model}: ${first.result.theory.family?.verdict ?? first.result.theory.verdict.Wq}` : 'no theory',
      ];
    case 'plan':
      return [...flag, `target ${report.plan?.target ?? '?'}`, `answer ${report.plan?.vary ?? ''} = ${report.plan?.answer ?? 'none'}`, `${report.runs.length} points`];
    case 'sweep':
      return [...flag, `${report.runs.length} points over ${report.sweep?.params.map((p) => p.path).join(', ') ?? '?'}`];
    case 'compare':
      return [
        ...flag,
        `${report.runs.length} settings`,
        `lost (confirmed) ${report.runs.map((r) => r.result.accounting.lost).join(' / ')}`,
      ];
  }
}
