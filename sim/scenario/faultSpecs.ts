import { z } from 'zod';

/**
 * The fault kinds added for Jepsen-, FoundationDB- and TigerBeetle-style testing: a disk that lies
 * or fails, network partitions, process pauses. Kept apart from schema.ts so each is one small
 * object; schema.ts spreads them into its FaultSpec union and calls checkNewFault in its refinement.
 */
const nonNegative = z.number().nonnegative().finite();
const positive = z.number().positive().finite();
const probability = z.number().min(0).max(1);

/** When a disk fault strikes: the first matching operation at or after each `atSec`, or each one in [fromSec, toSec) with `probability`. */
const diskWhen = {
  atSec: z.array(nonNegative).min(1).optional().describe('Hit the first matching disk operation at or after each of these times.'),
  fromSec: nonNegative.optional().describe('Or hit matching operations from this time…'),
  toSec: nonNegative.optional().describe('…until this time (default: the end of the run)…'),
  probability: probability.default(1).describe('…each with this chance.'),
};

export const NEW_FAULT_SPECS = [
  z.strictObject({
    kind: z.literal('disk-lie'),
    ...diskWhen,
  }).describe('fsync reports success but persists nothing: what it "covered" is lost at the next crash unless an honest fsync covers it first.'),
  z.strictObject({
    kind: z.literal('disk-corrupt'),
    mode: z.enum(['bit-flip', 'misdirect']).default('bit-flip').describe('bit-flip: one byte of the write is flipped; misdirect: the write lands in another file (or nowhere) and the intended file never gets it.'),
    ...diskWhen,
  }).describe('A write that reports success but is not what was asked for.'),
  z.strictObject({
    kind: z.literal('disk-error'),
    error: z.enum(['EIO', 'ENOSPC']).default('EIO'),
    op: z.enum(['append', 'sync']).default('sync').describe('Which operation fails.'),
    ...diskWhen,
  }).describe('A disk operation fails with an I/O error or a full disk; the engine fails its log, so every waiting and later confirm is negative until the broker restarts.'),
  z.strictObject({
    kind: z.literal('partition'),
    between: z.enum(['producers-broker', 'broker-consumers']),
    fromSec: nonNegative,
    toSec: nonNegative,
    direction: z
      .enum(['both', 'to-broker', 'from-broker'])
      .default('both')
      .describe('producers-broker drop mode only: cut both ways, only publishes (to-broker), or only confirms (from-broker: every publish lands but its confirm is lost, so retries duplicate).'),
    mode: z
      .enum(['drop', 'delay'])
      .default('drop')
      .describe('drop: what crosses the cut is lost (producers↔broker: publishes and confirms; broker↔consumers: the connections drop and reconnect when it heals); delay: it is held and arrives when the partition heals.'),
  }),
  z.strictObject({
    kind: z.literal('pause'),
    process: z.enum(['broker', 'consumer']),
    consumer: z.number().int().nonnegative().optional().describe('With process "consumer": its index among all consumer instances, in scenario order.'),
    atSec: z.array(nonNegative).min(1).describe('Stop-the-world pauses (GC) starting at these times…'),
    durationSec: positive.describe('…each this long: nothing goes in or out of the process, nothing it does completes.'),
  }),
] as const;

export type NewFaultSpec = z.infer<(typeof NEW_FAULT_SPECS)[number]>;
export type DiskFaultSpec = Extract<NewFaultSpec, { kind: 'disk-lie' | 'disk-corrupt' | 'disk-error' }>;

/** Cross-field checks of the new kinds (zod objects here stay plain so the union can discriminate on them). */
export function checkNewFault(f: { kind: string } & Record<string, unknown>, consumerInstances: number): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const fault = f as NewFaultSpec | { kind: 'other' };
  switch (fault.kind) {
    case 'disk-lie':
    case 'disk-corrupt':
    case 'disk-error':
      if ((fault.atSec === undefined) === (fault.fromSec === undefined)) issues.push({ path: ['atSec'], message: 'give either atSec or fromSec (with optional toSec and probability)' });
      if (fault.atSec !== undefined && (fault.toSec !== undefined || fault.probability !== 1)) issues.push({ path: ['toSec'], message: 'toSec and probability go with fromSec, not atSec' });
      if (fault.fromSec !== undefined && fault.toSec !== undefined && fault.toSec < fault.fromSec) issues.push({ path: ['toSec'], message: 'must be ≥ fromSec' });
      break;
    case 'partition':
      if (fault.toSec < fault.fromSec) issues.push({ path: ['toSec'], message: 'must be ≥ fromSec' });
      if (fault.direction !== 'both' && (fault.mode !== 'drop' || fault.between !== 'producers-broker')) issues.push({ path: ['direction'], message: 'a one-way cut is for producers-broker in drop mode' });
      break;
    case 'pause':
      if (fault.process === 'consumer' && fault.consumer === undefined) issues.push({ path: ['consumer'], message: 'say which consumer instance pauses' });
      if (fault.process === 'broker' && fault.consumer !== undefined) issues.push({ path: ['consumer'], message: 'only a consumer pause names a consumer' });
      if (fault.consumer !== undefined && fault.consumer >= consumerInstances) issues.push({ path: ['consumer'], message: `there are only ${consumerInstances} consumer instances` });
      break;
  }
  return issues;
}

/** Kinds whose firing voids the engine's durability promise: a confirmed loss after one is the fault's doing. */
export const PROMISE_BREAKING_KINDS: ReadonlySet<string> = new Set(['disk-lie', 'disk-corrupt']);
