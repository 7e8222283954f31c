import { reportOf, type JobSpec } from '../report/jobs.ts';
import type { Report } from '../report/schema.ts';
import type { RealRunInfo } from '../report/realRunSchema.ts';
import type { RunResult } from '../run/simulate.ts';
import type { Scenario } from '../scenario/schema.ts';
import { makeDistribution } from '../dist/spec.ts';
import { summarizeLateness } from './lateness.ts';
import { describeDisk, describeMachine } from './machine.ts';
import { runRealReplication, type RealReplication } from './realReplication.ts';
import { needsBrokerChild } from './childGuard.ts';
import { runChildReplication } from './childReplication.ts';
import { tmpdir } from 'node:os';

export interface RealRunOptions {
  seed: number;
  replications: number;
  /** Where the broker's log directory is made (default: the OS temp dir). */
  dir?: string;
  keepLog?: boolean;
  /** Run against this RabbitMQ broker instead of the engine (qlab run --mode rabbitmq). */
  amqpUrl?: string;
  /** RabbitMQ mode: the shell command run at each scheduled broker crash (qlab run --restart-cmd). */
  restartCmd?: string;
  onProgress?: (replication: number, elapsedMs: number, totalMs: number, messages: number) => void;
}

export interface RealRunOutcome {
  report: Report;
  result: RunResult;
  info: RealRunInfo;
  /** Per queue, every replication's realised service times pooled (what `qlab gap` feeds the simulation). */
  realisedServiceMs: Record<string, number[]>;
}

/**
 * Runs the scenario in real mode, replication after replication (seeds seed, seed+1, …), and builds
 * the same report a simulated run writes, marked as a real run with the machine and disk described.
 */
export async function executeRealRun(scenario: Scenario, raw: unknown, options: RealRunOptions): Promise<RealRunOutcome> {
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const runs: RealReplication[] = [];
  const rabbit = options.amqpUrl === undefined ? undefined : await import('../rabbitmqMode/rabbitReplication.ts');
  for (let r = 0; r < options.replications; r++) {
    const onProgress = (elapsedMs: number, totalMs: number, messages: number) => options.onProgress?.(r + 1, elapsedMs, totalMs, messages);
    if (rabbit !== undefined) {
      runs.push(await rabbit.runRabbitReplication(scenario, options.seed + r, options.amqpUrl!, onProgress, options.restartCmd));
      continue;
    }
    const files = { ...(options.dir !== undefined ? { dir: options.dir } : {}), keepLog: options.keepLog === true, onProgress };
    runs.push(needsBrokerChild(scenario) ? (await runChildReplication(scenario, options.seed + r, files)).replication : await runRealReplication(scenario, options.seed + r, files));
  }
  const spec: JobSpec = { kind: 'run', title: scenario.name, description: scenario.description, seed: options.seed, replications: options.replications, points: [{ label: `${scenario.name} (${rabbit ? 'rabbitmq' : 'real'})`, raw }] };
  const built = reportOf(spec, [scenario], runs.map((r) => r.result));
  const realisedServiceMs = poolByQueue(runs.map((r) => r.real.realisedServiceMs));
  const info: RealRunInfo = {
    mode: rabbit ? 'rabbitmq' : 'real',
    ...(options.amqpUrl !== undefined ? { amqpUrl: options.amqpUrl.replace(/\/\/[^@/]*@/, '//***@') } : {}),
    startedAt,
    wallMs: Math.round(runs.reduce((a, r) => a + r.real.wallMs, 0)),
    machine,
    disk: scenario.broker.durability === undefined || rabbit ? null : describeDisk(options.dir ?? tmpdir()),
    arrivalLateness: summarizeLateness(runs.flatMap((r) => r.real.arrivalLatenessMs)),
    timerOvershoot: summarizeLateness(runs.flatMap((r) => r.real.timerOvershootMs)),
    serviceTime: serviceTimeRows(scenario, realisedServiceMs),
    notes: realRunNotes(scenario, options),
  };
  return { report: { ...built.report, real: info }, result: built.results[0]!, info, realisedServiceMs };
}

function poolByQueue(all: Record<string, number[]>[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const byQueue of all) for (const [q, values] of Object.entries(byQueue)) (out[q] ??= []).push(...values);
  return out;
}

function serviceTimeRows(scenario: Scenario, realised: Record<string, number[]>): RealRunInfo['serviceTime'] {
  return Object.entries(realised)
    .filter(([queue]) => scenario.consumers.some((c) => c.queue === queue))
    .map(([queue, values]) => {
      const nominal = scenario.consumers.filter((c) => c.queue === queue).map((c) => makeDistribution(c.serviceTimeMs).mean);
      const same = nominal.every((m) => m === nominal[0]);
      const mean = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
      return { queue, nominalMeanMs: same ? round(nominal[0]!) : null, realisedMeanMs: mean === null ? null : round(mean), count: values.length };
    });
}

function realRunNotes(scenario: Scenario, options: RealRunOptions): string[] {
  if (options.amqpUrl !== undefined) {
    return [
      'rabbitmq mode: the workload against a RabbitMQ broker over AMQP 0-9-1 (amqplib); arrival = the publish as the client sent it; queue length = published and not yet delivered, as the clients count it; loss and duplication by message id',
      ...(options.restartCmd !== undefined && scenario.faults.some((f) => f.kind === 'broker-crash') ? [`broker crashes: \`${options.restartCmd}\` run at each crash time (QLAB_DOWN_MS = the fault's down time), the clients reconnected once the broker accepted connections again; recovery = command start to reconnection; publishes meanwhile are unavailable`] : []),
      `${options.replications === 1 ? 'one run: intervals from batch means of its measurement window' : `${options.replications} runs one after another: intervals across them`}`,
    ];
  }
  if (needsBrokerChild(scenario)) {
    return [
      `real mode with broker crashes: the queuelab engine in a child process on the wall clock${scenario.broker.durability === undefined ? '' : `, its log on real files (fsync ${scenario.broker.durability.fsync}, fdatasync)`}, spoken to over a Unix socket in length-prefixed frames; SIGKILLed at each crash time and restarted from its log after the down time (recovery time includes starting Node)`,
      'arrival = the publish as the client sent it (a publish cut off by the kill counts as published and then lost); queue length = the broker child\'s own counts',
      `${options.replications === 1 ? 'one real run: intervals from batch means of its measurement window' : `${options.replications} real runs one after another: intervals across them`}`,
    ];
  }
  return [
    `real mode: the queuelab engine in this process on the wall clock${scenario.broker.durability === undefined ? '' : `, its log on real files (fsync ${scenario.broker.durability.fsync}, fdatasync)`}; consumers serve by waiting their sampled service time`,
    `${options.replications === 1 ? 'one real run: intervals from batch means of its measurement window' : `${options.replications} real runs one after another: intervals across them`}`,
    ...(scenario.broker.durability === undefined ? ['in-memory broker: no disk involved'] : []),
  ];
}

const round = (v: number) => Math.round(v * 1000) / 1000;
