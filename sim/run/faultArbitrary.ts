import fc from 'fast-check';
import type { ScenarioInput } from '../scenario/schema.ts';

/**
 * Random small scenarios under random fault schedules, for the fault property and its long run:
 * one or two queues, producers and consumers with any ack mode, fsync policy, confirms and network
 * latency, and broker crashes, consumer crashes, disk stalls, slow disks and latency spikes at
 * random times. Half the cases are the configuration where the engine promises no confirmed
 * message is ever lost (fsync always, confirms, persistent, durable queues, manual ack), so that
 * promise is checked under every schedule too.
 */
const exp = (mean: number) => ({ dist: 'exponential' as const, mean });

export interface FaultCase {
  scenario: ScenarioInput;
  seed: number;
}

export function faultCase(options: { maxDurationSec?: number } = {}): fc.Arbitrary<FaultCase> {
  const maxDurationSec = options.maxDurationSec ?? 3;
  return fc
    .record({
      durationSec: fc.double({ min: 0.2, max: maxDurationSec, noNaN: true }),
      promised: fc.boolean(),
      fsync: fc.constantFrom('always', 'batch', 'never', 'memory'),
      queues: fc.integer({ min: 1, max: 2 }),
      durableQueues: fc.boolean(),
      producers: fc.array(
        fc.record({
          queue: fc.nat(1),
          // Now and then a key that reaches no queue (unroutable; returned when mandatory).
          misrouted: fc.constantFrom(false, false, false, true),
          mandatory: fc.boolean(),
          ratePerSec: fc.double({ min: 5, max: 300, noNaN: true }),
          confirms: fc.boolean(),
          persistent: fc.boolean(),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      consumers: fc.array(
        fc.record({
          queue: fc.nat(1),
          count: fc.integer({ min: 1, max: 3 }),
          prefetch: fc.integer({ min: 1, max: 20 }),
          manual: fc.boolean(),
          serviceMeanMs: fc.double({ min: 0.1, max: 20, noNaN: true }),
          failureProbability: fc.constantFrom(0, 0, 0.1),
        }),
        { minLength: 0, maxLength: 2 },
      ),
      slowReads: fc.boolean(),
      latencyMs: fc.option(fc.double({ min: 0.01, max: 2, noNaN: true })),
      faults: fc.array(fault(), { maxLength: 6 }),
      seed: fc.nat(1_000_000),
    })
    .map((g) => {
      const q = (i: number) => `q${i % g.queues}`;
      const consumerInstances = g.consumers.reduce((n, c) => n + c.count, 0);
      const durability = g.promised ? 'always' : g.fsync;
      const scenario: ScenarioInput = {
        name: 'fault-property',
        durationSec: g.durationSec,
        drainSec: 60,
        replications: 1,
        broker: {
          ...(durability === 'memory' ? {} : { durability: { fsync: durability, batchMs: 2 } }),
          // A disk so slow that a recovery may still be running when the drain ends.
          ...(g.slowReads ? { disk: { readMBPerSec: 0.01 } } : {}),
          queues: Array.from({ length: g.queues }, (_, i) => ({ name: `q${i}`, durable: g.promised || g.durableQueues })),
        },
        producers: g.producers.map((p) => ({
          routingKey: p.misrouted ? 'nowhere' : q(p.queue),
          mandatory: p.mandatory,
          arrivals: { process: 'poisson' as const, ratePerSec: p.ratePerSec },
          confirms: g.promised || p.confirms,
          persistent: g.promised || p.persistent,
        })),
        consumers: g.consumers.map((c) => ({
          queue: q(c.queue),
          count: c.count,
          prefetch: c.prefetch,
          ack: g.promised || c.manual ? ('manual' as const) : ('auto' as const),
          serviceTimeMs: exp(c.serviceMeanMs),
          failureProbability: c.failureProbability,
        })),
        ...(g.latencyMs !== null ? { network: { publishLatencyMs: exp(g.latencyMs), deliverLatencyMs: exp(g.latencyMs), ackLatencyMs: exp(g.latencyMs) } } : {}),
        faults: g.faults
          .filter((f) => f.kind !== 'consumer-crash' || consumerInstances > 0)
          .map((f) => scaleFault(f, g.durationSec, consumerInstances)),
      };
      return { scenario, seed: g.seed };
    });
}

type RawFault =
  | { kind: 'broker-crash'; at: number[]; mttrSec: number; fixedRestart: boolean }
  | { kind: 'consumer-crash'; at: number[]; consumer: number; reconnectAfterSec: number }
  | { kind: 'disk-stall'; at: number; durationSec: number }
  | { kind: 'disk-slow'; from: number; length: number; factor: number }
  | { kind: 'latency-spike'; from: number; length: number; factor: number };

/** Times as fractions of the run, scaled once its duration is known. */
function fault(): fc.Arbitrary<RawFault> {
  const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
  return fc.oneof(
    fc.record({ kind: fc.constant('broker-crash' as const), at: fc.array(at, { minLength: 1, maxLength: 3 }), mttrSec: fc.constantFrom(0, 0.01, 0.3, 2, 1e6), fixedRestart: fc.boolean() }),
    fc.record({ kind: fc.constant('consumer-crash' as const), at: fc.array(at, { minLength: 1, maxLength: 3 }), consumer: fc.nat(5), reconnectAfterSec: fc.constantFrom(0, 0.05, 0.5) }),
    fc.record({ kind: fc.constant('disk-stall' as const), at, durationSec: fc.double({ min: 0.001, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('disk-slow' as const), from: at, length: at, factor: fc.double({ min: 1, max: 100, noNaN: true }) }),
    fc.record({ kind: fc.constant('latency-spike' as const), from: at, length: at, factor: fc.double({ min: 1, max: 100, noNaN: true }) }),
  );
}

function scaleFault(f: RawFault, durationSec: number, consumers: number) {
  const t = (x: number) => x * durationSec;
  switch (f.kind) {
    case 'broker-crash':
      return { kind: f.kind, atSec: f.at.map(t), mttrSec: f.mttrSec, fixedRestart: f.fixedRestart };
    case 'consumer-crash':
      return { kind: f.kind, atSec: f.at.map(t), consumer: f.consumer % consumers, reconnectAfterSec: f.reconnectAfterSec };
    case 'disk-stall':
      return { kind: f.kind, atSec: t(f.at), durationSec: f.durationSec };
    default:
      return { kind: f.kind, fromSec: t(f.from), toSec: t(Math.min(1, f.from + f.length)), factor: f.factor };
  }
}
