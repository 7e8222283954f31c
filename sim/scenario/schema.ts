import { z } from 'zod';
import { ExchangeOptionsSchema, QueueOptionsSchema } from '../../engine/index.ts';
import { DistributionSpec, makeDistribution } from '../dist/spec.ts';
import { ConfirmWindowSpec } from './confirmWindowSpec.ts';
import { checkNewFault, NEW_FAULT_SPECS } from './faultSpecs.ts';
import { ForwardSpec, PatienceSpec } from './pipelineSpec.ts';
import { TIME_VARYING_ARRIVALS } from './loadSpec.ts';
import { DATA_FILE_FIELDS } from './dataFileSpec.ts';
import { FLEET_FIELDS } from './fleetSpec.ts';
import { ExpectSpec } from './expectSpec.ts';
import { checkStore, DatabaseCrashFaultSpec, STORE_FIELDS } from './storeSpec.ts';

/**
 * A scenario: one question a planner, teacher or engineer asks of a queue design, as data. The zod
 * schema is the type. Units are in field names (Ms, Sec, PerSec, Bytes); every distribution is
 * written `{ "dist": …, "mean": …, "scv": … }`; the topology uses the engine's AMQP words; faults are
 * data, seeded like everything else. Objects are strict, so a misspelt field is an error, not a
 * silently ignored one.
 */
const name = z.string().min(1).max(255);
const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();
const probability = z.number().min(0).max(1);
const headerValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ArrivalSpec = z.discriminatedUnion('process', [
  z.strictObject({
    process: z.literal('poisson'),
    ratePerSec: positive.describe('Mean arrivals per second; exponential gaps between them.'),
  }),
  z.strictObject({
    process: z.literal('deterministic'),
    ratePerSec: positive.describe('Arrivals per second, exactly evenly spaced.'),
  }),
  z.strictObject({
    process: z.literal('onoff'),
    onRatePerSec: positive.describe('Poisson rate while "on" (a burst).'),
    offRatePerSec: nonNegative.default(0).describe('Poisson rate while "off".'),
    meanOnSec: positive.describe('Mean length of an on period (exponential).'),
    meanOffSec: positive.describe('Mean length of an off period (exponential).'),
  }),
  z.strictObject({
    process: z.literal('renewal'),
    interArrivalMs: DistributionSpec.describe('Independent gaps between arrivals from any distribution.'),
  }),
  z
    .strictObject({
      process: z.literal('trace'),
      interArrivalMs: z.array(nonNegative).min(1).optional().describe('Recorded gaps, replayed in order and then from the start.'),
      ...DATA_FILE_FIELDS,
    })
    .refine((t) => (t.interArrivalMs === undefined) !== (t.file === undefined), { message: 'give either interArrivalMs or file', path: ['interArrivalMs'] }),
  ...TIME_VARYING_ARRIVALS,
]);
export type ArrivalSpec = z.infer<typeof ArrivalSpec>;

/** A queue as the scenario declares it: the engine's own option schema (so both validate alike), plus its name. */
export const QueueSpec = QueueOptionsSchema.extend({ name, durable: z.boolean().default(false) });

export const ExchangeSpec = ExchangeOptionsSchema.extend({
  name,
  type: z.enum(['direct', 'fanout', 'topic', 'headers']),
  durable: z.boolean().default(false),
});

export const BindingSpec = z.strictObject({
  queue: name,
  exchange: name,
  bindingKey: z.string().default(''),
  args: z.record(z.string(), headerValue).default({}),
});

