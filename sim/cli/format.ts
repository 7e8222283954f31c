import { faultWindowLines } from './formatFaultWindows.ts';
import type { Interval, RunResult } from '../run/simulate.ts';
import { faultLines } from './formatFaults.ts';

/** A number for people: 4 significant digits, thousands grouped, no exponent for everyday sizes. */
export function num(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e9 || a < 1e-4) return value.toExponential(2);
  if (a >= 10_000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Milliseconds as ms or s, whichever reads better. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return Math.abs(ms) >= 1000 ? `${num(ms / 1000)} s` : `${num(ms)} ms`;
}

export function interval(i: Interval, show: (v: number | null) => string = num): string {
  if (i.mean === null) return '—';
  if (i.ci95 === null) return i.declined !== undefined && i.method !== 'none' ? `${show(i.mean)}  [no interval]` : show(i.mean);
  return `${show(i.mean)}  [${show(i.ci95[0])} – ${show(i.ci95[1])}]`;
}

/** STEADY / UNSTABLE / NOT YET STEADY, short, for tables. */
export function stateLabel(result: RunResult): string {
  const s = result.steadyState;
  return s.status === 'unstable' ? `UNSTABLE (+${num(s.growthPerSec, 3)}/s)` : s.status === 'not-yet-steady' ? 'not yet steady' : 'steady';
}

/** The lines that say whether steady-state numbers mean anything here, how the warm-up was chosen, and which methods made the intervals. */
export function formatStatistics(result: RunResult): string[] {
  const s = result.steadyState;
  const lines: string[] = [];
  if (s.status === 'unstable') lines.push(`UNSTABLE: ${s.reason}. No steady-state interval is given; the means are what this run saw, not a steady state.`);
  else if (s.status === 'not-yet-steady') lines.push(`NOT YET STEADY: ${s.reason}; ${s.suggestion ?? 'run longer'}. No steady-state interval is given.`);
  const p = result.precision;
  if (p !== undefined) {
    const reached = Object.entries(p.reached).map(([k, v]) => `${k} ${v === null ? 'no interval' : `${num(v * 100, 3)} %`}`).join(', ');
    lines.push(`precision: target ±${num(p.target * 100, 3)} % ${p.met ? 'met' : 'NOT met'} with ${p.replications} replications (${reached})${p.stopped ? `; stopped: ${p.stopped}` : ''}`);
  }
  const w = result.warmupMs;
  const rules = [...new Set(result.warmupRules)].join(', ');
  lines.push(`warm-up: ${Math.min(...w) === Math.max(...w) ? duration(w[0]) : `${duration(Math.min(...w))}–${duration(Math.max(...w))}`} deleted (${rules})`);
  const m = result.summary;
  const methods = [...new Set([m.wait.method, m.wait.p99.method].filter((x) => x !== undefined))].join('; quantiles: ');
  if (methods) lines.push(`intervals: ${methods}${result.batchLag1 !== undefined ? ` (lag-1 of wait batch means ${num(result.batchLag1, 2)})` : ''}; lower ends clipped at 0`);
  const declined = [m.wait, m.wait.p99, m.queueLength].find((i) => i.ci95 === null && i.declined !== undefined && i.method !== 'none');
  if (declined !== undefined && s.status === 'steady') lines.push(`no interval: ${declined.declined}`);
  const f = result.theory?.family;
  if (f !== undefined) {
    const rejected = f.tests.filter((t) => t.rejected).map((t) => t.metric);
    const text =
      f.verdict === 'consistent'
        ? `consistent with theory at family-wise level ${f.level * 100} % (Holm over ${f.tests.map((t) => t.metric).join(', ')})`
        : f.verdict === 'inconsistent'
          ? `INCONSISTENT with theory at family-wise level ${f.level * 100} % (Holm rejects ${rejected.join(', ')})`
          : f.verdict === 'approximate'
            ? `theory is an approximation: verdicts are within/beyond a ${num((result.theory?.tolerance ?? 0) * 100, 3)} % tolerance, no exact test`
            : 'no theory test: no interval to test';
    lines.push(`verdict: ${text}`);
  }
  return lines;
}

