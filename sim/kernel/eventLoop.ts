import type { Clock, TimerId } from '../../engine/clock.ts';

/**
 * The simulator's event loop and virtual clock.
 *
 * Pending events sit in a binary min-heap ordered by (time, insertion sequence), kept in parallel
 * typed arrays so that sifting touches no objects. Callbacks live in a slot table; a heap entry
 * names its slot and the sequence number it was scheduled with, so cancelling just frees the slot
 * (O(1)) and the stale heap entry is skipped when it surfaces (lazy deletion). When stale entries
 * outnumber live ones the heap is rebuilt, so a workload that cancels most of its timers (TTLs)
 * cannot grow the heap without bound.
 *
 * A timer id packs the slot and a per-slot generation, so a stale id (its event fired or was
 * cancelled, and the slot reused) can never cancel somebody else's event.
 */
const SLOT_LIMIT = 1 << 24;
const GENERATION_LIMIT = 1 << 29; // SLOT_LIMIT * GENERATION_LIMIT stays below 2^53

/**
 * Who a timer belongs to (a connection's or a process's Lifetime, sim/run/lifetime.ts). The loop keeps
 * the owner beside the callback, so an owned timer costs no wrapper closure and no per-owner map:
 * the owner's timers are found by a scan of the slots when it ends, which is rare.
 */
export interface TimerOwner {
  /** False once the owner's life ended; a timer of its that still fires is then reported to staleTimerFired. */
  readonly alive: boolean;
  /** Called (instead of the callback) when a timer fires after its owner ended; expected to throw. */
  staleTimerFired(): void;
}

export type StopReason = 'until' | 'maxEvents' | 'stopWhen' | 'empty';

export interface RunLimits {
  /** Run every event with time ≤ untilMs, then advance the clock to untilMs. */
  untilMs?: number;
  /** Stop after this many events have run in this call. */
  maxEvents?: number;
  /** Checked after each event; the run stops once it returns true. */
  stopWhen?: () => boolean;
}

export class EventLoop implements Clock {
  private nowMs: number;
  private nextSeq = 0;
  private executed = 0;

  private heapTime: Float64Array;
  private heapSeq: Float64Array;
  private heapSlot: Int32Array;
  private heapSize = 0;
  private staleEntries = 0;

  private callbacks: ((() => void) | undefined)[];
  private owners: (TimerOwner | undefined)[];
  /** What cancelling an owned timer undoes (e.g. a message no longer on the wire), when anything. */
  private onCancels: ((() => void) | null | undefined)[];
  private slotSeq: Float64Array;
  private slotGeneration: Uint32Array;
  private freeSlots: Int32Array;
  private freeCount: number;

