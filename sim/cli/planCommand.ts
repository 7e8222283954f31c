import { parsePath, setPath } from '../report/params.ts';
import { reportOf, reportRunOf, scenariosOf, tasksOf, TOOL, type JobSpec } from '../report/jobs.ts';
import { REPORT_VERSION, type Report } from '../report/schema.ts';
import type { Interval, RunResult } from '../run/simulate.ts';
import { predict } from '../run/theoryMatch.ts';
import { mmc } from '../theory/mmc.ts';
import { sojournQuantile, waitQuantile } from '../theory/waitingTime.ts';
import { parseCommandArgs, numberFlag } from './args.ts';
import { duration, interval, num, stateLabel, table } from './format.ts';
import { checkOutputs, emitReport, executeTasks, loadOrUsage, runSettings, SIM_FLAGS, slug, BUDGET_HELP } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab plan <scenario.json> --target "p99 wait < 200ms" [--vary consumers] [--max N]
          [--seed N] [--replications R] [--out file] [--json] [--workers N]

Finds the smallest value of a whole-number parameter that meets a target, confirmed by simulation:
a value passes only when the whole 95 % interval meets the target. Where the scenario is an M/M/c
queue and the parameter is its consumer count, Erlang C brackets the search first.

  --target   "<stat> <metric> < <value>", stat: mean p50 p90 p99 p999 max; metric: wait or sojourn
             (value in ms or s), or queueLength, or utilization (a fraction); < or <=
  --vary     consumers (= consumers[0].count, the default) or any field path
  --max N    give up above this value (default 1,000)
