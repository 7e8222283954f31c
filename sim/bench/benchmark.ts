import { Bench } from 'tinybench';

/** One benchmark figure as `qlab bench` reports it. */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  /** Relative margin of error of the mean time per iteration, in percent. */
  rme: number;
  samples: number;
}

export interface BenchCase {
  name: string;
  unit: string;
  /** Work units (events, messages) one call of `run` performs. */
  unitsPerIteration: number;
  /** Prepares state outside the timed region; returns the timed function. */
  setup(): (() => void | Promise<void>) | Promise<() => void | Promise<void>>;
  /** Releases what setup made (temporary directories). */
  teardown?(): void | Promise<void>;
  /** Fewer iterations: each one takes seconds. */
  slow?: boolean;
}

/**
 * Runs each case with tinybench and converts time per iteration into work units per second.
 * `quick` trades precision for time (CI), and the rme says how much precision was traded.
 */
export async function runBenchCases(cases: BenchCase[], options: { quick?: boolean } = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const benchCase of cases) {
    const run = await benchCase.setup();
    const bench = new Bench(
      benchCase.slow
        ? { time: 0, warmupTime: 0, warmupIterations: 1, iterations: options.quick ? 2 : 5 }
        : { time: options.quick ? 300 : 2000, warmupTime: options.quick ? 100 : 500, iterations: 5 },
    );
    bench.add(benchCase.name, run);
    try {
      await bench.run();
    } finally {
      await benchCase.teardown?.();
    }
    const task = bench.getTask(benchCase.name);
    const result = task?.result;
    if (result === undefined || !('latency' in result)) {
      const error = result !== undefined && 'error' in result ? String(result.error) : 'no result';
      throw new Error(`benchmark ${benchCase.name} failed: ${error}`);
    }
    results.push({
      name: benchCase.name,
      unit: benchCase.unit,
      value: (benchCase.unitsPerIteration * 1000) / result.latency.mean,
      rme: result.latency.rme,
      samples: result.latency.samplesCount,
    });
  }
  return results;
}
