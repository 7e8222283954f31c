import type { Clock } from '../../engine/clock.ts';
import type { Random } from '../../engine/random.ts';
import { StorageError, type Done } from '../../engine/storage.ts';
import type { FaultLog } from '../faults/faultLog.ts';
import type { DiskFaultSpec } from '../scenario/faultSpecs.ts';
import { SimDisk, type SimDiskOptions } from './simDisk.ts';

/** One disk fault of the scenario, ready to strike: its spec, its own random stream, its armed times. */
export interface DiskFaultPlan {
  spec: DiskFaultSpec;
  random: Random;
  /** Virtual times still waiting for their operation (atSec mode), earliest first. */
  armedMs: number[];
  /** Window end (fromSec mode). */
  untilMs: number;
}

/**
 * A SimDisk whose operations can be hit by the scenario's disk faults (only ever the public
 * Storage behaviour of SimDisk is used, so the disk model itself stays one concept):
 * - `disk-lie`: a sync completes as usual but persists nothing new. The disk keeps its own record of
 *   what an honest fsync covered; at the next crash each file is cut back to that (or removed if no
 *   honest fsync ever covered it), so data confirmed on the strength of a lie is lost.
 * - `disk-corrupt`: the write that lands is not the one asked for: one byte flipped, or the whole
 *   write put in another file (or lost) while the caller is told it succeeded.
 * - `disk-error`: the append or sync fails with EIO or ENOSPC.
 * Every hit is counted in the fault log; lies and corruption also void the durability promise there.
 */
export class FaultyDisk extends SimDisk {
  /** Bytes appended per file through this disk, as issued. */
  private readonly issuedBytes = new Map<string, number>();
  /** Bytes per file that an honest fsync has covered (what a crash must keep). */
  private readonly honestBytes = new Map<string, number>();
  /** Files that some lying sync claimed to persist. */
  private readonly lied = new Set<string>();

  constructor(
    private readonly loop: Clock,
    random: Random,
    options: SimDiskOptions,
    private readonly plans: DiskFaultPlan[],
    private readonly faults: FaultLog,
  ) {
    super(loop, random, options);
  }

  override append(file: string, data: Uint8Array, done: Done): void {
    if (this.strikes('disk-error', 'append')) return this.fail(file, 'append', done);
    const corrupt = this.striking('disk-corrupt', 'append');
    this.issuedBytes.set(file, (this.issuedBytes.get(file) ?? 0) + data.byteLength);
    if (corrupt === undefined) return super.append(file, data, done);
    this.faults.voidsPromise('disk-corrupt');
    if (corrupt.spec.kind === 'disk-corrupt' && corrupt.spec.mode === 'misdirect') {
      const others = [...this.issuedBytes.keys()].filter((f) => f !== file).sort();
      const target = others.length === 0 ? undefined : others[Math.floor(corrupt.random.next() * others.length)]!;
      // The intended file never gets these bytes; the caller hears of success all the same.
      this.issuedBytes.set(file, this.issuedBytes.get(file)! - data.byteLength);
      if (target === undefined) {
        this.loop.setTimer(this.loop.now(), () => done(null));
        return;
      }
      this.issuedBytes.set(target, this.issuedBytes.get(target)! + data.byteLength);
      return super.append(target, data, done);
    }
    const flipped = data.slice();
    if (flipped.byteLength > 0) {
      const at = Math.floor(corrupt.random.next() * flipped.byteLength);
      flipped[at] = flipped[at]! ^ 0xff;
    }
    super.append(file, flipped, done);
  }

  override sync(file: string, done: Done): void {
    if (this.strikes('disk-error', 'sync')) return this.fail(file, 'sync', done);
    const covered = this.issuedBytes.get(file) ?? 0;
    const lie = this.strikes('disk-lie', 'sync');
    super.sync(file, (error) => {
      if (error === null) {
        if (lie) {
          this.lied.add(file);
          this.faults.voidsPromise('disk-lie');
        } else {
          this.honestBytes.set(file, Math.max(this.honestBytes.get(file) ?? 0, covered));
        }
      }
      done(error);
    });
  }

  override truncate(file: string, size: number, done: Done): void {
    super.truncate(file, size, (error) => {
      if (error === null) {
        this.issuedBytes.set(file, Math.min(this.issuedBytes.get(file) ?? 0, size));
        // A truncate is durable when it completes: everything left is as good as honestly synced.
        this.honestBytes.set(file, Math.min(this.issuedBytes.get(file)!, size));
      }
      done(error);
    });
  }

