import type { ParamValue } from '../report/params.ts';
import type { PlanSection } from '../report/planSchema.ts';
import { table } from '../cli/format.ts';
import type { CrashWindow } from './faultWindows.ts';
import type { Outages } from './outageModel.ts';
import { missed, type PlanPoint } from './points.ts';
import type { Load } from './screen.ts';
import { countOf, formatTargetValue, type Target } from './targets.ts';

export interface PlanOutcome {
  kind: 'search' | 'grid';
  vary: string[];
  values?: ParamValue[][];
  answer: Record<string, ParamValue> | null;
  /** The setting just below the answer (search only). */
  below: Record<string, ParamValue> | null;
  /** The offered load theory saw, or why it could not. */
  load: Load | string | null;
  theory: { from: number; to: number; predicted: boolean; unreachable?: boolean; outages?: Outages } | null;
  max: number;
  crashes: CrashWindow[];
  wallSec: number;
}

const key = (p: Record<string, ParamValue>) => JSON.stringify(p);
const n = (v: number) => Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });

export function formatPlan(outcome: PlanOutcome, targets: Target[], points: PlanPoint[]): string {
  const byKey = new Map(points.map((p) => [key(p.params), p]));
  const lines: string[] = [`plan: ${outcome.kind === 'search' ? 'the fewest' : 'a grid of'} ${outcome.vary.join(' × ')} meeting ${targets.map((t) => `"${t.text}"`).join(' and ')}`];
  lines.push(...theoryLines(outcome));
  const sorted = [...points].sort((a, b) => compareParams(a.params, b.params, outcome.vary));
  const rows = [[...outcome.vary, 'state', ...targets.map((t) => t.text), 'meets']];
  for (const p of sorted) {
    rows.push([...outcome.vary.map((v) => String(p.params[v])), p.screened !== undefined ? 'ρ ≥ 1: not simulated' : p.stoppedEarly !== undefined ? '1 rep: clear miss' : p.result!.steadyState.status, ...p.judged.map((j, i) => (p.screened !== undefined ? '' : formatTargetValue(j, targets[i]!))), p.meets ? 'yes' : 'no']);
  }
  lines.push(table(rows));
  if (outcome.kind === 'grid' && outcome.vary.length === 2) lines.push(...regionLines(outcome, byKey));
  lines.push(...answerLines(outcome, targets, byKey));
  const simulated = points.filter((p) => p.result !== undefined);
  const messages = simulated.reduce((s, p) => s + p.result!.counters.simulatedMessages, 0);
  const replications = simulated.reduce((s, p) => s + p.result!.seeds.length, 0);
  const early = simulated.filter((p) => p.stoppedEarly !== undefined).length;
  lines.push(
    `effort: ${simulated.length} setting${simulated.length === 1 ? '' : 's'} simulated (${points.length - simulated.length} screened out by theory${early > 0 ? `, ${early} stopped after one replication` : ''}), ${replications} replications, ${n(messages / 1e6)} M simulated messages, ${n(outcome.wallSec)} s wall clock`,
  );
  return `${lines.join('\n')}\n`;
}

function theoryLines(outcome: PlanOutcome): string[] {
  if (outcome.kind !== 'search') return [];
  if (typeof outcome.load === 'string' || outcome.load === null) return [`theory: no screening (${outcome.load ?? 'no load'}); every value from 1 is a candidate`];
  const l = outcome.load;
  const t = outcome.theory!;
  const head = `theory: λ = ${n(l.lambdaPerSec)} msg/s, μ = ${n(l.muPerSec)} msg/s per consumer (ca² ${n(l.ca2)}, cs² ${n(l.cs2)})`;
  const screened = t.from > 1 ? `; below ${t.from} ρ ≥ 1: screened out, not simulated` : '';
  const o = t.outages;
  const model = o === undefined ? 'the G/G/c approximation (Allen–Cunneen)' : 'the G/G/c approximation with the restarts as fluid backlogs';
  const start = t.unreachable ? `; by ${model} no count meets them, so the search starts at ${t.from}` : t.predicted ? `; ${model} points to ${t.to}` : `; no target theory can predict, so the search starts at ${t.from}`;
  const lines = [head + screened + start];
  if (o !== undefined) {
    lines.push(
      `  restarts: ${n(o.count)} in the ${n(o.horizonSec)} s window, down ${n(o.downSec)} s each; ${o.heldPerSec > 0 ? `${n(o.heldPerSec)} msg/s held by confirm-window publishers come back within ${n(o.spreadSec * 1000)} ms of the restart and drain at cμ − λ` : 'no publisher holds its messages through an outage (no confirm window)'}`,
    );
  }
  return lines;
}

