import { truncateQuoted } from '../../engine/index.ts';

/**
 * Bad input at the edge (a flag, a file, a value): printed as one line naming the offender, exit
 * code 2, no stack trace.
 */
export class UsageError extends Error {
  override name = 'UsageError';

  constructor(message: string) {
    super(truncateQuoted(message));
  }
}
