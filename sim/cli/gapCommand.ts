import { statSync } from 'node:fs';
import { defaultWorkers } from '../parallel/pool.ts';
import { numberFlag, parseCommandArgs } from './args.ts';
import { checkOutputs, emitReport, executeJob, loadOrUsage, slug } from './shared.ts';
import { UsageError } from './usageError.ts';
import { loadDiskCalibration, type CalibratedDisk } from '../calibrate/loadCalibration.ts';
import { loadRabbitCalibration, type CalibratedNetwork } from '../calibrate/rabbitCalibrationFile.ts';
import { runGap } from '../gap/gapRun.ts';
import { formatGap } from '../gap/formatGap.ts';
import { formatRealInfo } from '../real/formatReal.ts';
import { realModeRefusal, wallTimeRefusal } from '../real/realGuard.ts';
import { realProgress } from '../real/realProgress.ts';
import { rabbitRefusals } from '../rabbitmqMode/rabbitTopology.ts';

const HELP = `qlab gap <scenario.json> [--disk-calibration file] [--seed N] [--real-replications R]
                         [--sim-replications S] [--workers N] [--dir D] [--allow-long] [--out file] [--json]
                         [--amqp-url amqp://127.0.0.1:5672 [--rabbitmq-calibration file]]

Runs the scenario for real (the engine in wall time on real files, as qlab run --mode real), then
simulates it fed with what the real run realised — each queue's service times (sampled time plus
timer overshoot) as an empirical distribution — and, with --disk-calibration, the measured disk
(qlab calibrate disk). Prints per metric the simulated and real values with their 95 % intervals,
the relative gap (simulated − real) / real, the real run's own relative half-width, and a verdict
against the 10 % target, judged only where the real run's half-width is at most 5 %. The report
(default reports/<name>.gap.json) holds both runs and the table.
  --real-replications R   real runs one after another (default 1: batch-means intervals)
  --sim-replications S    simulated replications (default 10)
  --amqp-url URL          also run the workload on this RabbitMQ (as qlab run --mode rabbitmq) and
                          set the same simulation against it: a second table
  --rabbitmq-calibration F  with --amqp-url: set RabbitMQ against a second simulation whose
                          network is F's (qlab calibrate rabbitmq): the broker's measured overheads
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('gap', argv, {
    'disk-calibration': { type: 'string' },
    seed: { type: 'string' },
    'real-replications': { type: 'string' },
    'sim-replications': { type: 'string' },
    workers: { type: 'string' },
    dir: { type: 'string' },
    'allow-long': { type: 'boolean' },
    'amqp-url': { type: 'string' },
    'rabbitmq-calibration': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`qlab gap: give exactly one scenario file (got ${positionals.length})`);
  const { scenario, raw } = loadOrUsage(positionals[0]!);
  const amqpUrl = values['amqp-url'];
  if (amqpUrl !== undefined && !/^amqps?:\/\/\S+$/.test(amqpUrl)) throw new UsageError(`qlab gap: --amqp-url must be an amqp:// or amqps:// URL (got '${amqpUrl}')`);
  const rabbitRefused = amqpUrl === undefined ? [] : rabbitRefusals(scenario);
  if (rabbitRefused.length > 0) throw new UsageError(`qlab gap: '${scenario.name}' uses what RabbitMQ mode cannot run:\n  ${rabbitRefused.join('\n  ')}`);
  const refusal = realModeRefusal(scenario) ?? wallTimeRefusal(scenario, values['allow-long'] === true);
  if (refusal !== undefined) throw new UsageError(`qlab gap: ${refusal}`);
  const disk = diskOf(values['disk-calibration']);
  const rabbitNetwork = rabbitNetworkOf(values['rabbitmq-calibration'], amqpUrl);
  if (values.dir !== undefined && !isDirectory(values.dir)) throw new UsageError(`qlab gap: --dir ${values.dir}: not an existing directory`);
  const out = values.out ?? `reports/${slug(scenario.name)}.gap.json`;
  checkOutputs(out);
  const seed = numberFlag('seed', values.seed, { integer: true, min: 0 }) ?? scenario.seed;
  const realReplications = numberFlag('real-replications', values['real-replications'], { integer: true, min: 1 }) ?? 1;
  const simReplications = numberFlag('sim-replications', values['sim-replications'], { integer: true, min: 2 }) ?? 10;
  const workers = numberFlag('workers', values.workers, { integer: true, min: 1 }) ?? defaultWorkers();
  const { report, gap, real, rabbit } = await runGap(scenario, raw, {
    seed,
    ...(amqpUrl !== undefined ? { amqpUrl } : {}),
    ...(rabbitNetwork !== undefined ? { rabbitNetwork } : {}),
    realReplications,
    simReplications,
    disk,
    ...(values.dir !== undefined ? { dir: values.dir } : {}),
    onRealProgress: realProgress(scenario.name, realReplications),
    simulate: async (fedRaw, label, replications) => {
      const outcome = await executeJob({ kind: 'run', title: label, description: scenario.description, seed, replications, points: [{ label, raw: fedRaw }] }, { workers, label });
      if (outcome === undefined) throw new Error('a gap simulation is never sharded');
      return outcome;
    },
  }).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'RabbitSetupError') throw new UsageError(`qlab gap: ${error.message}`);
    throw error;
  });
  emitReport(report, out, values.json === true, `${scenario.name}: simulation against reality\n${formatGap(gap)}${formatRealInfo(real.info)}${rabbit ? formatRealInfo(rabbit.info) : ''}`);
  return 0;
}

function diskOf(file: string | undefined): CalibratedDisk | undefined {
  if (file === undefined) return undefined;
  try {
    return loadDiskCalibration(file);
  } catch (error) {
    throw new UsageError(`qlab gap: --disk-calibration ${(error as Error).message}`);
  }
}

function rabbitNetworkOf(file: string | undefined, amqpUrl: string | undefined): CalibratedNetwork | undefined {
  if (file === undefined) return undefined;
  if (amqpUrl === undefined) throw new UsageError('qlab gap: --rabbitmq-calibration goes with --amqp-url (it feeds the simulation set against RabbitMQ)');
  try {
    return loadRabbitCalibration(file);
  } catch (error) {
    throw new UsageError(`qlab gap: --rabbitmq-calibration ${(error as Error).message}`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
