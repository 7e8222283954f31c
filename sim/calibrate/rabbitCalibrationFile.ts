import { z } from 'zod';
import { DistributionSpec } from '../dist/spec.ts';
import { readCalibrationFile } from './calibrationFile.ts';

const RabbitCalibrationFile = z.object({
  kind: z.literal('qlab-rabbitmq-calibration'),
  version: z.literal(1),
  network: z.strictObject({ publishLatencyMs: DistributionSpec, deliverLatencyMs: DistributionSpec, ackLatencyMs: DistributionSpec }),
});
export type CalibratedNetwork = z.infer<typeof RabbitCalibrationFile>['network'];

/** Reads a `qlab calibrate rabbitmq` file; a missing, unreadable or foreign file is an Error naming it and the field. */
export function loadRabbitCalibration(file: string): CalibratedNetwork {
  return readCalibrationFile(file, RabbitCalibrationFile, 'RabbitMQ', 'rabbitmq').network;
}

/** The raw scenario with its network replaced by the calibrated RabbitMQ overheads. */
export function withCalibratedNetwork(raw: unknown, network: CalibratedNetwork): unknown {
  return { ...(raw as object), network };
}
