import { calibrateRabbit as measure } from '../calibrate/rabbitCalibration.ts';
import { writeJsonAtomic, checkWritable } from '../report/write.ts';
import { numberFlag } from './args.ts';
import { writeOrUsage } from './shared.ts';
import { UsageError } from './usageError.ts';

/** `qlab calibrate rabbitmq --amqp-url U [--samples N] [--out F] [--json]`. */
export async function calibrateRabbit(values: Record<string, unknown>): Promise<number> {
  const url = values['amqp-url'];
  if (typeof url !== 'string') throw new UsageError('qlab calibrate rabbitmq: give the broker with --amqp-url amqp://guest:guest@127.0.0.1:5672');
  if (!/^amqps?:\/\/\S+$/.test(url)) throw new UsageError(`qlab calibrate rabbitmq: --amqp-url must be an amqp:// or amqps:// URL (got '${url}')`);
  if (values.dir !== undefined) throw new UsageError('qlab calibrate rabbitmq: --dir goes with calibrate disk');
  const samples = numberFlag('samples', values.samples as string | undefined, { integer: true, min: 10 }) ?? 200;
  const out = (values.out as string | undefined) ?? 'reports/rabbitmq-calibration.json';
  writeOrUsage(() => checkWritable(out));
  const calibration = await measure(url, { samples, onProgress: (line) => process.stderr.write(`${line}\n`) }).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'RabbitSetupError') throw new UsageError(`qlab calibrate rabbitmq: ${error.message}`);
    throw error;
  });
  writeOrUsage(() => writeJsonAtomic(out, calibration));
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(calibration)}\n`);
    return 0;
  }
  const row = (name: string, l: { meanMs: number | null; p50Ms: number | null; p99Ms: number | null; maxMs: number | null }) => `${name.padEnd(28)} mean ${l.meanMs} ms · p50 ${l.p50Ms} ms · p99 ${l.p99Ms} ms · max ${l.maxMs} ms`;
  const lines = [
    `RabbitMQ calibration of ${calibration.broker.product} ${calibration.broker.version} at ${calibration.broker.url} on ${calibration.machine.cpus} × ${calibration.machine.cpuModel}, load ${calibration.machine.loadAverage.join(' ')}`,
    ...calibration.loads.map((l) => row(`publish→confirm ${l.offeredPerSec === null ? '1 at a time' : `@ ${l.offeredPerSec}/s`}`, l.confirmMs) + ` (achieved ${l.achievedPerSec}/s)`),
    row('ack→next delivery (pf 1)', calibration.ackToNextDeliveryMs),
    `calibration: ${out} (its "network" is a scenario's network; or qlab gap --rabbitmq-calibration ${out})`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return 0;
}
