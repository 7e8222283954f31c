import { runBenchCases } from '../bench/benchmark.ts';
import { engineMemoryBench, engineTopicBench } from '../bench/engineBench.ts';
import { kernelBench } from '../bench/kernelBench.ts';
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
  const cases = [kernelBench, engineMemoryBench, engineTopicBench];
  const results = [];
  for (const benchCase of cases) {
    process.stderr.write(`bench ${benchCase.name}…\n`);
    results.push(...(await runBenchCases([benchCase], { quick: values.quick ?? false })));
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    for (const r of results) {
      process.stdout.write(`${r.name.padEnd(24)} ${formatRate(r.value).padStart(10)} ${r.unit.padEnd(12)} ±${r.rme.toFixed(1)} %  (${r.samples} samples)\n`);
    }
  }
  return 0;
}

function formatRate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(1);
}