  override delete(file: string, done: Done): void {
    super.delete(file, (error) => {
      if (error === null) this.forget(file);
      done(error);
    });
  }

  /** A power cut: SimDisk's, and then whatever only a lie "persisted" is gone too. */
  override crash(): void {
    super.crash();
    const durable = this.durableBytes();
    for (const file of [...this.issuedBytes.keys()]) {
      const survived = durable.get(file);
      if (survived === undefined) {
        this.forget(file);
        continue;
      }
      const honest = this.honestBytes.get(file);
      if (this.lied.has(file) && (honest ?? 0) < survived) {
        // Cut back to the honest fsync (issued now, before any recovery read can queue behind it).
        if (honest === undefined) {
          super.delete(file, () => {});
          this.forget(file);
          continue;
        }
        super.truncate(file, honest, () => {});
      }
      // Whatever is on the disk after the crash is durable from now on.
      const kept = this.lied.has(file) ? Math.min(honest ?? 0, survived) : survived;
      this.issuedBytes.set(file, kept);
      this.honestBytes.set(file, kept);
    }
    this.lied.clear();
  }

  private forget(file: string): void {
    this.issuedBytes.delete(file);
    this.honestBytes.delete(file);
    this.lied.delete(file);
  }

  private fail(file: string, op: 'append' | 'sync', done: Done): void {
    const plan = this.lastStrike!;
    const code = plan.spec.kind === 'disk-error' ? plan.spec.error : 'EIO';
    const message = code === 'ENOSPC' ? 'no space left on device' : 'input/output error';
    this.loop.setTimer(this.loop.now(), () => done(new StorageError(`${op} ${file}: ${code}: ${message} (injected disk-error)`)));
  }

  private lastStrike: DiskFaultPlan | undefined;

  private strikes(kind: DiskFaultSpec['kind'], op: 'append' | 'sync'): boolean {
    return this.striking(kind, op) !== undefined;
  }

  /** The first plan of `kind` that hits this operation now (counting its exposure and its firing), if any. */
  private striking(kind: DiskFaultSpec['kind'], op: 'append' | 'sync'): DiskFaultPlan | undefined {
    const now = this.loop.now();
    for (const plan of this.plans) {
      const spec = plan.spec;
      if (spec.kind !== kind || opOf(spec) !== op) continue;
      let hit: boolean;
      if (spec.atSec !== undefined) {
        hit = plan.armedMs.length > 0 && plan.armedMs[0]! <= now;
        if (hit) plan.armedMs.shift();
      } else {
        if (now < spec.fromSec! * 1000 || now >= plan.untilMs) continue;
        this.faults.exposed(kind);
        hit = spec.probability >= 1 || plan.random.next() < spec.probability;
      }
      if (hit) {
        this.faults.fired(kind);
        this.lastStrike = plan;
        return plan;
      }
    }
    return undefined;
  }
}

/** The operation a disk fault hits: lies are about syncs, corruption about writes, errors either. */
function opOf(spec: DiskFaultSpec): 'append' | 'sync' {
  return spec.kind === 'disk-lie' ? 'sync' : spec.kind === 'disk-corrupt' ? 'append' : spec.op;
}

/** The scenario's disk faults as plans for a FaultyDisk (empty: use a plain SimDisk). Timed hits go in the fault log's schedule. */
export function planDiskFaults(
  faults: readonly { kind: string }[],
  stream: (index: number) => Random,
  log: FaultLog,
  endMs: number,
): DiskFaultPlan[] {
  const plans: DiskFaultPlan[] = [];
  faults.forEach((f, index) => {
    if (f.kind !== 'disk-lie' && f.kind !== 'disk-corrupt' && f.kind !== 'disk-error') return;
    const spec = f as DiskFaultSpec;
    log.declare(spec.kind);
    const armedMs: number[] = [];
    for (const at of spec.atSec ?? []) {
      log.plan({ fault: index, kind: spec.kind, atMs: at * 1000 });
      if (at * 1000 < endMs) armedMs.push(at * 1000);
    }
    armedMs.sort((a, b) => a - b);
    plans.push({ spec, random: stream(index), armedMs, untilMs: Math.min(endMs, (spec.toSec ?? Infinity) * 1000) });
  });
  return plans;
}
