import { describe, expect, it } from 'vitest';
import { EngineError } from './errors.ts';
import { firstDifference, parseConsumeOptions, parseExchangeOptions, parseQueueOptions } from './options.ts';

// Bounds from RabbitMQ and AMQP 0-9-1: x-max-priority is 1..255 (priority guide), basic.qos
// prefetch-count is an unsigned short with 0 meaning no limit, x-message-ttl, x-max-length and
// x-delivery-limit are non-negative (TTL 0 is allowed: expire unless delivered at once), and a
// redeclaration with different arguments is PRECONDITION_FAILED naming the first differing one.

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('INVALID_ARGUMENT');
    return (error as EngineError).message;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('queue options', () => {
  it('accepts the boundaries and missing options', () => {
    expect(parseQueueOptions(undefined, 'declareQueue')).toEqual({});
    expect(parseQueueOptions(null, 'declareQueue')).toEqual({});
    const edge = { maxPriority: 255, messageTtlMs: 0, maxLength: 0, deliveryLimit: 0, dedupWindowMs: 0.5, retry: { backoff: 'fixed', delayMs: 1, maxDelayMs: 1, jitter: 1 } };
    expect(parseQueueOptions(edge, 'q')).toEqual(edge);
    expect(parseQueueOptions({ maxPriority: 1, retry: { backoff: 'exponential', delayMs: 2, jitter: 0 } }, 'q')).toMatchObject({ maxPriority: 1 });
  });

  it('rejects values outside RabbitMQ\'s ranges, naming the option and the call', () => {
    expect(rejection(() => parseQueueOptions({ maxPriority: 0 }, 'declareQueue'))).toMatch(/^declareQueue: maxPriority: /);
    expect(rejection(() => parseQueueOptions({ maxPriority: 256 }, 'q'))).toMatch(/maxPriority/);
    expect(rejection(() => parseQueueOptions({ maxPriority: 2.5 }, 'q'))).toMatch(/maxPriority/);
    expect(rejection(() => parseQueueOptions({ messageTtlMs: -1 }, 'q'))).toMatch(/messageTtlMs/);
    expect(rejection(() => parseQueueOptions({ messageTtlMs: Infinity }, 'q'))).toMatch(/messageTtlMs/);
    expect(rejection(() => parseQueueOptions({ maxLength: -1 }, 'q'))).toMatch(/maxLength/);
    expect(rejection(() => parseQueueOptions({ maxLength: 1.5 }, 'q'))).toMatch(/maxLength/);
    expect(rejection(() => parseQueueOptions({ deliveryLimit: -1 }, 'q'))).toMatch(/deliveryLimit/);
    expect(rejection(() => parseQueueOptions({ overflow: 'drop-tail' }, 'q'))).toMatch(/overflow/);
    expect(rejection(() => parseQueueOptions({ dedupWindowMs: 0 }, 'q'))).toMatch(/dedupWindowMs/);
    expect(rejection(() => parseQueueOptions({ durable: 'yes' }, 'q'))).toMatch(/durable/);
  });

  it('a misspelt option is an error, not ignored', () => {
    expect(rejection(() => parseQueueOptions({ messageTTL: 5 }, 'q'))).toMatch(/^q: options: /);
    expect(rejection(() => parseQueueOptions({ retry: { backoff: 'fixed', delayMs: 1, delay: 2 } }, 'q'))).toMatch(/^q: retry: /);
  });

  it('retry: delay positive, jitter in [0, 1], maxDelayMs not below delayMs (error on maxDelayMs)', () => {
    expect(rejection(() => parseQueueOptions({ retry: { backoff: 'fixed', delayMs: 0 } }, 'q'))).toMatch(/retry\.delayMs/);
    expect(rejection(() => parseQueueOptions({ retry: { backoff: 'fixed', delayMs: 1, jitter: 1.01 } }, 'q'))).toMatch(/retry\.jitter/);
    expect(rejection(() => parseQueueOptions({ retry: { backoff: 'fixed', delayMs: 1, jitter: -0.01 } }, 'q'))).toMatch(/retry\.jitter/);
    expect(rejection(() => parseQueueOptions({ retry: { backoff: 'linear', delayMs: 1 } }, 'q'))).toMatch(/retry\.backoff/);
    expect(rejection(() => parseQueueOptions({ retry: { backoff: 'fixed', delayMs: 10, maxDelayMs: 9 } }, 'q'))).toBe('q: retry.maxDelayMs: must be ≥ delayMs');
  });
});

describe('exchange and consume options', () => {
  it('exchange: durable and alternateExchange only', () => {
    expect(parseExchangeOptions({ durable: true, alternateExchange: 'ae' }, 'x')).toEqual({ durable: true, alternateExchange: 'ae' });
    expect(parseExchangeOptions(undefined, 'x')).toEqual({});
    expect(rejection(() => parseExchangeOptions({ internal: true }, 'declareExchange'))).toMatch(/^declareExchange: options: /);
    expect(rejection(() => parseExchangeOptions({ alternateExchange: 1 }, 'x'))).toMatch(/alternateExchange/);
  });

  it('consume: prefetch 0..65535 (unsigned short), a non-empty consumer tag', () => {
    expect(parseConsumeOptions({ prefetch: 0, autoAck: true, exclusive: false, consumerTag: 'c' }, 'c')).toEqual({ prefetch: 0, autoAck: true, exclusive: false, consumerTag: 'c' });
    expect(parseConsumeOptions({ prefetch: 65535 }, 'c')).toEqual({ prefetch: 65535 });
    expect(parseConsumeOptions(undefined, 'c')).toEqual({});
    expect(rejection(() => parseConsumeOptions({ prefetch: 65536 }, 'consume'))).toMatch(/^consume: prefetch: /);
    expect(rejection(() => parseConsumeOptions({ prefetch: -1 }, 'c'))).toMatch(/prefetch/);
    expect(rejection(() => parseConsumeOptions({ prefetch: 1.5 }, 'c'))).toMatch(/prefetch/);
    expect(rejection(() => parseConsumeOptions({ consumerTag: '' }, 'c'))).toMatch(/consumerTag/);
    expect(rejection(() => parseConsumeOptions({ noAck: true }, 'c'))).toMatch(/options/);
  });
});

describe('firstDifference (inequivalent arg on redeclaration)', () => {
  it('is undefined for equal options, whatever the key order', () => {
    expect(firstDifference({ a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 })).toBeUndefined();
    expect(firstDifference({}, {})).toBeUndefined();
  });

  it('names the first differing option in alphabetical order, including one present on one side only', () => {
    expect(firstDifference({ maxLength: 1, durable: true }, { maxLength: 2, durable: false })).toBe('durable');
    expect(firstDifference({ b: 1 }, { b: 1, a: 2 })).toBe('a');
    expect(firstDifference({ z: 1, a: 2 }, { a: 2 })).toBe('z');
    expect(firstDifference({ retry: { delayMs: 1 } }, { retry: { delayMs: 2 } })).toBe('retry');
  });
});
