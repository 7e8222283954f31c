import { simulateMm1 } from '../demo/mm1Kernel.ts';
import { parseCommandArgs, numberFlag } from './args.ts';

const HELP = `qlab lab [--seed N] [--replications R]

Runs the default lab job. For now: an M/M/1 queue (λ = 0.8/s, μ = 1/s) on the simulation kernel,
simulated mean wait with its 95 % interval against the theoretical Wq = ρ/(μ − λ).
`;

export function run(argv: string[]): number {
  const { values } = parseCommandArgs('lab', argv, {
    seed: { type: 'string' },
    replications: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const seed = numberFlag('seed', values.seed, { integer: true, min: 0 }) ?? 1;
  const replications = numberFlag('replications', values.replications, { integer: true, min: 2 }) ?? 10;
  const lambda = 0.8;
  const mu = 1;
  const started = performance.now();
  const { estimates } = simulateMm1({
    arrivalRatePerSec: lambda,
    serviceRatePerSec: mu,
    customers: 200_000,
    warmupCustomers: 10_000,
    replications,
    seed,
  });
  const theoryWaitMs = (1000 * (lambda / mu)) / (mu - lambda);
  const wait = estimates.meanWaitMs;
  const [lo, hi] = wait.ci95!;
  const verdict = lo <= theoryWaitMs && theoryWaitMs <= hi ? 'inside' : 'OUTSIDE';
  process.stdout.write(
    [
      `M/M/1, λ = ${lambda}/s, μ = ${mu}/s, ρ = ${lambda / mu}; ${replications} replications × 200,000 customers, seed ${seed}`,
      `  simulated mean wait Wq  ${(wait.mean / 1000).toFixed(3)} s  (95 % CI ${(lo / 1000).toFixed(3)} – ${(hi / 1000).toFixed(3)} s)`,
      `  theory    mean wait Wq  ${(theoryWaitMs / 1000).toFixed(3)} s  (ρ/(μ − λ)) — ${verdict} the interval`,
      `  simulated p99 wait      ${(estimates.p99WaitMs.mean / 1000).toFixed(2)} s   (theory ${(-Math.log(0.01 / (lambda / mu)) / (mu - lambda)).toFixed(2)} s)`,
      `  (${((performance.now() - started) / 1000).toFixed(2)} s wall clock)`,
      '',
    ].join('\n'),
  );
  return 0;
}
