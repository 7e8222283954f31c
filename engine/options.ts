import { z } from 'zod';
import { EngineError } from './errors.ts';
import type { ConsumeOptions, ExchangeOptions, QueueOptions } from './types.ts';

/**
 * Validation of declared options at the API edge. The schemas are strict, so a misspelt option is
 * an error instead of a silently ignored key, and a failure names the option's path.
 */
const nonNegativeMs = z.number().finite().nonnegative();

const RetryPolicySchema = z
  .strictObject({
    backoff: z.enum(['fixed', 'exponential']),
    delayMs: z.number().finite().positive(),
    maxDelayMs: z.number().finite().positive().optional(),
    jitter: z.number().min(0).max(1).optional(),
  })
  .refine((r) => r.maxDelayMs === undefined || r.maxDelayMs >= r.delayMs, { message: 'must be ≥ delayMs', path: ['maxDelayMs'] });

export const QueueOptionsSchema = z.strictObject({
  durable: z.boolean().optional(),
  maxPriority: z.number().int().min(1).max(255).optional(),
  messageTtlMs: nonNegativeMs.optional(),
  maxLength: z.number().int().nonnegative().optional(),
  overflow: z.enum(['drop-head', 'reject-publish', 'reject-publish-dlx']).optional(),
  deadLetterExchange: z.string().optional(),
  deadLetterRoutingKey: z.string().optional(),
  deliveryLimit: z.number().int().nonnegative().optional(),
  retry: RetryPolicySchema.optional(),
  dedupWindowMs: z.number().finite().positive().optional(),
});

export const ExchangeOptionsSchema = z.strictObject({
  durable: z.boolean().optional(),
  alternateExchange: z.string().optional(),
});

export const ConsumeOptionsSchema = z.strictObject({
  prefetch: z.number().int().nonnegative().max(65535).optional(),
  autoAck: z.boolean().optional(),
  consumerTag: z.string().min(1).optional(),
  exclusive: z.boolean().optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.length > 0 ? issue.path.join('.') : 'options';
  throw new EngineError('INVALID_ARGUMENT', `${where}: ${path}: ${issue.message}`);
}

export function parseQueueOptions(options: unknown, where: string): QueueOptions {
  return parse(QueueOptionsSchema, options, where);
}

export function parseExchangeOptions(options: unknown, where: string): ExchangeOptions {
  return parse(ExchangeOptionsSchema, options, where);
}

export function parseConsumeOptions(options: unknown, where: string): ConsumeOptions {
  return parse(ConsumeOptionsSchema, options, where);
}

/** The first option whose value differs, for RabbitMQ's "inequivalent arg" error on redeclaration. */
export function firstDifference(a: object, b: object): string | undefined {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of [...keys].sort()) {
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    if (JSON.stringify(x) !== JSON.stringify(y)) return key;
  }
  return undefined;
}
