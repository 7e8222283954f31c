/** A qlab command: loaded only when run, so `qlab --help` stays fast. */
interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> | number }>;
}

const commands: Record<string, Command> = {
  lab: { summary: 'run the shipped lab into reports/ (what `npm start` runs)', load: () => import('./labCommand.ts') },
  run: { summary: 'simulate a scenario: metrics with intervals, theory, accounting', load: () => import('./runCommand.ts') },
  sweep: { summary: 'run a scenario over a grid of parameter values', load: () => import('./sweepCommand.ts') },
  compare: { summary: 'run several scenarios side by side with the same seeds', load: () => import('./compareCommand.ts') },
  plan: { summary: 'the smallest setting meeting a target (e.g. p99 wait < 200ms)', load: () => import('./planCommand.ts') },
  check: { summary: 'CI gate: scenario metrics against a baseline report and the scenarios\' expect lists', load: () => import('./checkCommand.ts') },
  soak: { summary: 'run scenarios over many seeds, checking every invariant of every run', load: () => import('./soakCommand.ts') },
  new: { summary: 'write a ready-to-run starting scenario from a few flags', load: () => import('./newCommand.ts') },
  validate: { summary: 'check scenario files against the schema', load: () => import('./validateCommand.ts') },
  shrink: { summary: 'reduce a failing replication to a minimal scenario that still fails', load: () => import('./shrinkCommand.ts') },
  merge: { summary: 'combine the parts of a sharded run or sweep', load: () => import('./mergeCommand.ts') },
  view: { summary: 'serve the D3 report viewer and the teaching playground', load: () => import('./viewCommand.ts') },
  report: { summary: 'write a report as one self-contained HTML file', load: () => import('./reportCommand.ts') },
  theory: { summary: 'queueing-theory results: mm1 mmc mmck md1 mg1 gg1 ggc priority-np priority-pr', load: () => import('./theoryCommand.ts') },
  gap: { summary: 'the calibrated simulation against a real run, per metric, with the relative gap', load: () => import('./gapCommand.ts') },
  calibrate: { summary: "measure this machine's disk for scenarios to use (calibrate rabbitmq: not built yet)", load: () => import('./calibrateCommand.ts') },
  fit: { summary: 'fit inter-arrival or service data from a CSV; writes a scenario fragment', load: () => import('./fitCommand.ts') },
  bench: { summary: 'run the benchmarks (tinybench)', load: () => import('./benchCommand.ts') },
};

export const HELP = `qlab — a simulation and benchmarking lab for message-queue designs

Usage: qlab <command> [options]      qlab <command> --help for a command's options

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}
`;

/** Runs a command line and returns the exit code: 0 ok, 1 a failed check, 2 bad input. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  try {
    if (command === undefined) {
      const shown = name.length > 100 ? `${name.slice(0, 100)}…(${name.length} chars)` : name;
      process.stderr.write(`qlab: unknown command '${shown}' (see qlab --help)\n`);
      return 2;
    }
    const module = await command.load();
    return await module.run(rest);
  } catch (error) {
    // By name, not instanceof: importing UsageError would load the engine before `--help` prints.
    if (error instanceof Error && error.name === 'UsageError') {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof Error && error.name === 'SimulationInvariantError') {
      const seed = (error as Error & { seed?: number }).seed;
      process.stderr.write(`qlab: ${error.message}\n${seed !== undefined ? `replay it alone with --seed ${seed} --replications 1 --workers 1\n` : ''}`);
      return 1;
    }
    throw error;
  }
}
