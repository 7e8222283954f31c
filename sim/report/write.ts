import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputError(`cannot write ${path}: ${code ?? (error as Error).message}`);
  }
}

/** Reports are JSON with two-space indentation and a final newline: stable, diffable text. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
