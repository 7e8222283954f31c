import type { Clock } from '../../engine/clock.ts';
import type { Random } from '../../engine/random.ts';
import { StorageError, type Done, type Storage } from '../../engine/storage.ts';
import { deterministic } from '../dist/deterministic.ts';
import type { Distribution } from '../dist/distribution.ts';

export interface SimDiskOptions {
  /** Time for one append to land in the page cache. */
  writeLatencyMs?: Distribution;
  /** Time for one fdatasync. */
  syncLatencyMs?: Distribution;
  /** Time for a read, a truncate or a delete. */
  readLatencyMs?: Distribution;
  /** Chance that a crash leaves a torn prefix of the first unsynced write behind (default 0.5). */
  tearProbability?: number;
  /**
   * Chance that a file created and never synced survives a crash anyway — its name reached the
   * directory — holding a prefix (maybe empty) of what was written to it (default 0.5). The rest
   * of the time it vanishes.
   */
  keepUnsyncedFileProbability?: number;
  /** Sequential read throughput, so reading a large log takes its time (default 500 MB/s). */
  readBytesPerMs?: number;
}

interface Chunk {
  data: Uint8Array;
}

class SimFile {
  /** What reads see: every completed append, as chunks (joined only when read). */
  chunks: Uint8Array[] = [];
  length = 0;
  /** Bytes that survive a crash. */
  syncedLength = 0;
  /** The file's name survives a crash (it was synced once). */
  durable = false;
  /** Appends not yet covered by a sync, in issue order, completed or not. */
  unsynced: Chunk[] = [];
  /** Bytes appended, counting appends still in flight. */
  issuedLength = 0;
  /** When the last append issued completes, and the last sync issued. */
  appendsUntilMs = 0;
  syncsUntilMs = 0;

  /** Small chunks since the last join: every 256 are joined into one block, so a long run keeps few objects. */
  private loose = 0;

  appendBytes(data: Uint8Array): void {
    this.chunks.push(data);
    this.length += data.byteLength;
    if (++this.loose === 256) {
      const tail = this.chunks.splice(this.chunks.length - 256);
      const block = new Uint8Array(tail.reduce((n, c) => n + c.byteLength, 0));
      let at = 0;
      for (const chunk of tail) {
        block.set(chunk, at);
        at += chunk.byteLength;
      }
      this.chunks.push(block);
      this.loose = 0;
    }
  }

  /** The content as one array (and as one chunk from now on). */
  content(): Uint8Array {
    if (this.chunks.length !== 1) {
      const joined = new Uint8Array(this.length);
      let at = 0;
      for (const chunk of this.chunks) {
        joined.set(chunk, at);
        at += chunk.byteLength;
      }
      this.chunks = [joined];
    }
    this.loose = 0;
    return this.chunks[0] ?? new Uint8Array(0);
  }

  /** Keeps the first `size` bytes. */
  cut(size: number): void {
    const kept = this.content().slice(0, size);
    this.chunks = [kept];
    this.length = kept.byteLength;
    this.loose = 0;
  }
}

/**
 * An in-memory disk for the simulator, implementing the engine's Storage seam. Each file runs its
 * operations one at a time in issue order; each takes a latency drawn from the options'
 * distributions and completes through a timer on the simulator's clock (never synchronously).
 *
 * `crash()` is a power cut: every write not covered by a completed sync is lost, except that with
 * `tearProbability` a random-length prefix of the first unsynced write survives (a torn write);
 * a file never synced vanishes, or with `keepUnsyncedFileProbability` stays, empty or holding such a
 * torn prefix (its directory entry was written back, its data not); callbacks still pending never fire. `corrupt()` flips a byte at rest,
 * for tests of mid-log corruption; `stall()` holds every operation back until a time (a stalled
 * fsync, a saturated device).
 */
export class SimDisk implements Storage {
  private readonly files = new Map<string, SimFile>();
  private readonly writeLatency: Distribution;
  private readonly syncLatency: Distribution;
  private readonly readLatency: Distribution;
  private readonly tearProbability: number;
  private readonly keepUnsyncedFileProbability: number;
  private readonly readBytesPerMs: number;
  /** Bumped by crash(): completions scheduled before it are ignored. */
  private generation = 0;
  private stalledUntilMs = 0;
  /** Multiplies every latency (1 = as configured); a fault plan can slow the disk down. */
  latencyFactor = 1;
  /** Counters for reports: operations and bytes. */
  readonly stats = { appends: 0, syncs: 0, bytesAppended: 0, reads: 0, crashes: 0, tornWrites: 0, keptUnsyncedFiles: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    options: SimDiskOptions = {},
  ) {
    this.writeLatency = options.writeLatencyMs ?? deterministic(0);
    this.syncLatency = options.syncLatencyMs ?? deterministic(0);
    this.readLatency = options.readLatencyMs ?? deterministic(0);
    this.tearProbability = options.tearProbability ?? 0.5;
    this.keepUnsyncedFileProbability = options.keepUnsyncedFileProbability ?? 0.5;
    this.readBytesPerMs = options.readBytesPerMs ?? 500_000;
  }

  append(file: string, data: Uint8Array, done: Done): void {
    if (!this.validName(file, done)) return;
    const f = this.fileFor(file);
    const chunk: Chunk = { data }; // the Storage contract hands us ownership: no copy
    f.unsynced.push(chunk);
    f.issuedLength += data.byteLength;
    this.stats.appends++;
    this.stats.bytesAppended += data.byteLength;
    this.schedule(f, 'append', this.writeLatency, () => {
      f.appendBytes(chunk.data);
      done(null);
    });
  }

