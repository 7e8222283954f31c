import { UsageError } from './usageError.ts';

/** `qlab calibrate rabbitmq`: not built yet — said plainly rather than pretending. */
export function calibrateRabbit(_values: Record<string, unknown>): number {
  throw new UsageError('qlab calibrate rabbitmq: not built yet (only qlab calibrate disk is)');
}