`;

type Stat = 'mean' | 'p50' | 'p90' | 'p99' | 'p999' | 'max';
interface Target {
  text: string;
  stat: Stat;
  metric: 'wait' | 'sojourn' | 'queueLength' | 'utilization';
  strict: boolean;
  value: number;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('plan', argv, { ...SIM_FLAGS, target: { type: 'string' }, vary: { type: 'string' }, max: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP + BUDGET_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`qlab plan: give exactly one scenario file (got ${positionals.length})`);
  if (values.target === undefined) throw new UsageError('qlab plan: --target is required, e.g. --target "p99 wait < 200ms"');
  const target = parseTarget(values.target);
  const vary = values.vary === undefined || values.vary === 'consumers' ? 'consumers[0].count' : values.vary;
  try {
    parsePath(vary);
  } catch (error) {
    throw new UsageError(`--vary: ${(error as Error).message}`);
  }
  const max = numberFlag('max', values.max, { integer: true, min: 1 }) ?? 1000;
  const { scenario, raw } = loadOrUsage(positionals[0]!);
  checkOutputs(values.out ?? `reports/${slug(scenario.name)}-plan.json`);
  const settings = runSettings(values, scenario);

  const evaluated = new Map<number, { result: RunResult; meets: boolean; raw: unknown }>();
  const evaluate = async (v: number) => {
    const known = evaluated.get(v);
    if (known !== undefined) return known.meets;
    const pointRaw = setPath(raw, vary, v);
    const spec: JobSpec = { kind: 'run', title: scenario.name, description: '', seed: settings.seed, replications: settings.replications, points: [{ label: `${vary}=${v}`, raw: pointRaw }] };
    let scenarios;
    try {
      scenarios = scenariosOf(spec);
    } catch (error) {
      throw new UsageError(`--vary ${vary}=${v}: ${(error as Error).message}`);
    }
    const results = await executeTasks(tasksOf(spec, scenarios), settings.workers, `plan ${vary}=${v}`, settings.budget);
    const result = reportOf(spec, scenarios, results).results[0]!;
    const meets = result.steadyState.status !== 'unstable' && satisfies(metricOf(result, target), target);
    evaluated.set(v, { result, meets, raw: pointRaw });
    process.stderr.write(`plan: ${vary}=${v} ${meets ? 'meets' : 'misses'} the target (${describe(metricOf(result, target), target)})\n`);
    return meets;
  };

  const bracket = theoryBracket(scenario, vary, target);
  let answer: number | null = null;
  let reason: string;
  let lo = Math.max(1, bracket?.from ?? 1);
  if (await evaluate(lo)) {
    // Walk down while it still holds.
    while (lo > 1 && (await evaluate(lo - 1))) lo--;
    answer = lo;
    reason = `the smallest value whose 95 % interval meets the target`;
  } else {
    // Grow (doubling) until it holds, then bisect between the last miss and the first hit.
    let hi = Math.max(lo + 1, bracket?.to ?? lo + 1);
    while (hi <= max && !(await evaluate(hi))) {
      lo = hi;
      hi = Math.min(max + 1, hi * 2);
    }
    if (hi > max) {
      reason = `not met at any value up to ${max}`;
    } else {
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (await evaluate(mid)) hi = mid;
        else lo = mid;
      }
      answer = hi;
      reason = `the smallest value whose 95 % interval meets the target (${lo} does not)`;
    }
  }

  const points = [...evaluated.entries()].sort((a, b) => a[0] - b[0]);
  const spec: JobSpec = {
    kind: 'run',
    title: `${scenario.name} plan`,
    description: `${target.text}, varying ${vary}`,
    seed: settings.seed,
    replications: settings.replications,
    points: points.map(([v, p]) => ({ label: `${vary}=${v}`, raw: p.raw, params: { [vary]: v } })),
  };
  const report: Report = {
    ...reportOfPoints(spec, points.map(([, p]) => p.result)),
    kind: 'plan',
    plan: { target: target.text, vary, answer, reason, theoryBracket: bracket },
  };
  const rows = [[vary, `${target.stat} ${target.metric}  [95 % interval]`, 'state', 'meets']];
  for (const [v, p] of points) rows.push([String(v), describe(metricOf(p.result, target), target), stateLabel(p.result), p.meets ? 'yes' : 'no']);
  const text = `${table(rows)}\n${bracket ? `theory bracket (M/M/c): ${bracket.from}–${bracket.to}\n` : ''}answer: ${answer === null ? 'none' : `${vary} = ${answer}`} — ${reason}\n`;
  emitReport(report, values.out ?? `reports/${slug(scenario.name)}-plan.json`, values.json === true, text);
  return 0;
}

function reportOfPoints(spec: JobSpec, results: RunResult[]): Report {
  return { version: REPORT_VERSION, kind: 'plan', tool: TOOL, title: spec.title, description: spec.description, runs: results.map((r, i) => reportRunOf(spec.points[i]!, r)) };
}

export function parseTarget(text: string): Target {
  const m = /^\s*(mean|p50|p90|p99|p999|max)\s+(wait|sojourn|queueLength|utilization)\s*(<=|<)\s*([\d.]+(?:e-?\d+)?)\s*(ms|s|%)?\s*$/.exec(text);
  if (m === null) throw new UsageError(`--target must look like "p99 wait < 200ms" (stat: mean p50 p90 p99 p999 max; metric: wait sojourn queueLength utilization), got '${text}'`);
  const metric = m[2] as Target['metric'];
  let value = Number(m[4]);
  const unit = m[5];
  if (metric === 'wait' || metric === 'sojourn') {
    if (unit === '%') throw new UsageError(`--target: a ${metric} needs ms or s, not %`);
    if (unit === 's') value *= 1000;
  } else if (unit === '%') value /= 100;
  else if (unit !== undefined) throw new UsageError(`--target: ${metric} takes no unit ${unit}`);
  if ((metric === 'queueLength' || metric === 'utilization') && m[1] !== 'mean' && m[1] !== 'max') throw new UsageError(`--target: ${metric} takes mean or max`);
  return { text: text.trim(), stat: m[1] as Stat, metric, strict: m[3] === '<', value };
}

function metricOf(result: RunResult, target: Target): Interval {
  const s = result.summary;
  if (target.metric === 'utilization') return s.utilization;
  if (target.metric === 'queueLength') return target.stat === 'max' ? s.queueLength.max : s.queueLength;
  const d = target.metric === 'wait' ? s.wait : s.sojourn;
  return target.stat === 'mean' ? d : d[target.stat];
}

/** Met when the upper end of the interval is under the target; a maximum (no interval by design) by its value; a declined interval never meets. */
function satisfies(i: Interval, target: Target): boolean {
  if (i.ci95 === null && i.method !== 'none' && i.declined !== undefined) return false;
  const upper = i.ci95?.[1] ?? i.mean;
  if (upper === null) return false;
  return target.strict ? upper < target.value : upper <= target.value;
}

function describe(i: Interval, target: Target): string {
  return target.metric === 'wait' || target.metric === 'sojourn' ? interval(i, duration) : interval(i, (v) => num(v));
}

/**
 * For an M/M/c scenario varied in its consumer count, the smallest c that Erlang C says meets a
 * wait target, ±1: where the simulated search starts.
 */
function theoryBracket(scenario: import('../scenario/schema.ts').Scenario, vary: string, target: Target): { from: number; to: number } | null {
  if (vary !== 'consumers[0].count' || (target.metric !== 'wait' && target.metric !== 'sojourn')) return null;
  const p = predict(scenario);
  if ('notApplicable' in p || (p.model !== 'mmc' && p.model !== 'mm1')) return null;
  const { lambda, mu } = p.inputs;
  for (let c = Math.max(1, Math.floor(lambda / mu)); c <= 10_000; c++) {
    const r = mmc(lambda, mu, c);
    if (!r.stable) continue;
    if (target.stat === 'max') return null;
    const q = { p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 }[target.stat as 'p50'];
    const theta = c * mu - lambda;
    const seconds =
      target.stat === 'mean'
        ? target.metric === 'wait' ? r.Wq! : r.W!
        : target.metric === 'wait' ? waitQuantile(q, r.Pwait!, theta) : sojournQuantile(q, r.Pwait!, theta, mu);
    if (seconds * 1000 < target.value) return { from: Math.max(1, c - 1), to: c + 1 };
  }
  return null;
}
