import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../report/write.ts';
import { parseScenario } from '../scenario/load.ts';
import { mmc } from '../theory/mmc.ts';
import { numberFlag, parseCommandArgs } from './args.ts';
import { writeOrUsage } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab new [-o file.json] [--rate R] [--service-ms S] [--service exponential|deterministic|lognormal]
         [--scv V] [--consumers C] [--prefetch P] [--durability none|always|batch|never] [--name N] [--force]

Writes a valid, ready-to-run starting scenario: one queue, Poisson producers at R msg/s, C consumers
with a mean service time of S ms. It prints what queueing theory predicts for it (M/M/c, M/D/c…).

  -o, --out file     where to write it (default: print it on stdout); never overwrites without --force
  --rate R           arrivals per second (default 50)
  --service-ms S     mean service time per message, ms (default 15)
  --service D        service-time distribution (default exponential); lognormal takes --scv
  --scv V            squared coefficient of variation of a lognormal service time (default 2)
  --consumers C      consumers on the queue (default 1)
  --prefetch P       unacked deliveries per consumer (default 1: the textbook queue)
  --durability F     none (in-memory, default) or an fsync policy: the queue is durable, messages
                     persistent, publishes confirmed
  --name N           scenario name (default: derived from the file name)

JSON has no comments, so the explanation goes in the scenario's own "description" field: it is part
of the schema (the file stays valid and strict), and every report shows it. The field-by-field
reference is scenarios/README.md.
`;

const SERVICES = ['exponential', 'deterministic', 'lognormal'] as const;
const POLICIES = ['none', 'always', 'batch', 'never'] as const;

export interface NewScenarioOptions {
  name: string;
  ratePerSec: number;
  serviceMs: number;
  service: (typeof SERVICES)[number];
  scv: number;
  consumers: number;
  prefetch: number;
  durability: (typeof POLICIES)[number];
}

/** How long to simulate: about 40,000 arrivals per replication, between one minute and one day. */
function durationFor(ratePerSec: number): number {
  return Math.round(Math.min(86_400, Math.max(60, 40_000 / ratePerSec)));
}

function serviceSpec(o: NewScenarioOptions): Record<string, unknown> {
  if (o.service === 'lognormal') return { dist: 'lognormal', mean: o.serviceMs, scv: o.scv };
  return { dist: o.service, mean: o.serviceMs };
}

/** What the scenario models, in words: the description field every report shows. */
function explain(o: NewScenarioOptions, rho: number): string {
  const kendall = `M/${o.service === 'exponential' ? 'M' : o.service === 'deterministic' ? 'D' : 'G'}/${o.consumers}`;
  const load = rho < 1 ? `utilisation ρ = λ·S/c = ${rho.toFixed(3)}` : `ρ = ${rho.toFixed(3)} ≥ 1: arrivals outpace service, the queue grows without bound (no steady state)`;
  const durable = o.durability === 'none' ? 'in-memory broker (a crash loses everything)' : `durable queue, persistent messages with publisher confirms, fsync ${o.durability}`;
  const textbook = o.prefetch === 1 && o.durability === 'none' ? `a textbook ${kendall} queue` : `${kendall}-like (prefetch ${o.prefetch}, ${o.durability === 'none' ? 'no disk' : 'disk latency'} make it differ from the textbook model)`;
  return `Started with qlab new: ${o.ratePerSec} msg/s Poisson into one queue, ${o.consumers} consumer(s) with ${o.service} service of mean ${o.serviceMs} ms — ${textbook}; ${load}; ${durable}. Edit rates and counts to ask your question; the first tenth of the run is warm-up and is dropped.`;
}

export function newScenario(o: NewScenarioOptions): Record<string, unknown> {
  const rho = (o.ratePerSec * o.serviceMs) / 1000 / o.consumers;
  const durable = o.durability !== 'none';
  return {
    // Relative to a file in scenarios/<folder>/ (like the shipped ones); editors ignore a path that does not resolve.
    $schema: '../scenario.schema.json',
    name: o.name,
    description: explain(o, rho),
    durationSec: durationFor(o.ratePerSec),
    replications: 5,
    seed: 1,
    broker: {
      ...(durable ? { durability: { fsync: o.durability } } : {}),
      queues: [{ name: 'work', ...(durable ? { durable: true } : {}) }],
    },
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: o.ratePerSec }, ...(durable ? { persistent: true, confirms: true } : {}) }],
    consumers: [{ queue: 'work', count: o.consumers, prefetch: o.prefetch, ack: 'manual', serviceTimeMs: serviceSpec(o) }],
  };
}

function options(values: Record<string, string | boolean | undefined>, out: string | undefined): NewScenarioOptions {
  const service = (values.service as string | undefined) ?? 'exponential';
  if (!(SERVICES as readonly string[]).includes(service)) throw new UsageError(`qlab new: --service must be one of ${SERVICES.join(', ')}, got '${service}'`);
  const durability = (values.durability as string | undefined) ?? 'none';
  if (!(POLICIES as readonly string[]).includes(durability)) throw new UsageError(`qlab new: --durability must be one of ${POLICIES.join(', ')}, got '${durability}'`);
  if (values.scv !== undefined && service !== 'lognormal') throw new UsageError('qlab new: --scv goes with --service lognormal');
  const fromFile = out?.replace(/^.*\//, '').replace(/\.json$/, '');
  return {
    name: (values.name as string | undefined) ?? (fromFile || 'my-queue'),
    ratePerSec: numberFlag('rate', values.rate as string | undefined, { positive: true }) ?? 50,
    serviceMs: numberFlag('service-ms', values['service-ms'] as string | undefined, { positive: true }) ?? 15,
    service: service as NewScenarioOptions['service'],
    scv: numberFlag('scv', values.scv as string | undefined, { positive: true }) ?? 2,
    consumers: numberFlag('consumers', values.consumers as string | undefined, { integer: true, min: 1 }) ?? 1,
    prefetch: numberFlag('prefetch', values.prefetch as string | undefined, { integer: true, min: 0 }) ?? 1,
    durability: durability as NewScenarioOptions['durability'],
  };
}

export function run(argv: string[]): number {
  const { values, positionals } = parseCommandArgs(
    'new',
    argv,
    {
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string', short: 'o' },
      rate: { type: 'string' },
      'service-ms': { type: 'string' },
      service: { type: 'string' },
      scv: { type: 'string' },
      consumers: { type: 'string' },
      prefetch: { type: 'string' },
      durability: { type: 'string' },
      name: { type: 'string' },
      force: { type: 'boolean' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const o = options(values, values.out);
  const scenario = newScenario(o);
  // Checked with the same loader `qlab run` uses: what qlab new writes always runs.
  const checked = parseScenario(scenario, values.out ?? 'qlab new');
  if (!checked.ok) throw new UsageError(checked.errors[0]!);
  const text = `${JSON.stringify(scenario, null, 2)}\n`;
  process.stderr.write(`${prediction(o)}\n`);
  if (values.out === undefined) {
    process.stdout.write(text);
    return 0;
  }
  if (existsSync(values.out) && values.force !== true) throw new UsageError(`qlab new: ${values.out} exists (use --force to overwrite)`);
  writeOrUsage(() => writeFileAtomic(values.out!, text));
  process.stderr.write(`wrote ${values.out}: run it with  qlab run ${values.out}\n`);
  return 0;
}

/** What theory says to expect, so the first run has something to be checked against. */
function prediction(o: NewScenarioOptions): string {
  const lambda = o.ratePerSec;
  const mu = 1000 / o.serviceMs;
  const rho = lambda / (mu * o.consumers);
  if (rho >= 1) return `warning: ρ = ${rho.toFixed(3)} ≥ 1 — unstable: the queue grows for the whole run and there is no steady state to report`;
  if (o.service !== 'exponential') return `ρ = ${rho.toFixed(3)}; theory for ${o.service} service: qlab theory ${o.consumers === 1 ? (o.service === 'deterministic' ? 'md1' : 'mg1') : 'ggc'} (run reports it when it applies)`;
  const t = mmc(lambda, mu, o.consumers);
  return `ρ = ${rho.toFixed(3)}; M/M/${o.consumers} theory: mean wait Wq = ${(t.Wq! * 1000).toPrecision(4)} ms, sojourn W = ${(t.W! * 1000).toPrecision(4)} ms, Lq = ${t.Lq!.toPrecision(4)} messages`;
}