  constructor(startMs = 0, initialCapacity = 1024) {
    if (!Number.isFinite(startMs)) throw new RangeError(`startMs must be a finite number, got ${startMs}`);
    this.nowMs = startMs;
    const capacity = Math.max(16, initialCapacity | 0);
    this.heapTime = new Float64Array(capacity);
    this.heapSeq = new Float64Array(capacity);
    this.heapSlot = new Int32Array(capacity);
    this.callbacks = new Array(capacity).fill(undefined);
    this.owners = new Array(capacity).fill(undefined);
    this.onCancels = new Array(capacity).fill(undefined);
    this.slotSeq = new Float64Array(capacity).fill(-1);
    this.slotGeneration = new Uint32Array(capacity);
    this.freeSlots = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  now(): number {
    return this.nowMs;
  }

  /** Events run so far (cancelled ones not counted). */
  get eventsExecuted(): number {
    return this.executed;
  }

  /** Events scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.heapSize - this.staleEntries;
  }

  /** Heap entries including cancelled ones not yet dropped (a diagnostic: at most about twice `pending`). */
  get heapEntries(): number {
    return this.heapSize;
  }

  /** Time of the next live event, or undefined when none is pending. */
  peekTime(): number | undefined {
    this.dropStaleTop();
    return this.heapSize > 0 ? this.heapTime[0] : undefined;
  }

  /** Schedules `callback` at `atMs`; an `owner` makes it one of the owner's timers (see cancelOwned). */
  setTimer(atMs: number, callback: () => void, owner?: TimerOwner, onCancel: (() => void) | null = null): TimerId {
    if (Number.isNaN(atMs) || atMs === Infinity) {
      throw new RangeError(`cannot schedule an event at ${atMs} ms (clock at ${this.nowMs} ms)`);
    }
    // The Clock contract: a time already passed fires at once, after what is already due now.
    if (atMs < this.nowMs) atMs = this.nowMs;
    if (this.freeCount === 0) this.growSlots();
    const slot = this.freeSlots[--this.freeCount]!;
    const seq = this.nextSeq++;
    this.callbacks[slot] = callback;
    if (owner !== undefined) {
      this.owners[slot] = owner;
      this.onCancels[slot] = onCancel;
    }
    this.slotSeq[slot] = seq;
    if (this.heapSize === this.heapTime.length) this.growHeap();
    this.siftUp(this.heapSize++, atMs, seq, slot);
    return this.slotGeneration[slot]! * SLOT_LIMIT + slot;
  }

  /** Schedules `callback` `delayMs` after the current time. */
  after(delayMs: number, callback: () => void): TimerId {
    return this.setTimer(this.nowMs + delayMs, callback);
  }

  cancelTimer(id: TimerId): void {
    const slot = this.liveSlotOf(id);
    if (slot >= 0) this.cancelSlot(slot);
  }

  /** Whether `id` is a pending timer of `owner`. */
  isOwnedBy(id: TimerId, owner: TimerOwner): boolean {
    const slot = this.liveSlotOf(id);
    return slot >= 0 && this.owners[slot] === owner;
  }

  /** Pending timers of `owner` (a scan: for diagnostics and tests). */
  ownedCount(owner: TimerOwner): number {
    return this.ownedSlots(owner).length;
  }

  /** Cancels every pending timer of `owner`, in the order they were set, running each one's onCancel. */
  cancelOwned(owner: TimerOwner): void {
    for (const slot of this.ownedSlots(owner)) {
      const onCancel = this.onCancels[slot];
      this.cancelSlot(slot);
      onCancel?.();
    }
  }

  private ownedSlots(owner: TimerOwner): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.slotSeq.length; slot++) if (this.owners[slot] === owner && this.slotSeq[slot]! >= 0) slots.push(slot);
    return slots.sort((a, b) => this.slotSeq[a]! - this.slotSeq[b]!);
  }

  /** The slot of a pending timer id, or −1 (fired, cancelled, or the slot reused since). */
  private liveSlotOf(id: TimerId): number {
    const slot = id % SLOT_LIMIT;
    const generation = (id - slot) / SLOT_LIMIT;
    if (slot >= this.slotSeq.length || this.slotGeneration[slot] !== generation || this.slotSeq[slot]! < 0) return -1;
    return slot;
  }

  private cancelSlot(slot: number): void {
    this.releaseSlot(slot);
    this.staleEntries++;
    if (this.staleEntries > 64 && this.staleEntries * 2 > this.heapSize) this.compact();
  }

  /** Runs the next live event. Returns false when none is pending. */
  step(): boolean {
    return this.runEvents(Infinity, 1, undefined) === 1;
  }

  /** Runs events until one of the limits is reached; with no limits, until no event is pending. */
  run(limits: RunLimits = {}): StopReason {
    const untilMs = limits.untilMs ?? Infinity;
    const maxEvents = limits.maxEvents ?? Infinity;
    if (Number.isNaN(untilMs) || untilMs < this.nowMs) {
      throw new RangeError(`cannot run until ${untilMs} ms: the clock is at ${this.nowMs} ms`);
    }
    const stopWhen = limits.stopWhen;
    const ran = this.runEvents(untilMs, maxEvents, stopWhen);
    if (ran >= maxEvents) return 'maxEvents';
    if (this.stoppedByCondition) return 'stopWhen';
    if (untilMs !== Infinity) {
      this.nowMs = untilMs;
      return 'until';
    }
    return 'empty';
  }

  private stoppedByCondition = false;

  /** The hot loop: pops and runs live events with time ≤ untilMs; returns how many ran. */
  private runEvents(untilMs: number, maxEvents: number, stopWhen: (() => boolean) | undefined): number {
    this.stoppedByCondition = false;
    let ran = 0;
    while (ran < maxEvents && this.heapSize > 0) {
      const time = this.heapTime[0]!;
      const slot = this.heapSlot[0]!;
      const seq = this.heapSeq[0]!;
      if (this.slotSeq[slot] !== seq) {
        this.removeTop();
        this.staleEntries--;
        continue;
      }
      if (time > untilMs) break;
      this.removeTop();
      const callback = this.callbacks[slot]!;
      const owner = this.owners[slot];
      this.releaseSlot(slot);
      this.nowMs = time;
      this.executed++;
      ran++;
      if (owner !== undefined && !owner.alive) owner.staleTimerFired();
      callback();
      if (stopWhen !== undefined && stopWhen()) {
        this.stoppedByCondition = true;
        break;
      }
    }
    return ran;
  }

  private dropStaleTop(): void {
    while (this.heapSize > 0 && this.slotSeq[this.heapSlot[0]!] !== this.heapSeq[0]) {
      this.removeTop();
      this.staleEntries--;
    }
  }

  private releaseSlot(slot: number): void {
    this.callbacks[slot] = undefined;
    this.owners[slot] = undefined;
    this.onCancels[slot] = undefined;
    this.slotSeq[slot] = -1;
    this.slotGeneration[slot] = (this.slotGeneration[slot]! + 1) % GENERATION_LIMIT;
    this.freeSlots[this.freeCount++] = slot;
  }

  /** Places (time, seq, slot) at hole `i` and moves it up to its place. */
  private siftUp(i: number, time: number, seq: number, slot: number): void {
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = ht[parent]!;
      if (pt < time || (pt === time && hs[parent]! < seq)) break;
      ht[i] = pt;
      hs[i] = hs[parent]!;
      hl[i] = hl[parent]!;
      i = parent;
    }
    ht[i] = time;
    hs[i] = seq;
    hl[i] = slot;
  }

  /**
   * Floyd's bottom-up deletion: walk the hole at the root down to a leaf along the smaller children
   * (one comparison per level), then sift the last entry up from there. The last entry nearly always
   * belongs near the bottom, so this does fewer comparisons than sifting it down from the root.
   */
  private removeTop(): void {
    const last = --this.heapSize;
    if (last === 0) return;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last) {
        const ct = ht[child]!;
        const rt = ht[right]!;
        if (rt < ct || (rt === ct && hs[right]! < hs[child]!)) child = right;
      }
      ht[i] = ht[child]!;
      hs[i] = hs[child]!;
      hl[i] = hl[child]!;
      i = child;
    }
    this.siftUp(i, ht[last]!, hs[last]!, hl[last]!);
  }

  /** Places (time, seq, slot) at hole `i` and moves it down to its place. */
  private siftDown(i: number, time: number, seq: number, slot: number): void {
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    const size = this.heapSize;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      let ct = ht[child]!;
      let cs = hs[child]!;
      const right = child + 1;
      if (right < size) {
        const rt = ht[right]!;
        const rs = hs[right]!;
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      ht[i] = ct;
      hs[i] = cs;
      hl[i] = hl[child]!;
      i = child;
    }
    ht[i] = time;
    hs[i] = seq;
    hl[i] = slot;
  }

  /** Drops every stale entry and re-heapifies the live ones (Floyd's bottom-up build). */
  private compact(): void {
    let live = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const slot = this.heapSlot[i]!;
      if (this.slotSeq[slot] !== this.heapSeq[i]) continue;
      this.heapTime[live] = this.heapTime[i]!;
      this.heapSeq[live] = this.heapSeq[i]!;
      this.heapSlot[live] = slot;
      live++;
    }
    this.heapSize = live;
    this.staleEntries = 0;
    for (let i = (live >> 1) - 1; i >= 0; i--) {
      this.siftDown(i, this.heapTime[i]!, this.heapSeq[i]!, this.heapSlot[i]!);
    }
  }

  private growHeap(): void {
    const capacity = this.heapTime.length * 2;
    this.heapTime = grow(this.heapTime, new Float64Array(capacity));
    this.heapSeq = grow(this.heapSeq, new Float64Array(capacity));
    this.heapSlot = grow(this.heapSlot, new Int32Array(capacity));
  }

  private growSlots(): void {
    const old = this.slotSeq.length;
    if (old >= SLOT_LIMIT) {
      throw new RangeError(`more than ${SLOT_LIMIT} events pending at ${this.nowMs} ms: a runaway workload?`);
    }
    const capacity = Math.min(old * 2, SLOT_LIMIT);
    this.slotSeq = grow(this.slotSeq, new Float64Array(capacity).fill(-1));
    this.slotGeneration = grow(this.slotGeneration, new Uint32Array(capacity));
    this.freeSlots = new Int32Array(capacity);
    for (let i = 0; i < capacity - old; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeCount = capacity - old;
    for (let i = old; i < capacity; i++) {
      this.callbacks.push(undefined);
      this.owners.push(undefined);
      this.onCancels.push(undefined);
    }
  }
}

function grow<T extends Float64Array | Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
