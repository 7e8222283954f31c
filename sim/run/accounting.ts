import { ACKED, DEAD_LETTERED, IN_BROKER, VANISHED, type Tracker } from './tracker.ts';

export interface Accounting {
  /** Messages the producers created. */
  attempted: number;
  /** Publishes the broker received (it was up). */
  published: number;
  /** Positive confirms that reached the producers. */
  confirmed: number;
  /** Negative confirms (a full queue refused it). */
  refused: number;
  /** Publishes that found the broker down. */
  unavailable: number;
  /** Queue copies delivered at least once, and deliveries in all. */
  delivered: number;
  deliveries: number;
  redeliveries: number;
  /** Queue copies acked. */
  acked: number;
  /** Queue copies dead-lettered or dropped by policy (TTL, length limit, rejection, delivery limit). */
  deadLettered: number;
  deadLetteredByReason: Record<string, number>;
  /** Confirmed messages with a copy that vanished: never acked or dead-lettered, and not in the broker at the end. */
  lost: number;
  /** Published (not confirmed) messages with a copy that vanished. */
  lostUnconfirmed: number;
  /** Copies still in the broker when the drain ended. */
  stranded: number;
  /**
   * Messages the broker held but could not reach when the drain ended (down, or still recovering),
   * found intact by a recovery after the run: not lost, not delivered either.
   */
  unavailableAtEnd: number;
  /** Publishes the broker accepted but routed to no queue: they exist nowhere (RabbitMQ drops them). */
  unroutable: number;
  /** Of those, the ones published mandatory, which the broker returned to their publisher. */
  returned: number;
  /** Copies delivered again after they were acked. */
  duplicated: number;
  /** Deliveries, arrivals or recoveries of something never published. */
  unexpected: number;
  /** Service attempts that failed (nacked, or lost under auto-ack). */
  failures: number;
}

/** Jepsen-style final accounting, after the drain. */
export function account(tracker: Tracker): Accounting {
  // Retired messages (see trackerRows.ts) are in `retired`; the live rows are walked.
  let { delivered, acked, deadLettered } = tracker.retired;
  let stranded = 0;
  const vanishedMessage = new Uint8Array(tracker.messages - tracker.msgBase);
  for (let c = tracker.copyBase; c < tracker.copies; c++) {
    const r = tracker.row(c);
    if (tracker.copyMessage[r]! < tracker.msgBase) continue;
    if (tracker.deliveries[r]! > 0) delivered++;
    const outcome = tracker.outcome[r];
    if (outcome === ACKED) acked++;
    else if (outcome === DEAD_LETTERED) deadLettered++;
    else if (outcome === IN_BROKER) stranded++;
    else if (outcome === VANISHED) vanishedMessage[tracker.copyMessage[r]! - tracker.msgBase] = 1;
  }
  let lost = 0;
  let lostUnconfirmed = 0;
  for (let m = tracker.msgBase; m < tracker.messages; m++) {
    if (vanishedMessage[m - tracker.msgBase] === 0) continue;
    if (tracker.msgConfirmed[tracker.msgRow(m)] === 1) lost++;
    else lostUnconfirmed++;
  }
  const c = tracker.counts;
  return {
    attempted: tracker.messages,
    published: c.published,
    confirmed: c.confirmed,
    refused: c.refused,
    unavailable: c.unavailable,
    delivered,
    deliveries: c.deliveries,
    redeliveries: c.redeliveries,
    acked,
    deadLettered,
    deadLetteredByReason: { ...tracker.deadLetteredBy },
    lost,
    lostUnconfirmed,
    stranded,
    unavailableAtEnd: 0,
    unroutable: c.unroutable,
    returned: c.returned,
    duplicated: c.duplicated,
    unexpected: c.unexpected,
    failures: c.failures,
  };
}
