import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DistributionSpec } from '../dist/spec.ts';

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
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : code !== undefined ? `cannot read it (${code})` : 'not valid JSON'}`);
  }
  const parsed = DiskCalibrationFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: not a qlab disk calibration (${issue.path.join('.') || 'root'}: ${issue.message}); make one with qlab calibrate disk`);
  }
  return parsed.data.brokerDisk;
}

/** The raw scenario with its broker's disk replaced by a calibrated one. */
export function withCalibratedDisk(raw: unknown, disk: CalibratedDisk): unknown {
  const scenario = raw as { broker?: Record<string, unknown> };
  return { ...scenario, broker: { ...scenario.broker, disk } };
}
