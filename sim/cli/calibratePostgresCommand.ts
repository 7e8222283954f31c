import { numberFlag, parseCommandArgs } from './args.ts';
import { writeOrUsage } from './shared.ts';
import { UsageError } from './usageError.ts';
import { checkWritable, writeJsonAtomic } from '../report/write.ts';

const HELP = `qlab calibrate postgres --url postgres://user:password@host:port/db [--samples N] [--groups 1,10,100] [--message-bytes B] [--out file] [--json]
qlab calibrate postgres --throwaway-cluster [...]

Measures a PostgreSQL server's commit latency as the broker's PostgreSQL store sees it (one
connection, one transaction at a time): synchronous_commit on ('sync') and off ('async'), for
transactions of 1, 10 and 100 publishes by default, and writes a calibration file (default
reports/postgres-calibration.json) for the simulated database: commitMs (count, mean, p50, p99,
max per durability and group size), commitSamplesMs (the empirical distributions) and commitModel
(fixedMs + perMessageMs x publishes, a least-squares line through the means). It works in a
schema of its own, created and dropped, and touches no existing store.
  --url U              the server (the password is never printed)
  --throwaway-cluster  measure a private cluster started here (initdb in a temp dir; needs
                       PostgreSQL's server binaries, e.g. apt-get install postgresql)
  --samples N          timed transactions per durability and group size (default 200)
  --groups LIST        publishes per transaction (default 1,10,100)
  --message-bytes B    body size of each message (default 100)
`;

/** `qlab calibrate postgres`: bad flags, or a server that cannot be used, exit 2 with one line. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('calibrate postgres', argv, {
    url: { type: 'string' },
    'throwaway-cluster': { type: 'boolean' },
    samples: { type: 'string' },
    groups: { type: 'string' },
    'message-bytes': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`qlab calibrate postgres: unexpected argument '${positionals[0]}'`);
  if ((values.url === undefined) === (values['throwaway-cluster'] !== true)) throw new UsageError('qlab calibrate postgres: give exactly one of --url or --throwaway-cluster');
  const samples = numberFlag('samples', values.samples, { integer: true, min: 10 }) ?? 200;
  const messageBytes = numberFlag('message-bytes', values['message-bytes'], { integer: true, min: 0 }) ?? 100;
  const groupSizes = values.groups === undefined ? [1, 10, 100] : values.groups.split(',').map((g) => numberFlag('groups', g.trim(), { integer: true, min: 1 })!);
  const out = values.out ?? 'reports/postgres-calibration.json';
  writeOrUsage(() => checkWritable(out));
  const pg = await import('../../engine/adapters/postgres/index.ts');
  const { calibratePostgres } = await import('../calibrate/postgresCalibration.ts');
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  let cluster: Awaited<ReturnType<typeof pg.startTestCluster>> | undefined;
  try {
    if (values['throwaway-cluster']) {
      const missing = pg.postgresUnavailableReason();
      if (missing !== undefined) throw new UsageError(`qlab calibrate postgres --throwaway-cluster: ${missing}`);
      progress('postgres calibration: starting a throwaway cluster (initdb in a temp dir)…');
      cluster = await pg.startTestCluster();
    }
    const url = cluster?.url ?? values.url!;
    progress(`postgres calibration: measuring ${pg.redactUrl(url)}`);
    const calibration = await calibratePostgres({ url, samples, groupSizes, messageBytes, onProgress: progress });
    writeOrUsage(() => writeJsonAtomic(out, calibration));
    if (values.json) process.stdout.write(`${JSON.stringify(calibration)}\n`);
    else process.stdout.write(summary(calibration, out));
    return 0;
  } catch (error) {
    if (error instanceof pg.PostgresStoreError) throw new UsageError(`qlab calibrate postgres: ${error.message}`);
    throw error;
  } finally {
    await cluster?.destroy();
  }
}

function summary(c: import('../calibrate/postgresCalibration.ts').PostgresCalibration, out: string): string {
  const lines = [`postgres commit latency of ${c.server.url} (PostgreSQL ${c.server.settings.server_version ?? '?'}, fsync ${c.server.settings.fsync ?? '?'}, wal_sync_method ${c.server.settings.wal_sync_method ?? '?'}) on ${c.machine.cpus} × ${c.machine.cpuModel}`];
  for (const durability of ['sync', 'async'] as const) {
    for (const [size, s] of Object.entries(c.commitMs[durability])) {
      lines.push(`${durability.padEnd(5)} ${size.padStart(4)} per tx   mean ${s.meanMs} ms · p50 ${s.p50Ms} ms · p99 ${s.p99Ms} ms · max ${s.maxMs} ms`);
    }
    const m = c.commitModel[durability];
    lines.push(`${durability.padEnd(5)} model     ${m.fixedMs} ms + ${m.perMessageMs} ms per publish`);
  }
  lines.push(`calibration: ${out}`, '');
  return lines.join('\n');
}
