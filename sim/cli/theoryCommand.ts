import { gg1, ggc, md1, mg1, mm1, mmc, mmck, priorityNonPreemptive, priorityPreemptive, TheoryInputError, type TheoryResult } from '../theory/index.ts';
import { parseCommandArgs } from './args.ts';
import { UsageError } from './usageError.ts';

type Flag = 'lambda' | 'mu' | 'c' | 'K' | 'cs2' | 'ca2';

interface ModelSpec {
  title: string;
  required: Flag[];
  optional: Flag[];
  perClass?: boolean;
  solve(f: Record<Flag, number[] | undefined>): TheoryResult;
}

const one = (v: number[] | undefined) => v![0]!;

const MODELS: Record<string, ModelSpec> = {
  mm1: { title: 'M/M/1', required: ['lambda', 'mu'], optional: [], solve: (f) => mm1(one(f.lambda), one(f.mu)) },
  mmc: { title: 'M/M/c (Erlang C)', required: ['lambda', 'mu', 'c'], optional: [], solve: (f) => mmc(one(f.lambda), one(f.mu), one(f.c)) },
  mmck: {
    title: 'M/M/c/K (finite capacity K, arrivals beyond it refused)',
    required: ['lambda', 'mu', 'c', 'K'],
    optional: [],
    solve: (f) => mmck(one(f.lambda), one(f.mu), one(f.c), one(f.K)),
  },
  md1: { title: 'M/D/1', required: ['lambda', 'mu'], optional: [], solve: (f) => md1(one(f.lambda), one(f.mu)) },
  mg1: { title: 'M/G/1 (Pollaczek–Khinchine)', required: ['lambda', 'mu', 'cs2'], optional: [], solve: (f) => mg1(one(f.lambda), one(f.mu), one(f.cs2)) },
  gg1: {
    title: 'G/G/1',
    required: ['lambda', 'mu'],
    optional: ['ca2', 'cs2'],
    solve: (f) => gg1(one(f.lambda), one(f.mu), f.ca2 ? one(f.ca2) : 1, f.cs2 ? one(f.cs2) : 1),
  },
  ggc: {
    title: 'G/G/c',
    required: ['lambda', 'mu', 'c'],
    optional: ['ca2', 'cs2'],
    solve: (f) => ggc(one(f.lambda), one(f.mu), one(f.c), f.ca2 ? one(f.ca2) : 1, f.cs2 ? one(f.cs2) : 1),
  },
  'priority-np': {
    title: 'M/G/1 with non-preemptive priority classes (Cobham; class 0 highest)',
    required: ['lambda', 'mu'],
    optional: ['cs2'],
    perClass: true,
    solve: (f) => priorityNonPreemptive({ lambda: f.lambda!, mu: f.mu!, ...(f.cs2 ? { cs2: f.cs2 } : {}) }),
  },
  'priority-pr': {
    title: 'M/G/1 with preemptive-resume priority classes (class 0 highest)',
    required: ['lambda', 'mu'],
    optional: ['cs2'],
    perClass: true,
    solve: (f) => priorityPreemptive({ lambda: f.lambda!, mu: f.mu!, ...(f.cs2 ? { cs2: f.cs2 } : {}) }),
  },
};

const HELP = `qlab theory <model> --lambda X --mu Y [--c N] [--K N] [--cs2 V] [--ca2 V] [--json]

Closed-form (or labelled approximate) steady-state results of a queueing model.
Rates are per second and times come back in seconds (any unit works: times are in the reciprocal
of the rate unit).

Models:
${Object.entries(MODELS)
  .map(([name, m]) => `  ${name.padEnd(12)} ${m.title}\n  ${''.padEnd(12)} flags: ${[...m.required.map((f) => `--${f}`), ...m.optional.map((f) => `[--${f}]`)].join(' ')}`)
  .join('\n')}

  --lambda   arrival rate (per class, comma separated, for the priority models)
  --mu       service rate per server (per class for the priority models)
  --c        servers (consumers), a whole number ≥ 1
  --K        system capacity including those in service, a whole number ≥ c
  --cs2      squared coefficient of variation of service time (1 = exponential)
  --ca2      squared coefficient of variation of inter-arrival time (1 = Poisson)
  --json     print exactly one JSON object:
             {model, inputs, stable, rho, L, Lq, W, Wq, P0?, Pwait?, Pblock?, throughput?,
              approximation?, classes?, percentiles?}

Examples:
  qlab theory mmc --lambda 2.4 --mu 1 --c 3
  qlab theory priority-np --lambda 0.2,0.3 --mu 1,1 --json
`;

const INTEGER_FLAGS: Flag[] = ['c', 'K'];
const NON_NEGATIVE_FLAGS: Flag[] = ['cs2', 'ca2'];

