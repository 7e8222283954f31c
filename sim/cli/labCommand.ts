import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { reportOf, scenariosOf, tasksOf, type JobSpec } from '../report/jobs.ts';
import { writeJsonAtomic } from '../report/write.ts';
import { parseCommandArgs, numberFlag } from './args.ts';
import { duration, num, table } from './format.ts';
import { executeTasks, loadOrUsage, slug, writeOrUsage } from './shared.ts';
import { defaultWorkers } from '../parallel/pool.ts';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** The shipped lab: theory next to simulation, a capacity question and the reliability trade-off. */
export const LAB = [
  'teaching/mmc.json',
  'teaching/mmck.json',
  'teaching/priority.json',
  'teaching/mg1.json',
  'capacity/burst-absorption.json',
  'reliability/fsync-always-manual-ack-confirms.json',
  'reliability/fsync-batch-manual-ack-confirms.json',
  'reliability/fsync-never-manual-ack-confirms.json',
];

/**
 * Shorter runs than the files ask for, so `npm start` stays under 10 s on two cores: the reliability
 * trio still sees about three crashes per replication (mean time between failures 30 s), the burst
 * question still sees about 15 on/off cycles (20 s each) per replication. `qlab run <file>` runs the full length.
 */
export const LAB_DURATION_SEC: Record<string, number> = {
  'capacity/burst-absorption.json': 300,
  'reliability/fsync-always-manual-ack-confirms.json': 90,
  'reliability/fsync-batch-manual-ack-confirms.json': 90,
  'reliability/fsync-never-manual-ack-confirms.json': 90,
};

const HELP = `qlab lab [--out dir] [--workers N]

Runs the shipped lab — ${LAB.length} scenarios from scenarios/ — into reports/lab/ (one report each) and
prints a summary: theory against simulation, a burst-absorption question, and what each fsync
policy loses when the broker crashes. To stay quick it runs the burst question for 300 s and the
reliability trio for 90 s (their files say 600 s and 180 s; qlab run uses the files' lengths).
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('lab', argv, { out: { type: 'string' }, workers: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const outDir = values.out ?? 'reports/lab';
  const workers = numberFlag('workers', values.workers, { integer: true, min: 1 }) ?? defaultWorkers();
  const started = performance.now();
  // All replications of all scenarios as one batch of tasks, so the worker threads stay busy.
  const jobs = LAB.map((file) => {
    const { scenario, raw: full } = loadOrUsage(join(SCENARIOS, file));
    const shorter = LAB_DURATION_SEC[file];
    const raw = shorter === undefined ? full : { ...(full as object), durationSec: shorter };
    const spec: JobSpec = { kind: 'run', title: scenario.name, description: scenario.description, seed: scenario.seed, replications: scenario.replications, points: [{ label: scenario.name, raw }] };
    return { file, spec, scenarios: scenariosOf(spec) };
  });
  let offset = 0;
  const tasks = jobs.flatMap((job) => {
    const tasks = tasksOf(job.spec, job.scenarios).map((t) => ({ ...t, index: offset + t.index }));
    offset += tasks.length;
    return tasks;
  });
  const results = await executeTasks(tasks, workers, 'lab');
  const rows = [['scenario', 'theory', 'Wq verdict', 'wait mean', 'wait p99', 'throughput /s', 'lost', 'report']];
  offset = 0;
  for (const job of jobs) {
    const mine = results.slice(offset, offset + job.spec.replications);
    offset += job.spec.replications;
    const { report, results: runs } = reportOf(job.spec, job.scenarios, mine);
    const out = join(outDir, `${slug(job.spec.title)}.json`);
    writeOrUsage(() => writeJsonAtomic(out, report));
    const r = runs[0]!;
    rows.push([
      job.spec.title,
      r.theory?.model ?? '—',
      r.theory?.verdict.Wq ?? '—',
      duration(r.summary.wait.mean),
      duration(r.summary.wait.p99.mean),
      num(r.summary.throughput.mean),
      r.accounting.confirmed > 0 ? `${num(r.accounting.lost)} of ${num(r.accounting.confirmed)} confirmed` : '—',
      relative(process.cwd(), out) || out,
    ]);
  }
  process.stdout.write(
    `queuelab — the default lab (${tasks.length} replications, ${((performance.now() - started) / 1000).toFixed(1)} s wall clock)\n\n${table(rows)}\n\n` +
      `Reading it: "inside" means the simulated 95 % interval contains the queueing-theory value. The three\n` +
      `reliability rows differ only in the fsync policy: with "always" nothing confirmed is lost through\n` +
      `the crashes; "never" confirms before anything is on disk, and loses some.\n\n` +
      `Next: npx qlab run scenarios/teaching/mm1.json · npx qlab compare scenarios/reliability/*manual-ack-confirms.json\n` +
      `      npx qlab view ${outDir}   (the D3 viewer) · npx qlab --help\n`,
  );
  return 0;
}
