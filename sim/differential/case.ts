/**
 * A differential case: a short script of AMQP operations, replayed step by step against a real
 * RabbitMQ (sim/differential/rabbitRunner.ts) and against queuelab's engine (engineRunner.ts). Both
 * runners turn it into the same Outcome shape, so the two can be compared field by field.
 *
 * Messages are named by `id`: it is both the body and the `messageId`, and settle steps refer to a
 * delivery by the id of the message it carried (the runner keeps the delivery tag).
 */
/**
 * How long a step lasts after its operation: the RabbitMQ runner waits until nothing has arrived
 * for this long (deliveries and dead-letter hops are asynchronous there), and the engine runner
 * advances its virtual clock by the same amount, so both timelines agree on when TTLs run out.
 * Topology steps (exchange, queue, bind) take no time.
 */
export const STEP_QUIET_MS = 60;

/** Steps that are synchronous on both sides and take no time. */
export function isTopologyStep(step: { op: string }): boolean {
  return step.op === 'exchange' || step.op === 'queue' || step.op === 'bind';
}

export type HeaderValue = string | number | boolean | null;

export interface QueueArgs {
  maxPriority?: number;
  messageTtlMs?: number;
  maxLength?: number;
  overflow?: 'drop-head' | 'reject-publish' | 'reject-publish-dlx';
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
  /** RabbitMQ 3.10 honours `x-delivery-limit` only on quorum queues: such cases set `quorum`. */
  deliveryLimit?: number;
  /** Declare a quorum queue on RabbitMQ (durable, `x-queue-type: quorum`); the engine has one queue type. */
  quorum?: boolean;
}

export type Step =
  | { op: 'exchange'; name: string; type: 'direct' | 'fanout' | 'topic' | 'headers'; alternateExchange?: string }
  | { op: 'queue'; name: string; args?: QueueArgs }
  | { op: 'bind'; queue: string; exchange: string; key: string; args?: Record<string, HeaderValue> }
  | {
      op: 'publish';
      id: string;
      exchange?: string;
      key: string;
      priority?: number;
      expirationMs?: number;
      headers?: Record<string, HeaderValue>;
      mandatory?: boolean;
    }
  /** One consumer, on its own channel (the engine has no channels: each consumer is one). */
  | { op: 'consume'; tag: string; queue: string; prefetch?: number; exclusive?: boolean; noAck?: boolean }
  /** Cancels the consumer and closes its channel, which is what returns its unacked deliveries in RabbitMQ. */
  | { op: 'cancel'; tag: string }
  | { op: 'get'; queue: string; noAck?: boolean }
  | { op: 'ack'; id: string; multiple?: boolean }
  | { op: 'nack'; id: string; multiple?: boolean; requeue?: boolean }
  | { op: 'reject'; id: string; requeue?: boolean }
  | { op: 'purge'; queue: string }
  /** Ready messages and consumers, as a passive queue.declare reports them. */
  | { op: 'count'; queue: string }
  /** Real time on RabbitMQ, virtual time on the engine. */
  | { op: 'wait'; ms: number };

export interface Case {
  /** Unique, kebab-case; also the name of its recorded file. */
  name: string;
  /** What RabbitMQ behaviour the case pins down. */
  about: string;
  steps: Step[];
}

/** A message as a consumer or basic.get saw it. Fields absent on the wire are absent here. */
export interface SeenMessage {
  id: string;
  redelivered: boolean;
  exchange: string;
  routingKey: string;
  priority?: number;
  /** The `expiration` property (ms, as RabbitMQ's string). */
  expiration?: string;
  /** Headers other than `x-death`, keys sorted. */
  headers?: Record<string, unknown>;
  /** `x-death` with its `time` fields removed (they are wall-clock). */
  xDeath?: Record<string, unknown>[];
}

/** What one step produced; deliveries it caused are listed per consumer, in arrival order. */
export type Observation =
  | { step: number; op: 'publish'; id: string; confirm: 'ack' | 'nack'; returned?: { replyCode: number; replyText: string } }
  | ({ step: number; op: 'deliver'; consumer: string } & SeenMessage)
  | ({ step: number; op: 'get'; messageCount: number } & SeenMessage)
  | { step: number; op: 'get-empty' }
  | { step: number; op: 'count'; queue: string; messages: number; consumers: number }
  | { step: number; op: 'purge'; queue: string; messages: number }
  | { step: number; op: 'error'; replyCode: number };

export interface Outcome {
  case: string;
  observations: Observation[];
}
