/** Where a queue copy of a message is, as far as the run can tell. */
export const IN_BROKER = 0;
export const ACKED = 1;
export const DEAD_LETTERED = 2;
/** The broker crashed while holding it, and it has not come back (yet). */
export const VANISHED = 3;

/** msgPublished: 0 not yet known, 1 the broker received it, 2 the broker was down. */
export const UNAVAILABLE = 2;
/** msgConfirmed: 0 no answer yet, 1 confirmed, 2 refused (nack). */
export const NACKED = 2;

const FIRST_CAPACITY = 1024;

/**
 * The tracker's rows — one per published message and one per queue copy of it — as parallel typed
 * arrays used as rings: a message (copy) id is stable for the whole run, and its row is at
 * `id & mask`. Rows in [base, count) are live. When recycling is on, a message whose copies have all
 * settled (acked or dead-lettered, and out of the consumer's hands) and whose publish and confirm
 * are answered is retired, its copies' outcomes added to `retired`, and its rows reused: memory then
 * follows the messages in the system, not every message ever simulated. Without recycling base
 * stays 0 and the rings only grow, so `row === id` and the columns can be read directly by id.
 */
export class TrackerRows {
  // Per published message.
  protected msgMask = FIRST_CAPACITY - 1;
  /** Messages created so far (ids 0 … messages − 1). */
  messages = 0;
  /** Oldest message id whose row is still held. */
  msgBase = 0;
  msgCreatedMs = new Float64Array(FIRST_CAPACITY);
  msgPublished = new Uint8Array(FIRST_CAPACITY);
  msgConfirmed = new Uint8Array(FIRST_CAPACITY);
  /** A queue refused it (overflow reject-publish): M/M/c/K blocking. */
  msgRejected = new Uint8Array(FIRST_CAPACITY);
  msgFirstCopy = new Int32Array(FIRST_CAPACITY).fill(-1);

  // Per queue copy.
  protected copyMask = FIRST_CAPACITY - 1;
  copies = 0;
  copyBase = 0;
  copyMessage = new Int32Array(FIRST_CAPACITY);
  copyQueue = new Int32Array(FIRST_CAPACITY);
  copyNext = new Int32Array(FIRST_CAPACITY);
  copyClass = new Uint8Array(FIRST_CAPACITY);
  arrivalMs = new Float64Array(FIRST_CAPACITY);
  firstDeliveryMs = new Float64Array(FIRST_CAPACITY);
  serviceStartMs = new Float64Array(FIRST_CAPACITY);
  endMs = new Float64Array(FIRST_CAPACITY);
  deliveries = new Uint16Array(FIRST_CAPACITY);
  outcome = new Uint8Array(FIRST_CAPACITY);
  /** Broker incarnation in which the copy is delivered and not yet settled; 0 when none. */
  outstanding = new Int32Array(FIRST_CAPACITY);
  /** The consumer instance it was last delivered to. */
  holder = new Int32Array(FIRST_CAPACITY);
  duplicateSeen = new Uint8Array(FIRST_CAPACITY);
  /** Delivered to a consumer whose service of it has not ended yet. */
  inHands = new Uint8Array(FIRST_CAPACITY);

  /** Retire settled messages (set by the replication when nothing can bring a settled message back). */
  recycle = false;
  /** Some producer asks for confirms: a message is retired only once its confirm (or nack) arrived. */
  confirmsExpected = false;
  /** What the retired copies came to, for the final accounting. */
  readonly retired = { delivered: 0, acked: 0, deadLettered: 0 };

  /** Rows allocated per message and per copy (the rings' capacities). */
  get rowCapacity(): { messages: number; copies: number } {
    return { messages: this.msgMask + 1, copies: this.copyMask + 1 };
  }

  msgRow(id: number): number {
    return id & this.msgMask;
  }

  row(copy: number): number {
    return copy & this.copyMask;
  }

  /** A new message id, with its row cleared. */
  protected newMessage(atMs: number): number {
    if (this.messages - this.msgBase > this.msgMask) {
      if (this.recycle) this.retireSettled();
      if (this.messages - this.msgBase > this.msgMask) this.growMessages();
    }
    const id = this.messages++;
    const r = id & this.msgMask;
    this.msgCreatedMs[r] = atMs;
    this.msgPublished[r] = 0;
    this.msgConfirmed[r] = 0;
    this.msgRejected[r] = 0;
    this.msgFirstCopy[r] = -1;
    return id;
  }

  findCopy(message: number, queue: number): number {
    if (message < this.msgBase || message >= this.messages) return -1;
    for (let c = this.msgFirstCopy[message & this.msgMask]!; c >= 0; c = this.copyNext[c & this.copyMask]!) if (this.copyQueue[c & this.copyMask] === queue) return c;
    return -1;
  }

