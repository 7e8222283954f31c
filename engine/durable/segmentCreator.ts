import type { Storage } from '../storage.ts';
import { segmentFileName, segmentHeader } from './records.ts';

/**
 * Creates segment files for the log, one at a time and in order: a file gets its header, synced
 * (with its directory entry), and only then counts as created. Segment N is created only once N-1
 * is and N-2's seal is durable, so at most one empty segment can follow an unsealed one — the
 * state recovery knows to clean up after a crash in the middle of a roll.
 */
export class SegmentCreator {
  /** The newest segment whose header is durable. */
  created: number;
  private readonly queue: number[] = [];
  private creating = false;
  /** Each rolled segment's Seal record, until the segment two after it is created. */
  private readonly sealSeqs = new Map<number, number>();
  private startWaiters: ((error: Error | null) => void)[] = [];
  private started = false;

  constructor(
    private readonly storage: Storage,
    lastExisting: number,
    /** Whether the log can still do I/O, and how far it is synced. */
    private readonly log: { readonly active: boolean; readonly syncedSeq: number },
    private readonly onCreated: () => void,
    private readonly onError: (error: Error) => void,
  ) {
    this.created = lastExisting;
  }

  /** Asks for segment `number` (the next one) to be created. */
  request(number: number): void {
    this.queue.push(number);
    this.poll();
  }

  /** The Seal record of `segment` has sequence number `seq`. */
  sealed(segment: number, seq: number): void {
    this.sealSeqs.set(segment, seq);
  }

  /** Calls back once the first segment exists durably, or with the error that prevented it. */
  whenStarted(callback: (error: Error | null) => void): void {
    if (this.started) return callback(null);
    this.startWaiters.push(callback);
  }

  /** The log failed: whoever waits for the start hears why. */
  failed(error: Error): void {
    for (const callback of this.startWaiters.splice(0)) callback(error);
  }

  /** Starts the next creation if its conditions hold; called again after every sync. */
  poll(): void {
    if (this.creating || !this.log.active) return;
    const number = this.queue[0];
    if (number === undefined || this.created < number - 1) return;
    if ((this.sealSeqs.get(number - 2) ?? 0) > this.log.syncedSeq) return;
    this.queue.shift();
    this.creating = true;
    const file = segmentFileName(number);
    this.storage.append(file, segmentHeader(number), (error) => error && this.log.active && this.onError(error));
    this.storage.sync(file, (error) => {
      if (!this.log.active) return;
      this.creating = false;
      if (error) return this.onError(error);
      this.created = number;
      this.sealSeqs.delete(number - 2);
      if (!this.started) {
        this.started = true;
        for (const callback of this.startWaiters.splice(0)) callback(null);
      }
      this.onCreated();
      this.poll();
    });
  }
}
