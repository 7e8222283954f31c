import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeReplication } from '../faults/judge.ts';
import { readReplay, replayOf } from '../faults/replayFile.ts';
import { parseScenario } from '../scenario/load.ts';
import { writeReplayOnFailure } from './replay.ts';
import { runQlab } from './runQlab.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-shrink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A lying disk before random crashes: confirmed messages are lost (blamed on the lie, so only --strict calls it a failure). */
const lying = {
  name: 'lying disk',
  durationSec: 20,
  drainSec: 3,
  seed: 9,
  producers: [{ count: 2, routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 30 }, persistent: true, confirms: true }],
  broker: { durability: { fsync: 'always' }, queues: [{ name: 'q', durable: true }] },
  consumers: [{ queue: 'q', count: 3, prefetch: 20, serviceTimeMs: { dist: 'exponential', mean: 200 } }],
  faults: [
    { kind: 'broker-crash', mtbfSec: 4, mttrSec: 0.5 },
    { kind: 'consumer-crash', atSec: [3, 9], consumer: 1 },
    { kind: 'disk-lie', fromSec: 8 },
  ],
};
const scenarioFile = join(dir, 'lying.json');
writeFileSync(scenarioFile, JSON.stringify(lying));

describe('qlab shrink', () => {
  it('writes a smaller scenario that still fails, with progress on stderr, within --max-runs', () => {
    const out = join(dir, 'shrunk.json');
    const { code, stdout, stderr } = runQlab(['shrink', scenarioFile, '--strict', '--max-runs', '25', '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^shrink: run 1\/25 .* fails$/m);
    expect(stderr.match(/^shrink: run \d+\/25/gm)!.length).toBeLessThanOrEqual(25);
    expect(stdout).toMatch(/failure: \d+ confirmed messages lost \(due to injected disk-lie/);
    const parsed = parseScenario(JSON.parse(readFileSync(out, 'utf8')), out);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const s = parsed.scenario;
    const size = s.faults.length + s.producers.reduce((n, p) => n + p.count, 0) + s.consumers.reduce((n, c) => n + c.count, 0) + s.durationSec;
    expect(size).toBeLessThan(3 + 2 + 3 + 20);
    expect(s.replications).toBe(1);
    expect(judgeReplication(true)(s, s.seed)?.failure).toMatch(/confirmed messages lost/);
  });

  it('without --strict the same run does not fail: exit 1 and a hint', () => {
    const { code, stderr } = runQlab(['shrink', scenarioFile, '--max-runs', '5', '--out', join(dir, 'never.json')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/does not fail \(add --strict/);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });

  it('refuses bad flags with exit 2', () => {
    expect(runQlab(['shrink', scenarioFile, '--max-runs', '0']).code).toBe(2);
    expect(runQlab(['shrink']).code).toBe(2);
  });
});

describe('replay files', () => {
  const parsed = parseScenario(lying, 'lying');
  if (!parsed.ok) throw new Error(parsed.errors.join());
  const verdict = judgeReplication(true)(parsed.scenario, 9)!;

  it('a failed run leaves a replay file beside its report, with the exact schedule and the seed', () => {
    const error = Object.assign(new Error('boom'), { seed: 9, faultSchedule: verdict.schedule, invariant: 'something broke' });
    const path = writeReplayOnFailure(error, lying, 'lying disk', join(dir, 'report.json'))!;
    expect(path).toBe(join(dir, 'lying-disk.seed-9.replay.json'));
    const read = readReplay(path);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.replay.seed).toBe(9);
    expect(read.replay.failure).toBe('something broke');
    expect(read.replay.faultSchedule.filter((e) => e.kind === 'broker-crash').length).toBeGreaterThan(2);
  });

  it('qlab run --replay reruns it exactly: the same fault schedule, and says whether the recorded failure reproduces', () => {
    const clean = join(dir, 'clean.replay.json');
    writeFileSync(clean, JSON.stringify(replayOf(lying, 9, verdict.schedule)));
    const ok = runQlab(['run', '--replay', clean]);
    expect(ok.stderr).toMatch(/same fault schedule as recorded \(\d+ events\)/);
    expect(ok.stdout).toMatch(/faults fired\/scheduled: broker-crash \d+\/\d+/);
    expect(ok.code).toBe(0);

    const recorded = join(dir, 'recorded.replay.json');
    writeFileSync(recorded, JSON.stringify(replayOf(lying, 9, verdict.schedule, 'an invariant that no longer breaks')));
    const notAgain = runQlab(['run', '--replay', recorded]);
    expect(notAgain.code).toBe(1);
    expect(notAgain.stderr).toMatch(/the recorded failure did not reproduce/);

    const tampered = join(dir, 'tampered.replay.json');
    writeFileSync(tampered, JSON.stringify({ ...replayOf(lying, 9, verdict.schedule), faultSchedule: verdict.schedule.slice(1) }));
    const differs = runQlab(['run', '--replay', tampered]);
    expect(differs.code).toBe(1);
    expect(differs.stderr).toMatch(/fault schedule differs from the recording — fault event 0/);
  });

  it('refuses a file that is not a replay file, and flags that do not apply, with exit 2', () => {
    const { code, stderr } = runQlab(['run', '--replay', scenarioFile]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a qlab replay file/);
    const seeded = runQlab(['run', '--replay', scenarioFile, '--seed', '3']);
    expect(seeded.code).toBe(2);
    expect(seeded.stderr).toMatch(/--seed does not apply/);
  });
});

describe('runs with the new faults stay deterministic', () => {
  it('--workers 2 writes the byte-identical report --workers 1 writes (confirm window, partition, pause, lying disk)', () => {
    const file = join(dir, 'mixed.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...lying,
        name: 'mixed',
        durationSec: 8,
        replications: 3,
        producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 60 }, persistent: true, confirms: true, messageIds: true, confirmWindow: { maxInFlight: 8, confirmTimeoutMs: 300 } }],
        network: { publishLatencyMs: { dist: 'exponential', mean: 1 } },
        faults: [
          { kind: 'partition', between: 'producers-broker', direction: 'from-broker', fromSec: 2, toSec: 3 },
          { kind: 'pause', process: 'consumer', consumer: 0, atSec: [4], durationSec: 0.5 },
          { kind: 'disk-lie', fromSec: 5, probability: 0.5 },
          { kind: 'broker-crash', mtbfSec: 3, mttrSec: 0.2 },
        ],
      }),
    );
    const one = join(dir, 'mixed-1.json');
    const two = join(dir, 'mixed-2.json');
    expect(runQlab(['run', file, '--out', one, '--workers', '1']).code).toBe(0);
    expect(runQlab(['run', file, '--out', two, '--workers', '2']).code).toBe(0);
    const report = readFileSync(one, 'utf8');
    expect(report).toBe(readFileSync(two, 'utf8'));
    expect(JSON.parse(report).runs[0].result.faults.byKind.partition).toEqual({ scheduled: 3, fired: 3 });
  });
});
