import { loadScenario } from '../scenario/load.ts';
import { parseCommandArgs } from './args.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab validate <scenario.json> [...]

Checks scenario files against the schema. Each error names the file, the JSON path of the field and
what was expected. Exits 2 if any file is invalid.
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
    if (loaded.ok) process.stdout.write(`ok: ${file}\n`);
    else {
      failed = true;
      process.stderr.write(`${loaded.errors.join('\n')}\n`);
    }
  }
  return failed ? 2 : 0;
}
