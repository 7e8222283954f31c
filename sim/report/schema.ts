import { faultWindowsSchema } from './faultWindowsSchema.ts';
import { z } from 'zod';
import { Scenario } from '../scenario/schema.ts';
import { RealRunInfo } from './realRunSchema.ts';
import { GapReport } from './gapSchema.ts';
import { PlanSection } from './planSchema.ts';
import { consumerSeriesFields } from './consumerSeriesSchema.ts';

/**
 * The report file: what `qlab run`, `sweep`, `compare` and `plan` write and the viewer reads. The
 * version says which layout this is; a reader refuses any other with a clear message instead of
 * drawing a blank chart. Numbers a run could not measure are null (JSON has no NaN).
 */
export const REPORT_VERSION = 1;

const num = z.number().nullable();
export const Interval = z.object({
  mean: num,
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  method: z.enum(['replications', 'batch-sectioning', 'replications-exceedance', 'batch-exceedance', 'none']).optional(),
  declined: z.string().optional(),
  se: z.number().optional(),
  df: z.number().optional(),
});
const Distribution = Interval.extend({ p50: Interval, p90: Interval, p99: Interval, p999: Interval, max: Interval });
const Buckets = z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number() }));
const Verdict = z.enum(['inside', 'outside', 'within-tolerance', 'beyond-tolerance', 'no-interval']);
const SteadyState = z.object({
  status: z.enum(['steady', 'unstable', 'not-yet-steady']),
  reason: z.string(),
  growthPerSec: z.number(),
  rho: z.number().optional(),
  suggestion: z.string().optional(),
});
const FamilyVerdict = z.object({
  verdict: z.enum(['consistent', 'inconsistent', 'not-tested', 'approximate']),
  level: z.number(),
  method: z.literal('holm'),
  tests: z.array(z.object({ metric: z.string(), p: z.number(), rejected: z.boolean() })),
});

export const Accounting = z.object({
  attempted: z.number(),
  published: z.number(),
  confirmed: z.number(),
  refused: z.number(),
  unavailable: z.number(),
  delivered: z.number(),
  deliveries: z.number(),
  redeliveries: z.number(),
  acked: z.number(),
  deadLettered: z.number(),
  deadLetteredByReason: z.record(z.string(), z.number()),
  lost: z.number(),
  lostUnconfirmed: z.number(),
  stranded: z.number(),
  unavailableAtEnd: z.number().default(0),
  unroutable: z.number().default(0),
  returned: z.number().default(0),
  lostInConsumer: z.number().default(0),
  duplicated: z.number(),
  unexpected: z.number(),
  failures: z.number(),
});

const FaultCount = z.object({ scheduled: z.number(), fired: z.number() });
const ReplicationFaults = z.object({
  byKind: z.record(z.string(), FaultCount),
  schedule: z.array(z.object({ fault: z.number(), kind: z.string(), atMs: z.number(), downMs: z.number().optional() })),
  lossDueTo: z.array(z.string()),
  recoveryRefused: z.string().optional(),
});

const PublisherOutcome = z.record(z.string(), z.number());