function regionLines(outcome: PlanOutcome, byKey: Map<string, PlanPoint>): string[] {
  const [a, b] = outcome.vary as [string, string];
  const [as, bs] = outcome.values as [ParamValue[], ParamValue[]];
  const rows = [[`${a} \\ ${b}`, ...bs.map(String)]];
  for (const va of as) {
    rows.push([String(va), ...bs.map((vb) => {
      const p = byKey.get(key({ [a]: va, [b]: vb }));
      return p === undefined ? '?' : p.screened !== undefined ? 'ρ≥1' : p.meets ? 'ok' : '—';
    })]);
  }
  return ['feasible region (ok = meets every target):', table(rows)];
}

function answerLines(outcome: PlanOutcome, targets: Target[], byKey: Map<string, PlanPoint>): string[] {
  const lines: string[] = [];
  if (outcome.answer === null) {
    const binding = new Set<string>();
    for (const p of byKey.values()) for (const t of missed(p, targets)) binding.add(t);
    const range = outcome.kind === 'search' ? `up to ${outcome.max}` : 'on the grid';
    lines.push(`answer: none — no value ${range} meets every target; missed: ${[...binding].join('; ')}`);
    return lines;
  }
  const at = byKey.get(key(outcome.answer))!;
  lines.push(`answer: ${Object.entries(outcome.answer).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  for (const [i, t] of targets.entries()) lines.push(`  ${t.text}: ${formatTargetValue(at.judged[i]!, t)}`);
  if (outcome.below !== null) {
    const below = byKey.get(key(outcome.below));
    const which = Object.values(outcome.below).join(', ');
    if (below?.screened !== undefined) lines.push(`at ${which}: ${below.screened}`);
    else if (below?.stoppedEarly !== undefined) lines.push(`at ${which} (one fewer): stopped after one replication — ${below.stoppedEarly}`);
    else if (below !== undefined) {
      lines.push(`at ${which} (one fewer): fails ${missed(below, targets).join('; ') || 'nothing (?)'} — the binding target${missed(below, targets).length === 1 ? '' : 's'}`);
      for (const [i, t] of targets.entries()) lines.push(`  ${t.text}: ${formatTargetValue(below.judged[i]!, t)}`);
    }
  }
  const r = at.result!;
  const a = r.accounting;
  const failed = countOf(r, 'failed');
  lines.push(`at the answer, over all replications: lost ${n(a.lost)} confirmed + ${n(a.lostUnconfirmed)} unconfirmed · refused ${n(a.refused)} · unavailable ${n(a.unavailable)} of ${n(a.attempted)} attempts${failed > 0 ? ` · publishers gave up on ${n(failed)}` : ''}`);
  for (const c of outcome.crashes) {
    lines.push(`  crash at ${n(c.atMs / 1000)} s, down ${n(c.downMs / 1000)} s: backlog peak ${n(c.backlogPeak)} msgs, ${c.drainMs === null ? 'not drained before the run ended' : `drained ${n(c.drainMs / 1000)} s after the restart`} (first replication)`);
  }
  return lines;
}

function compareParams(a: Record<string, ParamValue>, b: Record<string, ParamValue>, vary: string[]): number {
  for (const v of vary) {
    const x = a[v]!;
    const y = b[v]!;
    if (x !== y) return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  }
  return 0;
}

export function planSection(outcome: PlanOutcome, targets: Target[], points: PlanPoint[]): PlanSection {
  const byKey = new Map(points.map((p) => [key(p.params), p]));
  const values = (p: PlanPoint | undefined) => (p === undefined ? [] : targets.map((t, i) => ({ target: t.text, ...p.judged[i]! })));
  const at = outcome.answer === null ? undefined : byKey.get(key(outcome.answer));
  const below = outcome.below === null ? undefined : byKey.get(key(outcome.below));
  const simulated = points.filter((p) => p.result !== undefined);
  const answerValue = outcome.answer === null ? null : Object.values(outcome.answer)[0];
  return {
    target: targets.map((t) => t.text).join(' and '),
    vary: outcome.vary.join(' × '),
    answer: typeof answerValue === 'number' ? answerValue : null,
    reason: outcome.answer === null ? 'no value in range meets every target' : outcome.kind === 'search' ? 'the fewest that meets every target (whole 95 % intervals)' : 'the first grid setting that meets every target',
    theoryBracket: outcome.theory === null ? null : { from: outcome.theory.from, to: outcome.theory.to },
    targets: targets.map((t) => t.text),
    answerPoint: outcome.answer,
    atAnswer: values(at),
    belowAnswer: below === undefined ? null : { value: Number(Object.values(outcome.below!)[0]), ...(below.screened ? { screened: below.screened } : {}), targets: values(below) },
    binding: below === undefined ? [] : missed(below, targets),
    screened: points.filter((p) => p.screened !== undefined).map((p) => ({ point: p.params, reason: p.screened! })),
    crashes: outcome.crashes,
    effort: {
      settingsSimulated: simulated.length,
      replications: simulated.reduce((s, p) => s + p.result!.seeds.length, 0),
      simulatedMessages: simulated.reduce((s, p) => s + p.result!.counters.simulatedMessages, 0),
      wallSec: Number(outcome.wallSec.toFixed(2)),
    },
  };
}
