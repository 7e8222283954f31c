/**
 * The value of `--mode` (`--mode X` or `--mode=X`) and the arguments without it. `sim` (the default)
 * is the simulator; any other mode is handled by realRunCommand.ts, loaded only when asked for.
 */
export function splitMode(argv: string[]): { mode: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let mode: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--mode') mode = argv[++i] ?? '';
    else if (arg.startsWith('--mode=')) mode = arg.slice('--mode='.length);
    else rest.push(arg);
  }
  return { mode, rest };
}
