import { z } from 'zod';
import { DistributionSpec } from '../dist/spec.ts';
import { readCalibrationFile } from './calibrationFile.ts';

const DiskCalibrationFile = z.object({
  kind: z.literal('qlab-disk-calibration'),
  version: z.literal(1),
  brokerDisk: z.strictObject({
    writeLatencyMs: DistributionSpec,
    syncLatencyMs: DistributionSpec,
    readLatencyMs: DistributionSpec,
    readMBPerSec: z.number().positive().finite(),
    tearProbability: z.number().min(0).max(1),
  }),
});
export type CalibratedDisk = z.infer<typeof DiskCalibrationFile>['brokerDisk'];

/** Reads a `qlab calibrate disk` file; a missing, unreadable or foreign file is an Error naming it and the field. */
export function loadDiskCalibration(file: string): CalibratedDisk {
  return readCalibrationFile(file, DiskCalibrationFile, 'disk', 'disk').brokerDisk;
}

/** The raw scenario with its broker's disk replaced by a calibrated one. */
export function withCalibratedDisk(raw: unknown, disk: CalibratedDisk): unknown {
  const scenario = raw as { broker?: Record<string, unknown> };
  return { ...scenario, broker: { ...scenario.broker, disk } };
}
