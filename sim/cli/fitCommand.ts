import { writeJsonAtomic } from '../report/write.ts';
import { DataFileError, readColumn } from '../fit/readColumn.ts';
import { fitData, type FitResult } from '../fit/fits.ts';
import { parseCommandArgs } from './args.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab fit <file.csv> [--column NAME|N] [--as arrivals|service] [--timestamps] [--unit ms|s]
         [--out fragment.json] [--json]

Fits inter-arrival gaps or service times from a data file and writes a scenario fragment.
Fits by moments: exponential, Erlang (when round(1/scv) ≥ 2), hyperexponential (scv > 1), lognormal, and for
bursty arrivals a two-state MMPP (the scenario's "onoff" process). Each fit gets a two-sample KS
statistic against a seeded sample from it, the sample's scv and lag-1 autocorrelation; one fit is
picked with the reason.

  --column     column name (header row) or 1-based number (default: the first column)
  --as         arrivals (default; the fragment is an "arrivals" object) or service ("serviceTimeMs")
  --timestamps the column holds arrival timestamps (must not decrease); default: gaps/durations
  --unit       ms (default) or s: the unit of the values
  --out        write the chosen fragment to this file (JSON)
  --json       print {data, fits, chosen, reason} as one JSON object

The file: comma, semicolon or tab separated; blank and '#' lines skipped; a first row that is not
numeric is a header. A bad row (not a number, negative gap, decreasing timestamp) is refused naming
its line, exit 2.
`;

export function run(argv: string[]): number {
  const { values, positionals } = parseCommandArgs('fit', argv, {
    column: { type: 'string' },
    as: { type: 'string' },
    timestamps: { type: 'boolean' },
    unit: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('qlab fit: name a data file (qlab fit --help)');
  if (extra.length > 0) throw new UsageError(`qlab fit: unexpected argument '${extra[0]}'`);
  const as = values.as ?? 'arrivals';
  if (as !== 'arrivals' && as !== 'service') throw new UsageError(`--as must be arrivals or service, got '${as}'`);
  const unit = values.unit ?? 'ms';
  if (unit !== 'ms' && unit !== 's') throw new UsageError(`--unit must be ms or s, got '${unit}'`);
  let data: number[];
  try {
    data = readColumn(file, { ...(values.column !== undefined ? { column: values.column } : {}), kind: values.timestamps ? 'timestamps' : 'gaps', scale: unit === 's' ? 1000 : 1 });
  } catch (error) {
    if (error instanceof DataFileError) throw new UsageError(error.message);
    throw error;
  }
  if (data.length < 10) throw new UsageError(`${file}: only ${data.length} value${data.length === 1 ? '' : 's'}; need at least 10 to fit`);
  let result: FitResult;
  try {
    result = fitData(data, as);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  if (values.out !== undefined) writeJsonAtomic(values.out, result.chosen.fragment);
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : format(file, result));
  return 0;
}

function format(file: string, r: FitResult): string {
  const p = (x: number) => Number(x.toPrecision(4)).toString();
  const lines = [
    `${file}: n = ${r.data.n}, mean ${p(r.data.meanMs)} ms, scv ${p(r.data.scv)}, lag-1 autocorrelation ${p(r.data.lag1)} (±${p(r.data.lag1Bound)} for independent data)`,
    '',
    `  ${'fit'.padEnd(17)}${'KS'.padStart(8)}${'scv'.padStart(9)}${'lag-1'.padStart(9)}  method`,
    ...r.fits.map((f) => `${f === r.chosen ? '* ' : '  '}${f.name.padEnd(17)}${p(f.ks).padStart(8)}${p(f.scv).padStart(9)}${p(f.lag1).padStart(9)}  ${f.method}`),
    '',
    `chosen: ${r.chosen.name} — ${r.reason}`,
    `fragment: ${JSON.stringify(r.chosen.fragment)}`,
  ];
  return `${lines.join('\n')}\n`;
}
