import * as fs from 'node:fs';
import * as path from 'node:path';
import { StorageError, type Done, type Storage } from '../storage.ts';

type Op =
  | { kind: 'append'; data: Uint8Array; done: Done }
  | { kind: 'sync'; done: Done }
  | { kind: 'truncate'; size: number; done: Done };

interface OpenFile {
  fd: number;
  queue: Op[];
  /** An append or a truncate is running. */
  busy: boolean;
  /** Syncs whose appends are done, run one at a time beside later appends. */
  syncs: Done[];
  syncing: boolean;
  /** Created since the directory was last synced: its name is not durable yet. */
  needsDirectorySync: boolean;
}

/**
 * Storage on real files in one directory. Appends go through an O_APPEND descriptor; `sync` is
 * `fdatasync`, plus an fsync of the directory if the file was created since, so a new segment's
 * name survives a crash too. Operations on a file run one at a time in order; appends that queue up
 * behind a busy file are joined into one write (fewer syscalls under load).
 */
export class FileStorage implements Storage {
  private readonly files = new Map<string, OpenFile>();
  private readonly opening = new Map<string, Done[]>();

  /** Creates `dir` if it does not exist; a path that cannot be a directory is a clear error. */
  constructor(readonly dir: string) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    } catch (error) {
      throw wrap(readOnlyCause(dir) ?? (error as NodeJS.ErrnoException), `cannot use ${dir} as a log directory`);
    }
  }

  append(file: string, data: Uint8Array, done: Done): void {
    this.enqueue(file, { kind: 'append', data, done });
  }

  sync(file: string, done: Done): void {
    this.enqueue(file, { kind: 'sync', done });
  }

  truncate(file: string, size: number, done: Done): void {
    this.enqueue(file, { kind: 'truncate', size, done });
  }

  read(file: string, done: (error: Error | null, data: Uint8Array | null) => void): void {
    const target = this.checkedPath(file, (error) => done(error, null));
    if (target === undefined) return;
    fs.readFile(target, (error, data) => {
      if (error) done(wrap(error, `read ${file}`), null);
      else done(null, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
  }

  list(done: (error: Error | null, files: string[]) => void): void {
    fs.readdir(this.dir, { withFileTypes: true }, (error, entries) => {
      if (error) done(wrap(error, `list ${this.dir}`), []);
      else done(null, entries.filter((e) => e.isFile()).map((e) => e.name).sort());
    });
  }

  delete(file: string, done: Done): void {
    const target = this.checkedPath(file, done);
    if (target === undefined) return;
    const open = this.files.get(file);
    const unlink = () =>
      fs.unlink(target, (error) => {
        if (error) return done(wrap(error, `delete ${file}`));
        this.syncDirectory(done);
      });
    if (open === undefined) return unlink();
    // Let the file's queued operations finish first, then close it.
    this.enqueue(file, {
      kind: 'sync',
      done: (error) => {
        if (error) return done(error);
        this.files.delete(file);
        fs.close(open.fd, () => unlink());
      },
    });
  }

  /** Closes every descriptor (pending operations complete first). */
  close(done: Done): void {
    const open = [...this.files.entries()];
    if (open.length === 0) return done(null);
    let left = open.length;
    let failure: Error | null = null;
    for (const [name, file] of open) {
      this.enqueue(name, {
        kind: 'sync',
        done: (error) => {
          failure ??= error;
          this.files.delete(name);
          fs.close(file.fd, () => {
            if (--left === 0) done(failure);
          });
        },
      });
    }
  }

  /** The file's path, or undefined after reporting an invalid name to `fail` (asynchronously, as errors always are). */
  private checkedPath(file: string, fail: (error: Error) => void): string | undefined {
    if (typeof file === 'string' && file !== '' && file !== '.' && file !== '..' && !file.includes('/') && !file.includes('\\')) {
      return path.join(this.dir, file);
    }
    setImmediate(() => fail(new StorageError(`invalid file name '${file}'`)));
    return undefined;
  }

  private enqueue(name: string, op: Op): void {
    const file = this.files.get(name);
    if (file !== undefined) {
      file.queue.push(op);
      this.pump(file, name);
      return;
    }
    const waiting = this.opening.get(name);
    const run: Done = (error) => {
      if (error) return op.done(error);
      const opened = this.files.get(name)!;
      opened.queue.push(op);
      this.pump(opened, name);
    };
    if (waiting !== undefined) {
      waiting.push(run);
      return;
    }
    const target = this.checkedPath(name, op.done);
    if (target === undefined) return;
    this.opening.set(name, [run]);
    const existed = fs.existsSync(target);
    fs.open(target, 'a+', (error, fd) => {
      const callbacks = this.opening.get(name)!;
      this.opening.delete(name);
      if (!error) this.files.set(name, { fd, queue: [], busy: false, syncs: [], syncing: false, needsDirectorySync: !existed });
      for (const callback of callbacks) callback(error ? wrap(error, `open ${name}`) : null);
    });
  }

  /**
   * Appends run one at a time (queued ones joined into one write). A sync at the head of the queue
   * has every append before it done, so it moves to the sync lane and runs beside later appends; a
   * truncate waits for the sync lane to empty.
   */
  private pump(file: OpenFile, name: string): void {
    while (!file.busy && file.queue.length > 0) {
      const op = file.queue[0]!;
      if (op.kind === 'sync') {
        file.queue.shift();
        file.syncs.push(op.done);
        this.pumpSyncs(file, name);
        continue;
      }
      if (op.kind === 'truncate') {
        if (file.syncing || file.syncs.length > 0) return; // resumed when the sync lane drains
        file.busy = true;
        fs.ftruncate(file.fd, op.size, (error) => {
          if (error) return this.finish(file, name, 1, wrap(error, `truncate ${name}`));
          fs.fdatasync(file.fd, (syncError) => this.finish(file, name, 1, syncError ? wrap(syncError, `truncate ${name}`) : null));
        });
        return;
      }
      let count = 1;
      let bytes = op.data.byteLength;
      while (count < file.queue.length && file.queue[count]!.kind === 'append') {
        bytes += (file.queue[count] as { data: Uint8Array }).data.byteLength;
        count++;
      }
      const data = count === 1 ? op.data : concat(file.queue.slice(0, count) as { data: Uint8Array }[], bytes);
      file.busy = true;
      writeAll(file.fd, data, (error) => this.finish(file, name, count, error ? wrap(error, `append ${name}`) : null));
      return;
    }
  }

  private finish(file: OpenFile, name: string, count: number, error: Error | null): void {
    const finished = file.queue.splice(0, count);
    file.busy = false;
    for (const f of finished) f.done(error);
    this.pump(file, name);
  }

  private pumpSyncs(file: OpenFile, name: string): void {
    if (file.syncing || file.syncs.length === 0) return;
    file.syncing = true;
    const done = file.syncs.shift()!;
    const finish = (error: Error | null) => {
      file.syncing = false;
      done(error);
      this.pumpSyncs(file, name);
      this.pump(file, name);
    };
    fs.fdatasync(file.fd, (error) => {
      if (error) return finish(wrap(error, `sync ${name}`));
      if (!file.needsDirectorySync) return finish(null);
      this.syncDirectory((dirError) => {
        if (!dirError) file.needsDirectorySync = false;
        finish(dirError);
      });
    });
  }

  private syncDirectory(done: Done): void {
    fs.open(this.dir, 'r', (error, fd) => {
      if (error) return done(wrap(error, `open directory ${this.dir}`));
      fs.fsync(fd, (syncError) => fs.close(fd, () => done(syncError ? wrap(syncError, `sync directory ${this.dir}`) : null)));
    });
  }
}

function writeAll(fd: number, data: Uint8Array, done: (error: NodeJS.ErrnoException | null) => void, offset = 0): void {
  fs.write(fd, data, offset, data.byteLength - offset, null, (error, written) => {
    if (error) return done(error);
    if (offset + written < data.byteLength) return writeAll(fd, data, done, offset + written);
    done(null);
  });
}

function concat(chunks: { data: Uint8Array }[], bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const { data } of chunks) {
    out.set(data, at);
    at += data.byteLength;
  }
  return out;
}

function wrap(error: NodeJS.ErrnoException, what: string): StorageError {
  return new StorageError(`${what}: ${error.code ?? ''} ${error.message}`.trim());
}

/**
 * Why a directory could not be created when the reason is a read-only file system: recursive mkdir
 * reports ENOENT there, which would send the user looking for a typo.
 */
function readOnlyCause(dir: string): NodeJS.ErrnoException | undefined {
  let ancestor = path.resolve(dir);
  while (!fs.existsSync(ancestor)) {
    const parent = path.dirname(ancestor);
    if (parent === ancestor) return undefined;
    ancestor = parent;
  }
  try {
    fs.accessSync(ancestor, fs.constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EROFS' && code !== 'EACCES') return undefined;
    return Object.assign(new Error(`${ancestor} is ${code === 'EROFS' ? 'on a read-only file system' : 'not writable'}`), { code });
  }
}
