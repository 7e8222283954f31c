import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReport } from '../report/schema.ts';
import { runQlab } from './runQlab.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = join(dir, 'small.json');
writeFileSync(
  small,
  JSON.stringify({
    name: 'small',
    description: 'A short M/M/2 for CLI tests.',
    durationSec: 3000,
    replications: 3,
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 1.2 } }],
    broker: { queues: [{ name: 'work' }] },
    consumers: [{ queue: 'work', count: 2, prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: 1000 } }],
  }),
);
const broken = join(dir, 'broken.json');
writeFileSync(broken, JSON.stringify({ name: 'broken', durationSec: 10, producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: -1 } }], broker: { queues: [{ name: 'work' }] } }));
const read = (file: string) => readFileSync(file, 'utf8');

describe('qlab run', () => {
  it('writes a valid report and prints the summary with theory and verdict', () => {
    const out = join(dir, 'run.json');
    const { code, stdout } = runQlab(['run', small, '--out', out, '--workers', '1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/wait Wq .* (inside|outside)/);
    expect(stdout).toMatch(/theory: mmc/);
    const parsed = parseReport(read(out), out);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.report.runs[0]!.result.theory?.model).toBe('mmc');
  });

  it('--json prints the report alone on stdout; progress goes to stderr', () => {
    const { code, stdout } = runQlab(['run', small, '--json', '--out', join(dir, 'json.json'), '--workers', '1']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ version: 1, kind: 'run' });
  });

  it('--workers N gives the byte-identical report --workers 1 gives', () => {
    const one = join(dir, 'w1.json');
    const two = join(dir, 'w2.json');
    expect(runQlab(['run', small, '--out', one, '--workers', '1']).code).toBe(0);
    expect(runQlab(['run', small, '--out', two, '--workers', '2']).code).toBe(0);
    expect(read(two)).toBe(read(one));
  });

  it('--records writes one CSV row per message', () => {
    const csv = join(dir, 'records.csv');
    expect(runQlab(['run', small, '--out', join(dir, 'r.json'), '--records', csv, '--replications', '1']).code).toBe(0);
    const lines = read(csv).trim().split('\n');
    expect(lines[0]).toBe('message,queue,priority,arrivalMs,firstDeliveryMs,serviceStartMs,endMs,deliveries,outcome');
    expect(lines.length).toBeGreaterThan(3000);
    expect(lines[1]).toMatch(/^0,work,0,[\d.]+,[\d.]+,[\d.]+,[\d.]+,1,acked$/);
  });
});

describe('qlab sweep, shards and merge', () => {
  it('a sweep split into shards merges into the very report one machine writes', () => {
    const whole = join(dir, 'sweep.json');
    const param = 'producers[0].arrivals.ratePerSec=0.6,1.2';
    expect(runQlab(['sweep', small, '--param', param, '--replications', '2', '--out', whole, '--workers', '1']).code).toBe(0);
    const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.json`));
    parts.forEach((part, i) => expect(runQlab(['sweep', small, '--param', param, '--replications', '2', '--shard', `${i}/3`, '--out', part, '--workers', '1']).code).toBe(0));
    const merged = join(dir, 'merged.json');
    const { code } = runQlab(['merge', parts[2]!, parts[0]!, parts[1]!, '--out', merged]);
    expect(code).toBe(0);
    expect(read(merged)).toBe(read(whole));
    const report = JSON.parse(read(whole));
    expect(report.runs.map((r: { params: Record<string, number> }) => r.params['producers[0].arrivals.ratePerSec'])).toEqual([0.6, 1.2]);
  });

  it('merge refuses an incomplete set of parts', () => {
    const { code, stderr } = runQlab(['merge', join(dir, 'part-0.json'), '--out', join(dir, 'nope.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/a shard is missing/);
    expect(existsSync(join(dir, 'nope.json'))).toBe(false);
  });
});

describe('qlab plan', () => {
  it('finds the smallest consumer count meeting the target, bracketed by theory', () => {
    const { code, stdout } = runQlab(['plan', small, '--target', 'mean wait < 300ms', '--out', join(dir, 'plan.json'), '--workers', '1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/G\/G\/c approximation \(Allen–Cunneen\) points to 3/);
    const report = JSON.parse(read(join(dir, 'plan.json')));
    expect(report.kind).toBe('plan');
    // M/M/c at λ = 1.2, μ = 1: c = 2 gives Wq ≈ 675 ms, c = 3 ≈ 87 ms.
    expect(report.plan.answer).toBe(3);
  });
});

describe('bad input', () => {
  it('an invalid scenario exits 2 naming the field, and writes nothing', () => {
    const out = join(dir, 'never.json');
    const { code, stdout, stderr } = runQlab(['run', broken, '--out', out]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/broken\.json: \$\.producers\[0\]\.arrivals\.ratePerSec: .*>0/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('a failed run leaves an existing report as it was', () => {
    const out = join(dir, 'keep.json');
    writeFileSync(out, 'previous report');
    expect(runQlab(['run', broken, '--out', out]).code).toBe(2);
    expect(read(out)).toBe('previous report');
  });

  it('a missing file, an unknown flag and a bad flag value are one line each, exit 2, naming the file or flag', () => {
    const cases: [string[], RegExp][] = [
      [['run', join(dir, 'missing.json')], /missing\.json: no such file/],
      [['run', small, '--bogus'], /Unknown option '--bogus'/],
      [['run', small, '--replications', 'many'], /^--replications must be a whole number ≥ 1, got 'many'/],
      [['sweep', small, '--param', 'x'], /^--param must be path=values, got 'x'/],
    ];
    for (const [args, reason] of cases) {
      const { code, stdout, stderr } = runQlab(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(reason);
    }
  });

  it('an unwritable output path is one clear line, exit 2, and no temporary file is left', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const { code, stderr } = runQlab(['run', small, '--out', join(blocker, 'report.json'), '--replications', '2', '--workers', '1']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n').pop()).toMatch(/cannot write .*report\.json: (ENOTDIR|EEXIST)/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('validate reports each file: ok, or its errors; exit 2 if any is invalid', () => {
    const { code, stdout, stderr } = runQlab(['validate', small, broken]);
    expect(code).toBe(2);
    expect(stdout).toMatch(/ok: .*small\.json/);
    expect(stderr).toMatch(/broken\.json: \$\.producers\[0\]/);
  });
});