export const BrokerSpec = z.strictObject({
  durability: z
    .strictObject({
      fsync: z.enum(['always', 'batch', 'never']).optional().describe('(log store) always: sync before each confirm; batch: group commit every batchMs or batchRecords; never: leave it to the OS (a crash loses the unsynced tail).'),
      batchMs: positive.default(5).describe('fsync batch: the longest a write waits for its group commit.'),
      batchRecords: z.number().int().positive().default(10_000).describe('fsync batch: sync early once this many records wait.'),
      segmentBytes: z.number().int().min(1024).default(16 * 1024 * 1024).describe('Size at which the log rolls to a new segment (compaction deletes whole segments).'),
      ...STORE_FIELDS,
    })
    .superRefine(checkStore)
    .optional()
    .describe('Omit for an in-memory broker (a crash loses everything).'),
  disk: z
    .strictObject({
      writeLatencyMs: DistributionSpec.default({ dist: 'deterministic', mean: 0.02 }).describe('Time for one append to reach the OS.'),
      syncLatencyMs: DistributionSpec.default({ dist: 'lognormal', mean: 1, scv: 0.5 }).describe('Time for one fsync.'),
      readLatencyMs: DistributionSpec.default({ dist: 'deterministic', mean: 0.1 }).describe('Time to open and start reading a segment during recovery.'),
      readMBPerSec: positive.default(500).describe('Sequential read throughput: recovery reads the whole log.'),
      tearProbability: probability.default(0.5).describe('Chance that a crash leaves the last unsynced write half-written (a torn tail recovery must cut).'),
    })
    .default({
      writeLatencyMs: { dist: 'deterministic', mean: 0.02 },
      syncLatencyMs: { dist: 'lognormal', mean: 1, scv: 0.5 },
      readLatencyMs: { dist: 'deterministic', mean: 0.1 },
      readMBPerSec: 500,
      tearProbability: 0.5,
    }),
  exchanges: z.array(ExchangeSpec).default([]).describe('Declared exchanges; the default exchange "" and amq.* always exist.'),
  queues: z.array(QueueSpec).min(1).describe('Declared queues (at least one).'),
  bindings: z.array(BindingSpec).default([]).describe('Queue-to-exchange bindings (the default exchange needs none).'),
});

export const ProducerSpec = z
  .strictObject({
    name: name.optional(),
    count: z.number().int().min(1).max(10_000).default(1).describe('Identical producers, each with its own arrival stream.'),
    exchange: z.string().default('').describe('Exchange to publish to; "" is the default exchange (routing key = queue name).'),
    routingKey: z.string().optional().describe('Routing key of every message (give this or routingKeys).'),
    routingKeys: z.array(z.strictObject({ key: z.string(), weight: positive })).min(1).optional().describe('Or a weighted mix of routing keys, e.g. [{ "key": "a", "weight": 3 }].'),
    arrivals: ArrivalSpec.describe('When messages are published (the arrival process).'),
    bodyBytes: z.number().int().nonnegative().max(16 * 1024 * 1024).default(100).describe('Message body size (what the log writes).'),
    persistent: z.boolean().default(false).describe('Delivery mode 2: written to the log when the queue is durable.'),
    confirms: z.boolean().default(false).describe('Publisher confirms: a confirm comes once the message is as durable as the fsync policy promises.'),
    priorityMix: z
      .record(z.string().regex(/^\d+$/, 'priority must be a whole number 0–255'), nonNegative)
      .optional()
      .describe('Share of messages at each priority, e.g. { "0": 0.9, "3": 0.1 }.'),
    messageTtlMs: nonNegative.optional().describe('Per-message TTL: expires (dead-lettered as expired) if not delivered in time.'),
    headers: z.record(z.string(), headerValue).optional().describe('Message headers (for headers exchanges).'),
    messageIds: z.boolean().default(false).describe('Set AMQP message ids (needed for queue dedup).'),
    confirmWindow: ConfirmWindowSpec.optional().describe('Publish as a closed loop with a window of unconfirmed publishes, a timeout and retries (needs confirms).'),
    mandatory: z.boolean().default(false).describe('Publish mandatory: a message that reaches no queue is returned to the publisher (counted as returned).'),
    patienceMs: PatienceSpec.optional(),
    bodySizeBytes: DistributionSpec.optional().describe('Message sizes from a distribution (bytes, rounded, at most 16 MiB), drawn per publish instead of the fixed bodyBytes: they drive the log’s bytes and recovery time.'),
  })
  .refine((p) => (p.routingKey === undefined) !== (p.routingKeys === undefined), {
    message: 'give either routingKey or routingKeys',
    path: ['routingKey'],
  })
  .refine((p) => p.confirmWindow === undefined || p.confirms, { message: 'a confirm window needs confirms: true', path: ['confirmWindow'] });

