import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DistributionSpec } from '../dist/spec.ts';

const RabbitCalibrationFile = z.object({
  kind: z.literal('qlab-rabbitmq-calibration'),
  version: z.literal(1),
  network: z.strictObject({ publishLatencyMs: DistributionSpec, deliverLatencyMs: DistributionSpec, ackLatencyMs: DistributionSpec }),
});
export type CalibratedNetwork = z.infer<typeof RabbitCalibrationFile>['network'];

/** Reads a `qlab calibrate rabbitmq` file; a missing, unreadable or foreign file is an Error naming it and the field. */
export function loadRabbitCalibration(file: string): CalibratedNetwork {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : code !== undefined ? `cannot read it (${code})` : 'not valid JSON'}`);
  }
  const parsed = RabbitCalibrationFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: not a qlab RabbitMQ calibration (${issue.path.join('.') || 'root'}: ${issue.message}); make one with qlab calibrate rabbitmq`);
  }
  return parsed.data.network;
}

/** The raw scenario with its network replaced by the calibrated RabbitMQ overheads. */
export function withCalibratedNetwork(raw: unknown, network: CalibratedNetwork): unknown {
  return { ...(raw as object), network };
}
