import { statSync } from 'node:fs';
import { numberFlag, parseCommandArgs } from './args.ts';
import { writeOrUsage } from './shared.ts';
import { UsageError } from './usageError.ts';
import { writeJsonAtomic, checkWritable } from '../report/write.ts';
import { calibrateDisk } from '../calibrate/diskCalibration.ts';

const HELP = `qlab calibrate disk [--dir D] [--samples N] [--out file] [--json]
qlab calibrate rabbitmq --amqp-url amqp://127.0.0.1:5672 [--samples N] [--out file] [--json]
qlab calibrate postgres --url postgres://… | --throwaway-cluster [--out file] [--json]   (qlab calibrate postgres --help)

disk: measures this machine's disk as the engine uses it (FileStorage: O_APPEND writes, fdatasync):
append latency, fdatasync latency, read latency and sequential read throughput, and writes a
calibration file (default reports/disk-calibration.json). Its "brokerDisk" object is a scenario's
broker.disk with the measured (empirical) distributions: paste it into a scenario, or give the
file to qlab gap --disk-calibration.
  --dir D        measure the filesystem holding D (default: the OS temp dir)
  --samples N    timed append+fdatasync pairs (default 200)

rabbitmq: measures a RabbitMQ broker's per-message overheads: publish→confirm of persistent
messages on a confirm channel (one at a time, then paced at 100/s and 300/s) and the ack→next
delivery turnaround of a prefetch-1 consumer; writes reports/rabbitmq-calibration.json, whose
"network" object is a scenario's network (or give the file to qlab gap --rabbitmq-calibration).
  --samples N    timed publishes per load and timed round trips (default 200)
`;

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'postgres') return (await import('./calibratePostgresCommand.ts')).run(argv.slice(1));
  const { values, positionals } = parseCommandArgs('calibrate', argv, {
    dir: { type: 'string' },
    samples: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    'amqp-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [target, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`qlab calibrate: unexpected argument '${extra[0]}'`);
  if (target === 'rabbitmq') return (await import('./calibrateRabbitCommand.ts')).calibrateRabbit(values);
  if (target !== 'disk') throw new UsageError(`qlab calibrate: say what to calibrate: disk or rabbitmq (got ${target === undefined ? 'nothing' : `'${target}'`})`);
  const dir = values.dir;
  if (dir !== undefined && !isDirectory(dir)) throw new UsageError(`qlab calibrate: --dir ${dir}: not an existing directory`);
  const samples = numberFlag('samples', values.samples, { integer: true, min: 10 }) ?? 200;
  const out = values.out ?? 'reports/disk-calibration.json';
  writeOrUsage(() => checkWritable(out));
  const calibration = await calibrateDisk({ ...(dir !== undefined ? { dir } : {}), samples, onProgress: (line) => process.stderr.write(`${line}\n`) });
  writeOrUsage(() => writeJsonAtomic(out, calibration));
  if (values.json) process.stdout.write(`${JSON.stringify(calibration)}\n`);
  else {
    const s = calibration.summary;
    const row = (name: string, l: typeof s.appendMs) => `${name.padEnd(10)} mean ${l.meanMs} ms · p50 ${l.p50Ms} ms · p99 ${l.p99Ms} ms · max ${l.maxMs} ms`;
    process.stdout.write(
      [`disk calibration of ${calibration.disk.dir} (statfs type ${calibration.disk.fsType}) on ${calibration.machine.cpus} × ${calibration.machine.cpuModel}, load ${calibration.machine.loadAverage.join(' ')}`, row('append', s.appendMs), row('fdatasync', s.syncMs), row('read', s.readMs), `read       ${s.readMBPerSec} MB/s sequential (page cache warm)`, `calibration: ${out}`, ''].join('\n'),
    );
  }
  return 0;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