  sync(file: string, done: Done): void {
    if (!this.validName(file, done)) return;
    const f = this.files.get(file);
    if (f === undefined) return this.later(() => done(new StorageError(`sync ${file}: no such file`)));
    this.stats.syncs++;
    // The sync covers the appends issued before it, not those issued while it runs.
    const lastCovered = f.unsynced[f.unsynced.length - 1];
    const coveredLength = f.issuedLength;
    this.schedule(f, 'sync', this.syncLatency, () => {
      // It started after the appends it covers completed.
      f.syncedLength = Math.max(f.syncedLength, coveredLength);
      const covered = lastCovered === undefined ? 0 : f.unsynced.indexOf(lastCovered) + 1;
      f.unsynced.splice(0, covered);
      f.durable = true;
      done(null);
    });
  }

  read(file: string, done: (error: Error | null, data: Uint8Array | null) => void): void {
    const f = this.files.get(file);
    if (f === undefined) return this.later(() => done(new StorageError(`read ${file}: no such file`), null));
    this.stats.reads++;
    this.schedule(f, 'barrier', this.readLatency, () => done(null, f.content().slice()), f.length / this.readBytesPerMs);
  }

  truncate(file: string, size: number, done: Done): void {
    const f = this.files.get(file);
    if (f === undefined) return this.later(() => done(new StorageError(`truncate ${file}: no such file`)));
    this.schedule(f, 'barrier', this.syncLatency, () => {
      f.cut(Math.min(f.length, size));
      f.issuedLength = f.length;
      f.syncedLength = Math.min(f.syncedLength, f.length);
      f.unsynced = [];
      if (f.length > f.syncedLength) f.unsynced.push({ data: f.content().slice(f.syncedLength, f.length) });
      f.durable = true;
      done(null);
    });
  }

  list(done: (error: Error | null, files: string[]) => void): void {
    this.later(() => done(null, [...this.files.keys()].sort()));
  }

  delete(file: string, done: Done): void {
    const f = this.files.get(file);
    if (f === undefined) return this.later(() => done(new StorageError(`delete ${file}: no such file`)));
    this.schedule(f, 'barrier', this.syncLatency, () => {
      this.files.delete(file);
      done(null);
    });
  }

  /** A power cut. See the class comment. */
  crash(): void {
    this.generation++;
    this.stats.crashes++;
    for (const [name, f] of this.files) {
      if (!f.durable) {
        if (!(this.random.next() < this.keepUnsyncedFileProbability)) {
          this.files.delete(name);
          continue;
        }
        f.durable = true;
        this.stats.keptUnsyncedFiles++;
      }
      const first = f.unsynced[0];
      f.cut(f.syncedLength);
      if (first !== undefined && this.random.next() < this.tearProbability) {
        const keep = Math.floor(this.random.next() * first.data.byteLength);
        if (keep > 0) {
          f.appendBytes(first.data.subarray(0, keep));
          f.syncedLength = f.length;
          this.stats.tornWrites++;
        }
      }
      f.unsynced = [];
      f.issuedLength = f.length;
      f.appendsUntilMs = 0;
      f.syncsUntilMs = 0;
    }
  }

  /** Flips the bits of the byte at `offset` of `file`, synced content included. */
  corrupt(file: string, offset: number): void {
    const f = this.files.get(file);
    if (f === undefined || offset < 0 || offset >= f.length) throw new RangeError(`corrupt: ${file} has no byte ${offset}`);
    const content = f.content();
    content[offset] = content[offset]! ^ 0xff;
  }

  /** No operation starts before `untilMs`. */
  stall(untilMs: number): void {
    this.stalledUntilMs = Math.max(this.stalledUntilMs, untilMs);
  }

  /** Bytes that would survive a crash now, per file (for tests and reports). */
  durableBytes(): Map<string, number> {
    return new Map([...this.files].filter(([, f]) => f.durable).map(([name, f]) => [name, f.syncedLength]));
  }

  /** Total bytes held, as reads see them. */
  get usedBytes(): number {
    let total = 0;
    for (const f of this.files.values()) total += f.length;
    return total;
  }

  private validName(file: string, done: Done): boolean {
    if (typeof file === 'string' && file !== '' && !file.includes('/') && file !== '.' && file !== '..') return true;
    this.later(() => done(new StorageError(`invalid file name '${file}'`)));
    return false;
  }

  private fileFor(name: string): SimFile {
    let f = this.files.get(name);
    if (f === undefined) this.files.set(name, (f = new SimFile()));
    return f;
  }

  /**
   * Appends run one after another; a sync starts once the appends before it are done (and the
   * previous sync), while later appends go on beside it; a barrier (read, truncate, delete) waits
   * for everything before it.
   */
  private schedule(f: SimFile, lane: 'append' | 'sync' | 'barrier', latency: Distribution, effect: () => void, transferMs = 0): void {
    const generation = this.generation;
    const after = lane === 'append' ? f.appendsUntilMs : Math.max(f.appendsUntilMs, f.syncsUntilMs);
    const start = Math.max(this.clock.now(), after, this.stalledUntilMs);
    const end = start + (latency.sample(this.random) + transferMs) * this.latencyFactor;
    if (lane !== 'sync') f.appendsUntilMs = end;
    if (lane !== 'append') f.syncsUntilMs = end;
    this.clock.setTimer(end, () => {
      if (generation === this.generation) effect();
    });
  }

  private later(effect: () => void): void {
    const generation = this.generation;
    this.clock.setTimer(this.clock.now(), () => {
      if (generation === this.generation) effect();
    });
  }
}

