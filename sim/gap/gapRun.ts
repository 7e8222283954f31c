import type { CalibratedDisk } from '../calibrate/loadCalibration.ts';
import type { JobOutcome } from '../cli/shared.ts';
import { REPORT_VERSION, type Report } from '../report/schema.ts';
import { TOOL } from '../report/jobs.ts';
import type { GapReport } from '../report/gapSchema.ts';
import type { Scenario } from '../scenario/schema.ts';
import { executeRealRun, type RealRunOutcome } from '../real/realRun.ts';
import { fedScenario } from './fedScenario.ts';
import { withCalibratedNetwork, type CalibratedNetwork } from '../calibrate/rabbitCalibrationFile.ts';
import { GAP_TARGET, gapRows, REAL_PRECISION_TARGET } from './gapTable.ts';

export interface GapOptions {
  seed: number;
  realReplications: number;
  simReplications: number;
  disk: CalibratedDisk | undefined;
  dir?: string;
  /** Also run the workload on this RabbitMQ broker and set the simulation against it too. */
  amqpUrl?: string;
  /** With amqpUrl: the RabbitMQ run is set against a second simulation whose network is this calibration. */
  rabbitNetwork?: CalibratedNetwork;
  onRealProgress?: (replication: number, elapsedMs: number, totalMs: number, messages: number) => void;
  /** Runs the fed simulation (the CLI's job runner, with workers and progress). */
  simulate: (raw: unknown, label: string, replications: number) => Promise<JobOutcome>;
}

/**
 * `qlab gap`: runs the scenario for real, then simulates it fed with what the real run realised
 * (its service times) and with the calibrated disk, and sets the two side by side per metric.
 */
export async function runGap(scenario: Scenario, raw: unknown, options: GapOptions): Promise<{ report: Report; gap: GapReport; real: RealRunOutcome; rabbit?: RealRunOutcome }> {
  const real = await executeRealRun(scenario, raw, {
    seed: options.seed,
    replications: options.realReplications,
    ...(options.dir !== undefined ? { dir: options.dir } : {}),
    ...(options.onRealProgress ? { onProgress: options.onRealProgress } : {}),
  });
  const fed = fedScenario(raw, scenario, real.realisedServiceMs, options.disk);
  const simulated = await options.simulate(fed.raw, `${scenario.name} (simulated, fed)`, options.simReplications);
  const realRun = real.report.runs[0]!;
  // The RabbitMQ run's service times are not fed back: the simulation stays the one fed by the engine's run.
  const rabbit =
    options.amqpUrl === undefined
      ? undefined
      : await executeRealRun(scenario, raw, { seed: options.seed, replications: options.realReplications, amqpUrl: options.amqpUrl, ...(options.onRealProgress ? { onProgress: options.onRealProgress } : {}) });
  // The RabbitMQ run against the simulation with the broker's measured overheads as its network, when calibrated.
  const rabbitSim =
    rabbit && options.rabbitNetwork
      ? await options.simulate(withCalibratedNetwork(fed.raw, options.rabbitNetwork), `${scenario.name} (simulated, fed, RabbitMQ-calibrated network)`, options.simReplications)
      : undefined;
  const gap: GapReport = {
    target: GAP_TARGET,
    realPrecisionTarget: REAL_PRECISION_TARGET,
    simulationInputs: [...fed.inputs, ...(rabbitSim ? ['network (RabbitMQ comparison only): calibrated (qlab calibrate rabbitmq)'] : [])],
    against: [
      { mode: 'real', runLabel: realRun.label, rows: gapRows(simulated.results[0]!, real.result) },
      ...(rabbit ? [{ mode: 'rabbitmq' as const, runLabel: rabbit.report.runs[0]!.label, rows: gapRows((rabbitSim ?? simulated).results[0]!, rabbit.result) }] : []),
    ],
  };
  const report: Report = {
    version: REPORT_VERSION,
    kind: 'compare',
    tool: TOOL,
    title: `${scenario.name}: simulation against reality`,
    description: scenario.description,
    runs: [simulated.report.runs[0]!, realRun, ...(rabbit ? [rabbit.report.runs[0]!] : []), ...(rabbitSim ? [rabbitSim.report.runs[0]!] : [])],
    real: real.info,
    gap,
  };
  return { report, gap, real, ...(rabbit ? { rabbit } : {}) };
}
