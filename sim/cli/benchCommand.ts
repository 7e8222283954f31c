import { runBenchCases } from '../bench/benchmark.ts';
import { durableAlwaysBench, durableBatchBench, recoveryBench } from '../bench/durableBench.ts';
import { engineMemoryBench, engineTopicBench } from '../bench/engineBench.ts';
import { kernelBench } from '../bench/kernelBench.ts';
import { simMm1Bench, simMm1DurableBench } from '../bench/simBench.ts';
import { parseCommandArgs } from './args.ts';

const HELP = `qlab bench [--quick] [--json]

Runs the benchmarks with tinybench and prints each as { name, unit, value, rme, samples }.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('bench', argv, {
    quick: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const cases = [kernelBench, simMm1Bench, simMm1DurableBench, engineMemoryBench, engineTopicBench, durableBatchBench, durableAlwaysBench, recoveryBench()];
  const results = [];
  for (const benchCase of cases) {
    process.stderr.write(`bench ${benchCase.name}…\n`);
    results.push(...(await runBenchCases([benchCase], { quick: values.quick ?? false })));
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    for (const r of results) {
      const shown = r.unit === 'recoveries/s' ? `${(1 / r.value).toFixed(2)} s/recovery` : `${formatRate(r.value)} ${r.unit}`;
      process.stdout.write(`${r.name.padEnd(24)} ${shown.padEnd(24)} ±${r.rme.toFixed(1)} %  (${r.samples} samples)\n`);
    }
  }
  return 0;
}

function formatRate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(1);
}