export const RunResultSchema = z.object({
  scenario: z.unknown(),
  seeds: z.array(z.number()),
  intervals: z.enum(['replications', 'batch-means']),
  batchLag1: num.optional(),
  warmupMs: z.array(z.number()),
  warmupRules: z.array(z.enum(['fixed', 'mser5', 'mser5-unconfirmed', 'mser5-suspect'])).optional(),
  steadyState: SteadyState.optional(),
  precision: z
    .object({ target: z.number(), met: z.boolean(), replications: z.number(), maxReplications: z.number(), reached: z.record(z.string(), z.number().nullable()), stopped: z.string().optional() })
    .optional(),
  summary: z.object({
    throughput: Interval,
    wait: Distribution,
    sojourn: Distribution,
    queueLength: Interval.extend({ max: Interval }),
    inSystem: Interval.extend({ max: Interval }),
    utilization: Interval,
    blocking: Interval,
    offeredPerSec: Interval,
    classes: z.array(z.object({ priority: z.number(), wait: Interval, sojourn: Interval })).optional(),
    redeliveries: z.number(),
    deadLettered: z.record(z.string(), z.number()),
    recovery: z.object({ crashes: z.number(), recoveryMs: z.array(z.number()) }),
    confirmLatency: Interval.extend({ p50: Interval, p99: Interval }).optional(),
  }),
  accounting: Accounting,
  theory: z
    .object({
      model: z.string(),
      inputs: z.record(z.string(), z.union([z.number(), z.array(z.number())])),
      values: z.object({
        Wq: num,
        W: num,
        Lq: num,
        L: num,
        Pblock: num.optional(),
        classes: z.array(z.object({ priority: z.number(), Wq: num, W: num })).optional(),
      }),
      approximation: z.string().optional(),
      stable: z.boolean(),
      verdict: z.object({
        Wq: Verdict,
        W: Verdict,
        Lq: Verdict,
        L: Verdict,
        Pblock: Verdict.optional(),
        classes: z.array(z.object({ priority: z.number(), Wq: Verdict })).optional(),
      }),
      family: FamilyVerdict.optional(),
      tolerance: z.number().optional(),
    })
    .optional(),
  theoryNotApplicable: z.string().optional(),
  safety: z.object({ confirmedMustSurvive: z.boolean(), lost: z.number(), duplicated: z.number(), unexpected: z.number() }),
  liveness: z.object({ drained: z.boolean() }),
  replications: z.array(
    z.object({
      seed: z.number(),
      warmupMs: z.number(),
      metrics: z.record(z.string(), num),
      accounting: Accounting,
      recoveryMs: z.array(z.number()),
      crashes: z.number(),
      drained: z.boolean(),
      faults: ReplicationFaults.optional(),
      publishers: PublisherOutcome.optional(),
    }),
  ),
  publishers: PublisherOutcome.optional(),
  faults: z.object({ byKind: z.record(z.string(), FaultCount), lossDueTo: z.array(z.string()), recoveryRefused: z.number() }).optional(),
  series: z.object({
    tMs: z.array(z.number()),
    queueLength: z.array(z.number()),
    inSystem: z.array(z.number()),
    busyConsumers: z.array(z.number()),
    throughputPerSec: z.array(z.number()),
    ...consumerSeriesFields,
  }),
  histograms: z.object({ waitMs: Buckets, sojournMs: Buckets }),
  counters: z.object({ events: z.number(), simulatedMessages: z.number(), eventsPerMessage: z.number() }),
  records: z.unknown().optional(),
  model: z.record(z.string(), z.unknown()).optional(),
  faultWindows: faultWindowsSchema(Distribution),
});

export const ReportRun = z.object({
  label: z.string(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  result: RunResultSchema,
});

export const Report = z.object({
  version: z.literal(REPORT_VERSION),
  kind: z.enum(['run', 'sweep', 'compare', 'plan']),
  tool: z.object({ name: z.literal('queuelab'), version: z.string() }),
  title: z.string(),
  description: z.string(),
  runs: z.array(ReportRun).min(1),
  sweep: z.object({ params: z.array(z.object({ path: z.string(), values: z.array(z.union([z.number(), z.string(), z.boolean()])) })) }).optional(),
  gap: GapReport.optional().describe('qlab gap: the calibrated simulation against real runs, per metric.'),
  real: RealRunInfo.optional().describe('Runs outside virtual time (qlab run --mode real|rabbitmq): target, machine, disk, timing slip.'),
  plan: PlanSection.optional(),
});
export type Report = z.infer<typeof Report>;
export type ReportRun = z.infer<typeof ReportRun>;

/** Reads a report, or says clearly why it cannot: not JSON, not a report, or another version. */
export function parseReport(text: string, label: string): { ok: true; report: Report } | { ok: false, error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: `${label} is not JSON` };
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof raw !== 'object' || raw === null || version === undefined) return { ok: false, error: `${label} is not a queuelab report (no version field)` };
  if (version !== REPORT_VERSION) return { ok: false, error: `${label} is a version ${String(version)} report; this viewer reads version ${REPORT_VERSION}` };
  const parsed = Report.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${label} is not a valid report: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, report: parsed.data };
}

export { Scenario };
