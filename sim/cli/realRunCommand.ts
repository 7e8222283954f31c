import { statSync } from 'node:fs';
import { numberFlag, parseCommandArgs } from './args.ts';
import { formatRun } from './format.ts';
import { checkOutputs, emitReport, loadOrUsage, slug } from './shared.ts';
import { UsageError } from './usageError.ts';
import { executeRealRun } from '../real/realRun.ts';
import { formatRealInfo } from '../real/formatReal.ts';
import { realModeRefusal, wallTimeRefusal } from '../real/realGuard.ts';
import { realProgress } from '../real/realProgress.ts';

export const REAL_HELP = `qlab run <scenario.json> --mode real [--seed N] [--replications R] [--dir D] [--keep-log]
                              [--allow-long] [--out file] [--json]
qlab run <scenario.json> --mode rabbitmq --amqp-url amqp://127.0.0.1:5672 [...]

Runs the scenario outside virtual time and writes the same report, marked as a real run:
  --mode real        the queuelab engine in this process, on the wall clock, its log on real
                     files (fdatasync) in a fresh directory under D (default: the OS temp dir).
                     Producers publish on their sampled schedule and their lateness is measured;
                     consumers serve by waiting their sampled service time, and timer overshoot is
                     measured. Broker crash and disk faults are refused (they need a child process).
  --mode rabbitmq    the same workload against a RabbitMQ broker over AMQP (see --amqp-url).
  --replications R   real runs one after another (default 1: intervals from batch means)
  --allow-long       run even when the expected wall time exceeds 300 s
  --keep-log         leave the broker's log directory in place and print it
`;

export const REAL_FLAGS = {
  mode: { type: 'string' },
  seed: { type: 'string' },
  replications: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  dir: { type: 'string' },
  'keep-log': { type: 'boolean' },
  'allow-long': { type: 'boolean' },
  'amqp-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `qlab run --mode real|rabbitmq`: what runCommand hands over to when --mode is given. */
export async function runRealMode(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, REAL_FLAGS);
  if (values.help) {
    process.stdout.write(REAL_HELP);
    return 0;
  }
  if (values.mode === 'rabbitmq') throw new UsageError('qlab run: --mode rabbitmq is not built yet');
  if (values.mode !== 'real') throw new UsageError(`qlab run: --mode must be sim, real or rabbitmq (got '${values.mode}')`);
  if (values['amqp-url'] !== undefined) throw new UsageError('qlab run: --amqp-url goes with --mode rabbitmq');
  if (positionals.length !== 1) throw new UsageError(`qlab run: give exactly one scenario file (got ${positionals.length})`);
  const { scenario, raw } = loadOrUsage(positionals[0]!);
  const refusal = realModeRefusal(scenario) ?? wallTimeRefusal(scenario, values['allow-long'] === true);
  if (refusal !== undefined) throw new UsageError(`qlab run: ${refusal}`);
  const out = values.out ?? `reports/${slug(scenario.name)}.real.json`;
  checkOutputs(out);
  const seed = numberFlag('seed', values.seed, { integer: true, min: 0 }) ?? scenario.seed;
  const replications = numberFlag('replications', values.replications, { integer: true, min: 1 }) ?? 1;
  const outcome = await executeRealRun(scenario, raw, {
    seed,
    replications,
    ...(values.dir !== undefined ? { dir: checkedDir(values.dir) } : {}),
    keepLog: values['keep-log'] === true,
    onProgress: realProgress(scenario.name, replications),
  });
  emitReport(outcome.report, out, values.json === true, formatRun(outcome.result, `${scenario.name} — REAL RUN`) + formatRealInfo(outcome.info));
  return 0;
}

function checkedDir(dir: string): string {
  try {
    if (!statSync(dir).isDirectory()) throw new Error();
  } catch {
    throw new UsageError(`qlab run: --dir ${dir}: not an existing directory`);
  }
  return dir;
}
