import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Report } from '../report/schema.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { runQlab } from '../cli/runQlab.ts';
import { executeRealRun } from './realRun.ts';
import { realModeRefusal, wallTimeRefusal } from './realGuard.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-real-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenario(extra: Record<string, unknown> = {}): { scenario: Scenario; raw: unknown } {
  const raw = {
    name: 'tiny-real',
    durationSec: 2,
    warmupSec: 0.2,
    drainSec: 5,
    producers: [{ routingKey: 'work', arrivals: { process: 'deterministic', ratePerSec: 100 } }],
    broker: { queues: [{ name: 'work' }] },
    consumers: [{ queue: 'work', count: 2, prefetch: 1, serviceTimeMs: { dist: 'deterministic', mean: 3 } }],
    ...extra,
  };
  const loaded = parseScenario(raw, 'tiny-real');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return { scenario: loaded.scenario, raw };
}

describe('a real-mode run', () => {
  it('publishes on the intended schedule whatever the timers slip, serves every message, and reports timing as measured', async () => {
    const { scenario: s, raw } = scenario();
    const outcome = await executeRealRun(s, raw, { seed: 1, replications: 1 });
    // Arrivals every 10 ms strictly before 2000 ms: 199 of them, however late each timer ran —
    // a schedule that restarted from each late arrival would publish fewer.
    expect(outcome.result.accounting.published).toBe(199);
    expect(outcome.result.accounting.acked).toBe(199);
    expect(outcome.result.liveness.drained).toBe(true);
    expect(outcome.info.arrivalLateness.count).toBe(199);
    expect(outcome.info.mode).toBe('real');
    // A wait for 3 ms on a real timer never ends early.
    const realised = outcome.realisedServiceMs.work!;
    expect(realised).toHaveLength(199);
    expect(Math.min(...realised)).toBeGreaterThanOrEqual(3);
    expect(outcome.info.serviceTime[0]).toMatchObject({ queue: 'work', nominalMeanMs: 3, count: 199 });
    expect(Report.safeParse(JSON.parse(JSON.stringify(outcome.report))).success).toBe(true);
  }, 60_000);

  it('a durable broker with fsync always writes its log to real files and confirms every publish', async () => {
    const { scenario: s, raw } = scenario({
      durationSec: 1,
      broker: { durability: { fsync: 'always' }, queues: [{ name: 'work', durable: true }] },
      producers: [{ routingKey: 'work', persistent: true, confirms: true, arrivals: { process: 'deterministic', ratePerSec: 50 } }],
    });
    const outcome = await executeRealRun(s, raw, { seed: 1, replications: 1, dir, keepLog: true });
    expect(outcome.result.accounting.published).toBe(49);
    expect(outcome.result.accounting.confirmed).toBe(49);
    expect(outcome.result.accounting.acked).toBe(49);
    const logDirs = readdirSync(dir).filter((d) => d.startsWith('qlab-real-'));
    expect(logDirs).toHaveLength(1);
    const files = readdirSync(join(dir, logDirs[0]!));
    expect(files.reduce((bytes, f) => bytes + statSync(join(dir, logDirs[0]!, f)).size, 0)).toBeGreaterThan(49 * 100);
    expect(outcome.info.disk?.dir).toBe(dir);
  }, 60_000);
});

describe('what real mode refuses', () => {
  it('disk faults, by name (broker crashes move the broker to a child process instead)', () => {
    const { scenario: s } = scenario({ faults: [{ kind: 'disk-stall', atSec: 1, durationSec: 0.5 }] });
    expect(realModeRefusal(s)).toMatch(/cannot inject 'disk-stall' faults/);
    const { scenario: crash } = scenario({ faults: [{ kind: 'broker-crash', atSec: [1] }, { kind: 'disk-stall', atSec: 1, durationSec: 0.5 }] });
    expect(realModeRefusal(crash)).toMatch(/child process.*faults 'disk-stall'.*only 'broker-crash'/);
    expect(realModeRefusal(scenario().scenario)).toBeUndefined();
  });

  it('hours of wall time, naming the expected duration, unless allowed', () => {
    const { scenario: s } = scenario({ durationSec: 20000, drainSec: 100 });
    expect(wallTimeRefusal(s, false)).toMatch(/would take 5\.6 h of arrivals plus up to 100 s of drain/);
    expect(wallTimeRefusal(s, true)).toBeUndefined();
  });

  it('on the command line: exit 2 with one clear line', () => {
    const file = join(dir, 'long.json');
    writeFileSync(file, JSON.stringify(scenario({ durationSec: 20000 }).raw));
    const result = runQlab(['run', file, '--mode', 'real']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^qlab run: real mode runs in wall time: 'tiny-real' would take 5\.6 h/);
    const badMode = runQlab(['run', file, '--mode', 'warp']);
    expect(badMode.code).toBe(2);
    expect(badMode.stderr).toMatch(/--mode must be sim, real or rabbitmq/);
  }, 60_000);
});
