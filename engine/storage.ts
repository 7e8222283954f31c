/**
 * The engine's only way to files: a flat namespace of append-only files, with completions by
 * callback so the simulator decides when — and whether — each one lands.
 *
 * Contract (the conformance suite in storage.conformance.ts checks both implementations):
 * - Appends to one file complete in the order they were issued, and so do syncs.
 * - `append` completing means the bytes are readable (in the page cache), not that they survive a crash.
 * - `sync` completes after every append issued to that file before it, and then those appends (and
 *   the file's existence) survive a crash. Appends issued after a sync do not wait for it, as a
 *   write() does not wait for another thread's fdatasync; they may complete first and are not covered.
 * - `read`, `truncate` and `delete` wait for everything issued to the file before them.
 * - `append` takes ownership of `data`: the caller must not change it afterwards (no copy is made).
 * - `read` returns the file's whole content as the appends that completed left it.
 * - `truncate` and `delete` are durable when they complete.
 * - Errors are passed to the callback, never thrown.
 */
export type Done = (error: Error | null) => void;

export interface Storage {
  append(file: string, data: Uint8Array, done: Done): void;
  sync(file: string, done: Done): void;
  read(file: string, done: (error: Error | null, data: Uint8Array | null) => void): void;
  truncate(file: string, size: number, done: Done): void;
  list(done: (error: Error | null, files: string[]) => void): void;
  delete(file: string, done: Done): void;
}

export class StorageError extends Error {
  override name = 'StorageError';
}
