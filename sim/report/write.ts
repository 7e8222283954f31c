import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class OutputError extends Error {
  override name = 'OutputError';
}

/**
 * Writes a file atomically: the content goes to a temporary file beside the target, is synced, and
 * is renamed over it. A reader sees the old file or the new one, never half of one; a failure leaves
 * the old file untouched and no temporary behind.
 */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The temporary was never created (its directory is not one): nothing to clean up.
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputError(`cannot write ${path}: ${code ?? (error as Error).message}`);
  }
}

/**
 * Reports are compact JSON with a final newline: indenting would put each of the thousands of
 * series numbers on its own line and triple the size. The same input still gives the same bytes.
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value)}\n`);
}

/** Fails early, before any work, if `path` cannot be written (its directory cannot be made or written). */
export function checkWritable(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputError(`cannot write ${path}: ${code ?? (error as Error).message}`);
  }
}