  protected newCopy(message: number, queue: number, priority: number, atMs: number): number {
    if (this.copies - this.copyBase > this.copyMask) {
      this.advanceCopyBase();
      if (this.copies - this.copyBase > this.copyMask) this.growCopies();
    }
    const c = this.copies++;
    const r = c & this.copyMask;
    const m = message & this.msgMask;
    this.copyMessage[r] = message;
    this.copyQueue[r] = queue;
    this.copyClass[r] = priority;
    this.copyNext[r] = this.msgFirstCopy[m]!;
    this.msgFirstCopy[m] = c;
    this.arrivalMs[r] = atMs;
    this.firstDeliveryMs[r] = -1;
    this.serviceStartMs[r] = -1;
    this.endMs[r] = -1;
    this.deliveries[r] = 0;
    this.outcome[r] = IN_BROKER;
    this.outstanding[r] = 0;
    this.holder[r] = 0;
    this.duplicateSeen[r] = 0;
    this.inHands[r] = 0;
    return c;
  }

  /** Retires the oldest messages while they are settled; stops at the first that is not. */
  private retireSettled(): void {
    while (this.msgBase < this.messages && this.isSettled(this.msgBase)) {
      for (let c = this.msgFirstCopy[this.msgBase & this.msgMask]!; c >= 0; c = this.copyNext[c & this.copyMask]!) {
        const r = c & this.copyMask;
        if (this.deliveries[r]! > 0) this.retired.delivered++;
        if (this.outcome[r] === ACKED) this.retired.acked++;
        else this.retired.deadLettered++;
      }
      this.msgBase++;
    }
    this.advanceCopyBase();
  }

  private isSettled(id: number): boolean {
    const m = id & this.msgMask;
    if (this.msgPublished[m] === 0) return false;
    if (this.confirmsExpected && this.msgConfirmed[m] === 0 && this.msgPublished[m] !== UNAVAILABLE) return false;
    for (let c = this.msgFirstCopy[m]!; c >= 0; c = this.copyNext[c & this.copyMask]!) {
      const r = c & this.copyMask;
      const outcome = this.outcome[r];
      if ((outcome !== ACKED && outcome !== DEAD_LETTERED) || this.inHands[r] === 1) return false;
    }
    return true;
  }

  /** Copies of retired messages free their rows (every copy of a live message is at or after copyBase). */
  private advanceCopyBase(): void {
    while (this.copyBase < this.copies && this.copyMessage[this.copyBase & this.copyMask]! < this.msgBase) this.copyBase++;
  }

  private growMessages(): void {
    const [from, to, oldMask] = [this.msgBase, this.messages, this.msgMask];
    const n = (oldMask + 1) * 2;
    this.msgMask = n - 1;
    const move = <T extends Ring>(a: T, b: T) => relayout(a, b, from, to, oldMask, n - 1);
    this.msgCreatedMs = move(this.msgCreatedMs, new Float64Array(n));
    this.msgPublished = move(this.msgPublished, new Uint8Array(n));
    this.msgConfirmed = move(this.msgConfirmed, new Uint8Array(n));
    this.msgRejected = move(this.msgRejected, new Uint8Array(n));
    this.msgFirstCopy = move(this.msgFirstCopy, new Int32Array(n).fill(-1));
  }

  private growCopies(): void {
    const [from, to, oldMask] = [this.copyBase, this.copies, this.copyMask];
    const n = (oldMask + 1) * 2;
    this.copyMask = n - 1;
    const move = <T extends Ring>(a: T, b: T) => relayout(a, b, from, to, oldMask, n - 1);
    this.copyMessage = move(this.copyMessage, new Int32Array(n));
    this.copyQueue = move(this.copyQueue, new Int32Array(n));
    this.copyNext = move(this.copyNext, new Int32Array(n));
    this.copyClass = move(this.copyClass, new Uint8Array(n));
    this.arrivalMs = move(this.arrivalMs, new Float64Array(n));
    this.firstDeliveryMs = move(this.firstDeliveryMs, new Float64Array(n));
    this.serviceStartMs = move(this.serviceStartMs, new Float64Array(n));
    this.endMs = move(this.endMs, new Float64Array(n));
    this.deliveries = move(this.deliveries, new Uint16Array(n));
    this.outcome = move(this.outcome, new Uint8Array(n));
    this.outstanding = move(this.outstanding, new Int32Array(n));
    this.holder = move(this.holder, new Int32Array(n));
    this.duplicateSeen = move(this.duplicateSeen, new Uint8Array(n));
    this.inHands = move(this.inHands, new Uint8Array(n));
  }
}

type Ring = Float64Array | Int32Array | Uint8Array | Uint16Array;

/** Copies the live ids [from, to) from a ring of mask `oldMask` into one of mask `newMask`. */
function relayout<T extends Ring>(old: T, to_: T, from: number, to: number, oldMask: number, newMask: number): T {
  for (let id = from; id < to; id++) to_[id & newMask] = old[id & oldMask]!;
  return to_;
}
