import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usageError.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node's strict parseArgs, with its errors turned into one-line usage errors. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), allowPositionals, options, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    const hint = / argument is ambiguous/.test(message) ? ' (a value starting with "-" goes as --flag=VALUE)' : '';
    throw new UsageError(`qlab ${command}: ${message.replace(/\.? (To specify a positional argument|Did you forget).*$/, '').replace(/\.$/, '')}${hint}`);
  }
}

/**
 * parseArgs refuses `--seed -3` as ambiguous; a negative number after a flag that takes a value is
 * plainly that flag's value, so pass it on as `--seed=-3` and let validation judge the number.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** A flag's value as a number, or a usage error naming the flag. */
export function numberFlag(
  flag: string,
  value: string | undefined,
  check: { integer?: boolean; min?: number; positive?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok =
    value.trim() !== '' &&
    Number.isFinite(n) &&
    (!check.integer || Number.isInteger(n)) &&
    (check.min === undefined || n >= check.min) &&
    (!check.positive || n > 0);
  if (!ok) {
    const wanted = [check.integer ? 'a whole number' : 'a number', check.positive ? '> 0' : '', check.min !== undefined ? `≥ ${check.min}` : '']
      .filter(Boolean)
      .join(' ');
    throw new UsageError(`--${flag} must be ${wanted}, got '${value}'`);
  }
  return n;
}
