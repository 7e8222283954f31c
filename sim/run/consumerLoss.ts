import { ACKED, type Tracker } from './tracker.ts';

/** The accounting term auto ack adds: what the broker let go of that no consumer finished. */
export interface ConsumerLoss {
  /**
   * Queue copies the broker settled at delivery (auto ack) that no consumer finished processing:
   * dropped from a consumer's buffer or mid-service when its connection died (consumer or broker
   * crash), or failed under auto ack. Manual ack never adds to it: an unacked delivery is requeued.
   */
  lostInConsumer: number;
}

/**
 * Counts copies acked (by the broker, at delivery) whose service never ended successfully. Under
 * manual ack a copy is acked only after its service ended, so this is auto ack's loss alone.
 */
export function consumerLoss(tracker: Tracker): ConsumerLoss {
  let lostInConsumer = 0;
  for (let c = 0; c < tracker.copies; c++) if (tracker.outcome[c] === ACKED && tracker.endMs[c]! < 0) lostInConsumer++;
  return { lostInConsumer };
}