export const ConsumerSpec = z.strictObject({
  name: name.optional(),
  queue: name.describe('The queue consumed from.'),
  count: z.number().int().min(1).max(10_000).default(1).describe('Identical consumers (the c of M/M/c).'),
  prefetch: z.number().int().nonnegative().max(65_535).default(1).describe('Max unacked deliveries per consumer (0 = unlimited); above 1, messages wait in the consumer\'s buffer, not the queue.'),
  ack: z.enum(['manual', 'auto']).default('manual').describe('manual: ack after service; auto: settled on delivery (lost if the consumer crashes).'),
  serviceTimeMs: DistributionSpec.describe('Time to process one message.'),
  failureProbability: probability.default(0).describe('Chance that processing a message fails (see onFailure).'),
  onFailure: z
    .enum(['requeue', 'dead-letter'])
    .default('requeue')
    .describe('A failed message is nacked with requeue (through the queue’s retry policy, if any) or without (dead-lettered).'),
  forward: ForwardSpec.optional().describe('Pipeline stage: after service, publish to the next stage (before the ack).'),
  ...FLEET_FIELDS,
});

export const NetworkSpec = z.strictObject({
  publishLatencyMs: DistributionSpec.optional().describe('Producer → broker one-way delay (default: none).'),
  deliverLatencyMs: DistributionSpec.optional().describe('Broker → consumer delivery delay (default: none).'),
  ackLatencyMs: DistributionSpec.optional().describe('Consumer → broker ack delay (default: none).'),
});

export const FaultSpec = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('broker-crash'),
      atSec: z.array(nonNegative).optional().describe('Crash at these times.'),
      mtbfSec: positive.optional().describe('Or crash at random: mean time between failures (exponential).'),
      mttrSec: nonNegative.default(5).describe('Mean time to restart (exponential; 0 = at once).'),
      fixedRestart: z.boolean().default(false).describe('Restart exactly mttrSec after each crash.'),
      atMs: z.array(nonNegative).optional().describe('Or an exact schedule (what replay and shrink write): crash at these virtual times…'),
      downMs: z.array(nonNegative).optional().describe('…each staying down exactly this long (same length as atMs).'),
    })
    .refine((f) => [f.atSec, f.mtbfSec, f.atMs].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of atSec, mtbfSec or atMs', path: ['atSec'] })
    .refine((f) => (f.atMs === undefined) === (f.downMs === undefined) && (f.atMs?.length ?? 0) === (f.downMs?.length ?? 0), {
      message: 'atMs and downMs go together, with one downMs per atMs',
      path: ['downMs'],
    }),
  z.strictObject({
    kind: z.literal('consumer-crash'),
    atSec: z.array(nonNegative).min(1).describe('Crash the consumer at these times.'),
    consumer: z.number().int().nonnegative().describe('Index among all consumer instances, in scenario order.'),
    reconnectAfterSec: nonNegative.default(1).describe('It reconnects this long after each crash; its unacked messages are redelivered.'),
  }),
  z.strictObject({
    kind: z.literal('disk-slow'),
    fromSec: nonNegative,
    toSec: nonNegative,
    factor: positive.describe('Every disk latency is multiplied by this.'),
  }),
  z.strictObject({
    kind: z.literal('disk-stall'),
    atSec: nonNegative.describe('The disk stops completing operations at this time…'),
    durationSec: positive.describe('…for this long.'),
  }),
  z.strictObject({
    kind: z.literal('latency-spike'),
    fromSec: nonNegative,
    toSec: nonNegative,
    factor: positive.describe('Every network latency is multiplied by this.'),
  }),
  ...NEW_FAULT_SPECS,
  DatabaseCrashFaultSpec,
]);
export type FaultSpec = z.infer<typeof FaultSpec>;