export function run(argv: string[]): number {
  const { values, positionals } = parseCommandArgs('theory', argv, {
    lambda: { type: 'string' },
    mu: { type: 'string' },
    c: { type: 'string' },
    K: { type: 'string' },
    cs2: { type: 'string' },
    ca2: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError(`qlab theory: name a model (${Object.keys(MODELS).join(', ')})`);
  if (extra.length > 0) throw new UsageError(`qlab theory: unexpected argument '${extra[0]}'`);
  const spec = MODELS[name];
  if (spec === undefined) throw new UsageError(`qlab theory: unknown model '${name}' (one of ${Object.keys(MODELS).join(', ')})`);

  const flags = {} as Record<Flag, number[] | undefined>;
  for (const flag of ['lambda', 'mu', 'c', 'K', 'cs2', 'ca2'] as Flag[]) {
    const raw = values[flag];
    const allowed = spec.required.includes(flag) || spec.optional.includes(flag);
    if (raw === undefined) {
      if (spec.required.includes(flag)) throw new UsageError(`--${flag} is required for ${name}`);
      continue;
    }
    if (!allowed) throw new UsageError(`--${flag} does not apply to ${name}`);
    flags[flag] = parseFlagValues(flag, raw, spec.perClass === true);
  }
  let result: TheoryResult;
  try {
    result = spec.solve(flags);
  } catch (error) {
    if (error instanceof TheoryInputError) throw new UsageError(`--${error.message}`);
    throw error;
  }
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : formatTable(spec.title, result));
  return 0;
}

function parseFlagValues(flag: Flag, raw: string, perClass: boolean): number[] {
  const parts = raw.split(',');
  if (!perClass && parts.length > 1) throw new UsageError(`--${flag} takes one number, got '${raw}'`);
  return parts.map((part) => {
    const n = Number(part);
    if (part.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got '${part}'`);
    if (INTEGER_FLAGS.includes(flag) && !(Number.isInteger(n) && n >= 1)) throw new UsageError(`--${flag} must be a whole number ≥ 1, got '${part}'`);
    if (NON_NEGATIVE_FLAGS.includes(flag) ? n < 0 : n <= 0) {
      throw new UsageError(`--${flag} must be ${NON_NEGATIVE_FLAGS.includes(flag) ? '≥ 0' : '> 0'}, got '${part}'`);
    }
    return n;
  });
}

function formatTable(title: string, r: TheoryResult): string {
  const lines: string[] = [];
  lines.push(`${title}${r.approximation ? `  — APPROXIMATION: ${r.approximation}` : ''}`);
  lines.push(`  inputs: ${Object.entries(r.inputs).map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(', ') : v}`).join('   ')}`);
  lines.push(row('ρ', 'utilisation per server', fmt(r.rho)));
  if (!r.stable) {
    lines.push('  UNSTABLE: ρ ≥ 1 with unbounded capacity — the queue grows without limit, there is no steady state.');
    return `${lines.join('\n')}\n`;
  }
  if (r.P0 !== undefined) lines.push(row('P0', 'probability the system is empty', fmt(r.P0)));
  if (r.Pwait !== undefined) lines.push(row('Pwait', 'probability an arrival waits', fmt(r.Pwait)));
  if (r.Pblock !== undefined) lines.push(row('Pblock', 'probability an arrival is refused', fmt(r.Pblock)));
  if (r.throughput !== undefined) lines.push(row('X', 'throughput (accepted)', `${fmt(r.throughput)} /s`));
  lines.push(row('Lq', 'mean messages waiting', fmt(r.Lq!)));
  lines.push(row('L', 'mean messages in system', fmt(r.L!)));
  lines.push(row('Wq', 'mean wait in queue', time(r.Wq!)));
  lines.push(row('W', 'mean time in system', time(r.W!)));
  if (r.percentiles) {
    for (const key of ['Wq', 'W'] as const) {
      const p = r.percentiles[key];
      lines.push(row(key, 'p50 / p90 / p99', `${time(p.p50)} / ${time(p.p90)} / ${time(p.p99)}`));
    }
  }
  if (r.classes) {
    lines.push('  per class (0 = highest priority):');
    lines.push(`    ${'class'.padEnd(6)} ${'λ /s'.padStart(10)} ${'Wq'.padStart(14)} ${'W'.padStart(14)} ${'Lq'.padStart(10)} ${'L'.padStart(10)}`);
    r.classes.forEach((c, k) => {
      lines.push(`    ${String(k).padEnd(6)} ${fmt(c.lambda).padStart(10)} ${time(c.Wq!).padStart(14)} ${time(c.W!).padStart(14)} ${fmt(c.Lq!).padStart(10)} ${fmt(c.L!).padStart(10)}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

function row(symbol: string, meaning: string, value: string): string {
  return `  ${symbol.padEnd(6)} ${meaning.padEnd(34)} ${value}`;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(4) : Number(v.toPrecision(5)).toString();
}

function time(seconds: number): string {
  return seconds < 1 ? `${fmt(seconds * 1000)} ms` : `${fmt(seconds)} s`;
}
