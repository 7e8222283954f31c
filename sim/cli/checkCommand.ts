import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gate, type GateRow } from '../check/gate.ts';
import { parseTarget } from '../plan/targets.ts';
import { TOOL } from '../report/jobs.ts';
import { Report, REPORT_VERSION } from '../report/schema.ts';
import type { RunResult } from '../run/simulate.ts';
import { parseCommandArgs } from './args.ts';
import { duration, table } from './format.ts';
import { writeJsonAtomic } from '../report/write.ts';
import { checkOutputs, executeJob, writeOrUsage, loadOrUsage, runSettings, SIM_FLAGS, BUDGET_HELP } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab check <scenario.json> [...] [--baseline report.json] [--max-change 10%] [--out report.json]
           [--seed N] [--replications R] [--workers N] [--json]

A CI gate on scenario metrics. Runs each scenario (its own seed and replications unless given) and
tests, as one family at a family-wise 5 % level (Holm):
  - with --baseline: each metric (throughput, mean and p99 wait and sojourn, mean queue length,
    utilization, mean and p99 confirm latency) against the same scenario in the baseline report;
    a change fails only when its interval (at Holm's adjusted level) lies entirely beyond
    ±--max-change (default 10 %);
  - each assertion in a scenario's "expect" list (e.g. "p99 wait < 200ms", "lost = 0"): fails only
    when the metric is surely on the wrong side; counts are exact and fail on any violation.
Prints each metric, both values and the interval of the change. Exit 0: passed; 1: a failure;
2: bad input (a baseline of another report version is refused with what to do).
  --out      write this run's report (the baseline for later checks)
  --json     print the tests as JSON ({ passed, tests }) instead of the table
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, { ...SIM_FLAGS, baseline: { type: 'string' }, 'max-change': { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP + BUDGET_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('qlab check: give at least one scenario file');
  const maxChange = parseShare(values['max-change']);
  const baseline = values.baseline === undefined ? undefined : readBaseline(values.baseline);
  const loaded = positionals.map((file) => ({ file, ...loadOrUsage(file) }));
  if (baseline === undefined && loaded.every((l) => (l.scenario.expect ?? []).length === 0)) {
    throw new UsageError('qlab check: nothing to check: give --baseline, or scenarios with an "expect" list');
  }
  checkOutputs(values.out);
  const runs: Report['runs'] = [];
  const results: { label: string; result: RunResult; expect: ReturnType<typeof parseTarget>[] }[] = [];
  for (const l of loaded) {
    const settings = runSettings(values, l.scenario);
    const label = l.scenario.name || basename(l.file);
    const spec = { kind: 'compare' as const, title: label, description: l.scenario.description, seed: settings.seed, replications: settings.replications, points: [{ label, raw: l.raw }] };
    const outcome = (await executeJob(spec, { workers: settings.workers, budget: settings.budget, label: `check ${label}` }))!;
    runs.push(...outcome.report.runs);
    results.push({ label, result: outcome.results[0]!, expect: (l.scenario.expect ?? []).map(parseTarget) });
  }
  const rows = gate(results, baseline, maxChange);
  const failed = rows.filter((r) => r.failed);
  const report: Report = {
    version: REPORT_VERSION,
    kind: 'compare',
    tool: TOOL,
    title: `check: ${results.length} scenario${results.length === 1 ? '' : 's'}`,
    description: `${failed.length === 0 ? 'passed' : `FAILED ${failed.length}`}: ${rows.filter((r) => r.p !== null).length} tests, Holm at family-wise 5 %${baseline ? `, max change ±${pct(maxChange)}` : ''}`,
    runs,
  };
  const text = `${table(formatRows(rows))}\n${failed.map(failLine).join('\n')}${failed.length ? '\n' : ''}${report.description}\n`;
  if (values.out !== undefined) writeOrUsage(() => writeJsonAtomic(values.out!, report));
  process.stdout.write(values.json === true ? `${JSON.stringify({ passed: failed.length === 0, tests: rows })}\n` : `${text}${values.out !== undefined ? `report: ${values.out}\n` : ''}`);
  return failed.length > 0 ? 1 : 0;
}

function formatRows(rows: GateRow[]): string[][] {
  const head = ['scenario', 'metric', 'baseline', 'current', 'change / interval [95 %]', 'result'];
  return [
    head,
    ...rows.map((r) => [
      r.scenario,
      r.metric,
      r.baseline === undefined ? '' : value(r.baseline, r.unit),
      r.current === null ? '—' : value(r.current, r.unit),
      r.note ?? (r.kind === 'change' && r.ci95 ? `${signed(r.current! / r.baseline! - 1)} [${signed(r.ci95[0])}, ${signed(r.ci95[1])}]` : r.ci95 ? `[${value(r.ci95[0], r.unit)}, ${value(r.ci95[1], r.unit)}]` : ''),
      r.failed ? 'FAIL' : r.p === null ? 'not tested' : 'ok',
    ]),
  ];
}

function failLine(r: GateRow): string {
  if (r.kind === 'expect') return `FAIL ${r.scenario}: expected ${r.metric}, measured ${value(r.current!, r.unit)}${r.ci95 ? ` [${value(r.ci95[0], r.unit)}, ${value(r.ci95[1], r.unit)}]` : ''}`;
  const [lo, hi] = r.adjusted!;
  return `FAIL ${r.scenario} ${r.metric}: ${value(r.baseline!, r.unit)} → ${value(r.current!, r.unit)}, change ${signed(r.current! / r.baseline! - 1)}, interval at Holm's level [${signed(lo)}, ${signed(hi)}] lies beyond the allowed change`;
}

const round = (v: number) => Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
const pct = (v: number) => `${round(v * 100)} %`;
const signed = (v: number) => `${v >= 0 ? '+' : ''}${round(v * 100)} %`;
function value(v: number, unit: GateRow['unit']): string {
  return unit === '%' ? pct(v) : unit === 'ms' ? duration(v) : unit === '/s' ? `${round(v)}/s` : round(v);
}

function parseShare(text: string | undefined): number {
  if (text === undefined) return 0.1;
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(text.trim());
  if (m === null) throw new UsageError(`--max-change must be a percentage like 10%, got '${text}'`);
  return Number(m[1]) / 100;
}

/** The baseline report: another version is refused with what to do (there is no older layout to migrate from yet). */
export function readBaseline(file: string): Report {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--baseline ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not JSON'}`);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version !== 'number') throw new UsageError(`--baseline ${file}: not a queuelab report (no version field)`);
  if (version !== REPORT_VERSION) {
    const age = version < REPORT_VERSION ? 'older' : 'newer';
    throw new UsageError(`--baseline ${file}: a version ${version} report, ${age} than the version ${REPORT_VERSION} this qlab reads, and there is no migration for it; re-make the baseline with this qlab: qlab check <scenarios…> --out ${file}`);
  }
  const parsed = Report.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--baseline ${file}: not a valid report: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