export const Scenario = z
  .strictObject({
    $schema: z.string().optional().describe('Path to scenario.schema.json, for editor completion; ignored by qlab.'),
    name,
    description: z.string().default('').describe('What the scenario asks, in words (shown in reports).'),
    durationSec: positive.max(1e9).describe('Simulated time during which producers publish.'),
    warmupSec: z.union([nonNegative, z.literal('auto')]).optional().describe('Observations before this are dropped; "auto" uses MSER-5. Default: a tenth of durationSec.'),
    drainSec: positive.optional().describe('After durationSec, how long to let the system drain before final accounting. Default: durationSec.'),
    replications: z.number().int().min(1).max(10_000).default(5).describe('Independent runs (seeds) whose means give the 95 % intervals.'),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(1).describe('Master seed: same scenario and seed give a byte-identical report.'),
    broker: BrokerSpec.describe('Topology (exchanges, queues, bindings), durability and disk model.'),
    producers: z.array(ProducerSpec).min(1).describe('Who publishes, how often and how.'),
    consumers: z.array(ConsumerSpec).default([]).describe('Who consumes, how fast, with which prefetch and ack mode.'),
    network: NetworkSpec.default({}).describe('Latencies between clients and broker (default: instantaneous).'),
    faults: z.array(FaultSpec).default([]).describe('Injected faults (crashes, slow disks, partitions…), seeded like everything else.'),
    expect: ExpectSpec.optional().describe('Assertions qlab check verifies on this scenario, e.g. "p99 wait < 200ms", "lost = 0".'),
    output: z
      .strictObject({
        percentiles: z.enum(['exact', 'hdr']).default('hdr').describe('hdr: within 0.39 % of the exact order statistic, in fixed memory; exact: every value kept and sorted.'),
        seriesPoints: z.number().int().min(2).max(100_000).default(400).describe('Points kept per time series (down-sampled).'),
        records: z.boolean().default(false).describe('Keep one flat record per message of the first replication.'),
      })
      .default({ percentiles: 'hdr', seriesPoints: 400, records: false }),
    precision: z
      .strictObject({
        relativeHalfWidth: z.number().gt(0).lt(1).describe('Stop adding replications once every metric\'s 95 % half-width ÷ |mean| is below this.'),
        metrics: z.array(z.enum(['throughput', 'wait', 'sojourn', 'queueLength', 'inSystem', 'utilization', 'wait.p99', 'sojourn.p99'])).min(1).optional().describe('Metrics the target applies to (default: all).'),
        maxReplications: z.number().int().min(2).max(10_000).optional().describe('Give up adding replications here (default 200).'),
      })
      .optional()
      .describe('Precision-driven run: replications double from `replications` until the target is met or maxReplications (default 200) is reached.'),
  })
  .superRefine((s, ctx) => {
    const queues = new Set(s.broker.queues.map((q) => q.name));
    const exchanges = new Set(['', 'amq.direct', 'amq.fanout', 'amq.topic', 'amq.headers', 'amq.match', ...s.broker.exchanges.map((e) => e.name)]);
    s.consumers.forEach((c, i) => {
      if (!queues.has(c.queue)) ctx.addIssue({ code: 'custom', path: ['consumers', i, 'queue'], message: `no queue '${c.queue}' in broker.queues` });
    });
    s.producers.forEach((p, i) => {
      if (!exchanges.has(p.exchange)) ctx.addIssue({ code: 'custom', path: ['producers', i, 'exchange'], message: `no exchange '${p.exchange}' in broker.exchanges` });
    });
    s.broker.bindings.forEach((b, i) => {
      if (!queues.has(b.queue)) ctx.addIssue({ code: 'custom', path: ['broker', 'bindings', i, 'queue'], message: `no queue '${b.queue}'` });
      if (!exchanges.has(b.exchange)) ctx.addIssue({ code: 'custom', path: ['broker', 'bindings', i, 'exchange'], message: `no exchange '${b.exchange}'` });
    });
    s.consumers.forEach((c, i) => {
      if ([c.startAtSec, c.schedule, c.autoscale].filter((x) => x !== undefined).length > 1) ctx.addIssue({ code: 'custom', path: ['consumers', i, 'autoscale'], message: 'give at most one of startAtSec, schedule and autoscale' });
      if (c.forward !== undefined && !exchanges.has(c.forward.exchange)) ctx.addIssue({ code: 'custom', path: ['consumers', i, 'forward', 'exchange'], message: `no exchange '${c.forward.exchange}' in broker.exchanges` });
    });
    s.producers.forEach((p, i) => {
      if (p.patienceMs !== undefined && p.messageTtlMs !== undefined) ctx.addIssue({ code: 'custom', path: ['producers', i, 'patienceMs'], message: 'give either patienceMs or messageTtlMs (both set the per-message TTL)' });
    });
    const consumerInstances = s.consumers.reduce((n, c) => n + c.count, 0);
    s.faults.forEach((f, i) => {
      if (f.kind === 'consumer-crash' && f.consumer >= consumerInstances) {
        ctx.addIssue({ code: 'custom', path: ['faults', i, 'consumer'], message: `there are only ${consumerInstances} consumer instances` });
      }
      if ((f.kind === 'disk-slow' || f.kind === 'latency-spike') && f.toSec < f.fromSec) {
        ctx.addIssue({ code: 'custom', path: ['faults', i, 'toSec'], message: 'must be ≥ fromSec' });
      }
      for (const issue of checkNewFault(f, consumerInstances)) ctx.addIssue({ code: 'custom', path: ['faults', i, ...issue.path], message: issue.message });
    });
    if (typeof s.warmupSec === 'number' && s.warmupSec >= s.durationSec) {
      ctx.addIssue({ code: 'custom', path: ['warmupSec'], message: 'must be less than durationSec' });
    }
    // Distribution parameters zod accepts can still be unusable (a Weibull scv out of range):
    // build each one now so the error names its path instead of surfacing mid-run.
    const check = (spec: DistributionSpec | undefined, path: (string | number)[]) => {
      if (spec === undefined) return;
      try {
        makeDistribution(spec);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path, message: (error as Error).message });
      }
    };
    s.consumers.forEach((c, i) => check(c.serviceTimeMs, ['consumers', i, 'serviceTimeMs']));
    s.producers.forEach((p, i) => check(p.patienceMs, ['producers', i, 'patienceMs']));
    s.producers.forEach((p, i) => check(p.bodySizeBytes, ['producers', i, 'bodySizeBytes']));
    s.producers.forEach((p, i) => p.arrivals.process === 'batch' && check(p.arrivals.batchSize, ['producers', i, 'arrivals', 'batchSize']));
    s.producers.forEach((p, i) => p.arrivals.process === 'renewal' && check(p.arrivals.interArrivalMs, ['producers', i, 'arrivals', 'interArrivalMs']));
    for (const key of ['publishLatencyMs', 'deliverLatencyMs', 'ackLatencyMs'] as const) check(s.network[key], ['network', key]);
    for (const key of ['writeLatencyMs', 'syncLatencyMs', 'readLatencyMs'] as const) check(s.broker.disk[key], ['broker', 'disk', key]);
  });

export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
export type ProducerSpec = z.infer<typeof ProducerSpec>;
export type ConsumerSpec = z.infer<typeof ConsumerSpec>;
export type QueueSpec = z.infer<typeof QueueSpec>;
