import { loadScenario } from '../scenario/load.ts';
import { formatWarnings, scenarioWarnings } from '../scenario/warnings.ts';
import { parseCommandArgs } from './args.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab validate <scenario.json> [...]

Checks scenario files against the schema. Each error names the file, the JSON path of the field and
what was expected. Exits 2 if any file is invalid. Warnings (on stderr, exit code unchanged) flag a
valid scenario that probably does not mean what it says: a routing key that reaches no queue,
crashes of a broker or queue that keeps nothing, disk faults without a disk, faults after the run,
an mttrSec left to its default.
`;

export function run(argv: string[]): number {
  const { values, positionals } = parseCommandArgs('validate', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('qlab validate: give at least one scenario file');
  let failed = false;
  for (const file of positionals) {
    const loaded = loadScenario(file);
    if (loaded.ok) {
      process.stdout.write(`ok: ${file}\n`);
      process.stderr.write(formatWarnings(file, scenarioWarnings(loaded.scenario, loaded.raw)));
    }
    else {
      failed = true;
      process.stderr.write(`${loaded.errors.join('\n')}\n`);
    }
  }
  return failed ? 2 : 0;
}
