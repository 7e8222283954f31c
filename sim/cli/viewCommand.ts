import { existsSync } from 'node:fs';
import { parseCommandArgs, numberFlag } from './args.ts';
import { UsageError } from './usageError.ts';
import { collectReports, serveViewer } from './viewServer.ts';
import { ensureBuilt } from './webBuild.ts';

const HELP = `qlab view [report.json | dir ...] [--port N]

Serves the report viewer (D3: queue length, wait and sojourn distributions with theory, sweeps,
reliability comparisons, two reports side by side) and the teaching playground on this machine,
with the chosen reports (default: everything in reports/), and prints the URL. Ctrl-C stops it.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('view', argv, { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = numberFlag('port', values.port, { integer: true, min: 0 }) ?? 5173;
  const paths = positionals.length > 0 ? positionals : ['reports'];
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`qlab view: ${p}: no such file or directory`);
  const reports = collectReports(paths);
  const dist = await ensureBuilt('app');
  let started;
  try {
    started = await serveViewer(dist, reports, port);
  } catch (error) {
    throw new UsageError(`qlab view: cannot listen on port ${port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  process.stdout.write(`qlab view: ${started.url} (${reports.length} reports; playground at ${started.url}playground.html; Ctrl-C to stop)\n`);
  await new Promise(() => {}); // serve until the process is stopped
  return 0;
}
