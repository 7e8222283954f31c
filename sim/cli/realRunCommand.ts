import { accessSync, constants, statSync } from 'node:fs';
import { numberFlag, parseCommandArgs } from './args.ts';
import { formatRun } from './format.ts';
import { checkOutputs, emitReport, loadOrUsage, slug } from './shared.ts';
import { UsageError } from './usageError.ts';
import { executeRealRun } from '../real/realRun.ts';
import { formatRealInfo } from '../real/formatReal.ts';
import { realModeRefusal, wallTimeRefusal } from '../real/realGuard.ts';
import { realProgress } from '../real/realProgress.ts';
import { rabbitRefusals } from '../rabbitmqMode/rabbitTopology.ts';
import type { Scenario } from '../scenario/schema.ts';

export const REAL_HELP = `qlab run <scenario.json> --mode real [--seed N] [--replications R] [--dir D] [--keep-log]
                              [--allow-long] [--out file] [--json]
qlab run <scenario.json> --mode rabbitmq --amqp-url amqp://127.0.0.1:5672 [--restart-cmd "<shell command>"] [...]

Runs the scenario outside virtual time and writes the same report, marked as a real run:
  --mode real        the queuelab engine in this process, on the wall clock, its log on real
                     files (fdatasync) in a fresh directory under D (default: the OS temp dir).
                     Producers publish on their sampled schedule and their lateness is measured;
                     consumers serve by waiting their sampled service time, and timer overshoot is
                     measured. With broker-crash faults the engine runs in a child process
                     (Unix socket, length-prefixed frames) that is SIGKILLed at each crash time
                     and restarted from its log; disk faults are refused.
  --mode rabbitmq    the same workload against a RabbitMQ broker over AMQP (see --amqp-url).
  --restart-cmd C    rabbitmq mode: run shell command C at each of the scenario's broker-crash
                     times (e.g. "rabbitmqctl stop_app && rabbitmqctl start_app"; the fault's
                     down time is in $QLAB_DOWN_MS); the clients reconnect when it is back.
                     Broker-crash faults are refused in rabbitmq mode without it.
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
  'restart-cmd': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `qlab run --mode real|rabbitmq`: what runCommand hands over to when --mode is given. */
export async function runRealMode(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, REAL_FLAGS);
  if (values.help) {
    process.stdout.write(REAL_HELP);
    return 0;
  }
  if (values.mode !== 'real' && values.mode !== 'rabbitmq') throw new UsageError(`qlab run: --mode must be sim, real or rabbitmq (got '${values.mode}')`);
  const amqpUrl = amqpUrlOf(values.mode, values['amqp-url']);
  if (positionals.length !== 1) throw new UsageError(`qlab run: give exactly one scenario file (got ${positionals.length})`);
  const { scenario, raw } = loadOrUsage(positionals[0]!);
  const restartCmd = values['restart-cmd'];
  if (restartCmd !== undefined && amqpUrl === undefined) throw new UsageError('qlab run: --restart-cmd goes with --mode rabbitmq (real mode restarts its own broker child)');
  if (restartCmd !== undefined && restartCmd.trim() === '') throw new UsageError('qlab run: --restart-cmd is empty');
  const refusal = amqpUrl !== undefined ? rabbitRefusal(scenario, restartCmd) : realModeRefusal(scenario);
  if (refusal !== undefined) throw new UsageError(`qlab run: ${refusal}`);
  const tooLong = wallTimeRefusal(scenario, values['allow-long'] === true);
  if (tooLong !== undefined) throw new UsageError(`qlab run: ${tooLong}`);
  const out = values.out ?? `reports/${slug(scenario.name)}.${values.mode}.json`;
  checkOutputs(out);
  const seed = numberFlag('seed', values.seed, { integer: true, min: 0 }) ?? scenario.seed;
  const replications = numberFlag('replications', values.replications, { integer: true, min: 1 }) ?? 1;
  const outcome = await executeRealRun(scenario, raw, {
    seed,
    replications,
    ...(amqpUrl !== undefined ? { amqpUrl } : {}),
    ...(restartCmd !== undefined ? { restartCmd } : {}),
    ...(values.dir !== undefined ? { dir: checkedDir(values.dir) } : {}),
    keepLog: values['keep-log'] === true,
    onProgress: realProgress(scenario.name, replications),
  }).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'RabbitSetupError') throw new UsageError(`qlab run: ${error.message}`);
    throw error;
  });
  emitReport(outcome.report, out, values.json === true, formatRun(outcome.result, `${scenario.name} — REAL RUN`) + formatRealInfo(outcome.info));
  return 0;
}

function amqpUrlOf(mode: string, url: string | undefined): string | undefined {
  if (mode === 'real') {
    if (url !== undefined) throw new UsageError('qlab run: --amqp-url goes with --mode rabbitmq');
    return undefined;
  }
  if (url === undefined) throw new UsageError('qlab run: --mode rabbitmq needs --amqp-url (e.g. amqp://guest:guest@127.0.0.1:5672)');
  if (!/^amqps?:\/\/[^\s]+$/.test(url)) throw new UsageError(`qlab run: --amqp-url must be an amqp:// or amqps:// URL (got '${url}')`);
  return url;
}

function rabbitRefusal(scenario: Scenario, restartCmd: string | undefined): string | undefined {
  const refused = rabbitRefusals(scenario, restartCmd !== undefined ? { restartCmd } : {});
  return refused.length === 0 ? undefined : `'${scenario.name}' uses what RabbitMQ mode cannot run:\n  ${refused.join('\n  ')}`;
}

function checkedDir(dir: string): string {
  try {
    if (!statSync(dir).isDirectory()) throw new Error();
  } catch {
    throw new UsageError(`qlab run: --dir ${dir}: not an existing directory`);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`qlab run: --dir ${dir}: not writable (the broker's log goes there)`);
  }
  return dir;
}
