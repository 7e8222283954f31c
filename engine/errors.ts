import { truncateQuoted } from './quoting.ts';

/**
 * Errors the engine throws for bad calls. Each carries a symbolic `code` and the AMQP 0-9-1 reply
 * code RabbitMQ would send for the same mistake, and names the offender in its message. A call that
 * throws has changed nothing.
 */
export type EngineErrorCode =
  | 'NOT_FOUND' // 404: no such exchange or queue
  | 'PRECONDITION_FAILED' // 406: redeclared with other options, unknown delivery tag, queue in use
  | 'ACCESS_REFUSED' // 403: touching the default exchange's implicit bindings or an amq.* name
  | 'INVALID_ARGUMENT' // 406: an option of the wrong type or out of range
  | 'RESOURCE_LOCKED' // 405: the queue's exclusive consumer is in the way
  | 'BROKER_CLOSED'; // 320: the broker was closed

const REPLY_CODES: Record<EngineErrorCode, number> = {
  NOT_FOUND: 404,
  PRECONDITION_FAILED: 406,
  ACCESS_REFUSED: 403,
  INVALID_ARGUMENT: 406,
  RESOURCE_LOCKED: 405,
  BROKER_CLOSED: 320,
};

export class EngineError extends Error {
  override name = 'EngineError';
  readonly replyCode: number;

  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(truncateQuoted(message));
    this.replyCode = REPLY_CODES[code];
  }
}
