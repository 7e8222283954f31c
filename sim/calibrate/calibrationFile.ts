import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/**
 * Reads and validates a calibration file written by `qlab calibrate <what>`: a missing,
 * unreadable or foreign file is an Error naming the file and the failing field, and the command
 * that makes a good one.
 */
export function readCalibrationFile<T>(file: string, schema: z.ZodType<T>, what: string, command: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : code !== undefined ? `cannot read it (${code})` : 'not valid JSON'}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: not a qlab ${what} calibration (${issue.path.join('.') || 'root'}: ${issue.message}); make one with qlab calibrate ${command}`);
  }
  return parsed.data;
}