/** Columns padded to their widest cell: numbers right-aligned (so digits line up), text left-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const numeric = (cell: string) => /^[-+−]?[\d.,]+( |$|%)|^—$/.test(cell);
  return rows.map((r) => r.map((cell, c) => (c > 0 && numeric(cell) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('   ').trimEnd()).join('\n');
}

/** The readable summary of one run: metrics with intervals, theory and verdict, accounting. */
export function formatRun(result: RunResult, title: string): string {
  const s = result.summary;
  const t = result.theory;
  const v = t?.verdict;
  const rows: string[][] = [
    ['', 'mean  [95 % interval]', 'theory', 'verdict'],
    ['throughput /s', interval(s.throughput), '', ''],
    ['wait Wq', interval(s.wait, duration), t ? duration(t.values.Wq) : '', v?.Wq ?? ''],
    ['  p50 / p99 / p99.9', `${duration(s.wait.p50.mean)} / ${duration(s.wait.p99.mean)} / ${duration(s.wait.p999.mean)}`, '', ''],
    ['  p99', interval(s.wait.p99, duration), '', ''],
    ['sojourn W', interval(s.sojourn, duration), t ? duration(t.values.W) : '', v?.W ?? ''],
    ['  p50 / p99 / p99.9', `${duration(s.sojourn.p50.mean)} / ${duration(s.sojourn.p99.mean)} / ${duration(s.sojourn.p999.mean)}`, '', ''],
    ['queue length Lq', interval(s.queueLength), t ? num(t.values.Lq) : '', v?.Lq ?? ''],
    ['in system L', interval(s.inSystem), t ? num(t.values.L) : '', v?.L ?? ''],
    ['utilization', interval(s.utilization, (x) => (x === null ? '—' : `${num(x * 100, 3)} %`)), '', ''],
  ];
  if (t?.values.Pblock !== undefined) rows.push(['blocking', interval(s.blocking), num(t.values.Pblock), v?.Pblock ?? '']);
  for (const k of s.classes ?? []) {
    const theoryClass = t?.values.classes?.find((c) => c.priority === k.priority);
    const verdictClass = v?.classes?.find((c) => c.priority === k.priority);
    rows.push([`  priority ${k.priority} wait`, interval(k.wait, duration), theoryClass ? duration(theoryClass.Wq) : '', verdictClass?.Wq ?? '']);
  }
  const a = result.accounting;
  const lines = [
    title,
    `${result.seeds.length} replication${result.seeds.length === 1 ? '' : 's'} (seeds ${result.seeds[0]}–${result.seeds[result.seeds.length - 1]}), intervals from ${result.intervals}` +
      (t ? `; theory: ${t.model}${t.approximation ? ` (${t.approximation})` : ''}` : result.theoryNotApplicable ? `; no theory: ${result.theoryNotApplicable}` : ''),
    ...formatStatistics(result).slice(0, result.steadyState.status === 'steady' ? 0 : 1),
    table(rows),
    ...formatStatistics(result).slice(result.steadyState.status === 'steady' ? 0 : 1),
    `accounting: published ${num(a.published)} · confirmed ${num(a.confirmed)} · acked ${num(a.acked)} · dead-lettered ${num(a.deadLettered)} · lost ${num(a.lost)} (+${num(a.lostUnconfirmed)} unconfirmed) · duplicated ${num(a.duplicated)} · unavailable ${num(a.unavailable)}` +
      extraAccounting(a),
  ];
  if (s.recovery.crashes > 0) {
    const r = s.recovery.recoveryMs;
    lines.push(`crashes: ${s.recovery.crashes}, recovery ${duration(r.reduce((x, y) => x + y, 0) / Math.max(1, r.length))} mean, ${duration(Math.max(0, ...r))} max`);
  }
  lines.push(...faultWindowLines(result));
  if (result.safety.confirmedMustSurvive) lines.push(`safety: fsync always + confirms + manual ack — confirmed messages lost: ${a.lost}`);
  lines.push(...faultLines(result));
  return `${lines.join('\n')}\n`;
}

/** The accounting terms that are usually zero, shown only when they are not. */
function extraAccounting(a: RunResult['accounting']): string {
  const terms: [string, number | undefined][] = [
    ['unavailable at end', a.unavailableAtEnd],
    ['stranded', a.stranded],
    ['unroutable', a.unroutable],
    ['returned', a.returned],
    ['lost in consumer (auto ack)', a.lostInConsumer],
  ];
  return terms
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([label, n]) => ` · ${label} ${num(n!)}`)
    .join('');
}
