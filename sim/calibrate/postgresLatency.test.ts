import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitLatencyMs } from '../disk/simDatabase.ts';
import { makeDistribution } from '../dist/spec.ts';
import { randomStreams } from '../random/streams.ts';
import { PostgresStoreSpec } from '../scenario/storeSpec.ts';
import { loadPostgresCalibration, withCalibratedDatabase } from './postgresLatency.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-pg-cal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};
/** The fields of a `qlab calibrate postgres` file the loader reads (others, as machine or server, are ignored). */
const calibration = (extra: object = {}) => ({
  kind: 'qlab-postgres-calibration',
  version: 1,
  commitModel: { sync: { fixedMs: 2.5, perMessageMs: 0.04 }, async: { fixedMs: 0.4, perMessageMs: 0.03 } },
  ...extra,
});

/** The mean commit latency of `ops` rows the simulated database draws with this latency, over many samples. */
function meanCommitMs(file: string, ops: number, mode: 'sync' | 'async'): number {
  const latency = loadPostgresCalibration(file);
  const model = { roundTripMs: makeDistribution(latency.roundTripMs), walFlushMs: makeDistribution(latency.walFlushMs), perOpMs: latency.perOpMs, openMs: 1, openPerMessageMs: 0 };
  const random = randomStreams(7).stream('db');
  let sum = 0;
  for (let i = 0; i < 20_000; i++) sum += commitLatencyMs(model, random, ops, mode);
  return sum / 20_000;
}

describe('the simulated database calibrated from qlab calibrate postgres', () => {
  it('commits cost what the calibration measured: the sync line with synchronous commit, the async line without', () => {
    const file = write('lines.json', calibration());
    expect(loadPostgresCalibration(file)).toEqual({ roundTripMs: { dist: 'deterministic', mean: 0.4 }, walFlushMs: { dist: 'deterministic', mean: 2.1 }, perOpMs: 0.04 });
    expect(meanCommitMs(file, 1, 'sync')).toBeCloseTo(2.5 + 0.04, 6);
    expect(meanCommitMs(file, 100, 'sync')).toBeCloseTo(2.5 + 4, 6);
    expect(meanCommitMs(file, 1, 'async')).toBeCloseTo(0.4 + 0.04, 6);
  });

  it('the measured one-publish async commits give the round trip its distribution', () => {
    const samples = [0.3, 0.35, 0.4, 0.5, 0.9];
    const file = write('samples.json', calibration({ commitSamplesMs: { async: { '1': samples, '10': [9] }, sync: { '1': [3] } } }));
    const latency = loadPostgresCalibration(file);
    expect(latency.roundTripMs).toEqual({ dist: 'empirical', samples });
    const mean = meanCommitMs(file, 1, 'async') - latency.perOpMs;
    expect(mean).toBeGreaterThan(0.3);
    expect(mean).toBeLessThan(0.9);
  });

  it('a scenario takes the calibrated latency and keeps its other database settings', () => {
    const file = write('scenario.json', calibration());
    const raw = { name: 's', broker: { durability: { store: 'postgres', postgres: { synchronousCommit: 'off', latency: { openMs: 9 } } } } };
    const calibrated = withCalibratedDatabase(raw, loadPostgresCalibration(file)) as typeof raw;
    const spec = PostgresStoreSpec.parse(calibrated.broker.durability.postgres);
    expect(spec.synchronousCommit).toBe('off');
    expect(spec.latency).toMatchObject({ openMs: 9, perOpMs: 0.04, walFlushMs: { dist: 'deterministic', mean: 2.1 } });
    expect(raw.broker.durability.postgres.latency).toEqual({ openMs: 9 });
  });

  it('a missing, broken or foreign file: an error naming the file and the field', () => {
    expect(() => loadPostgresCalibration(join(dir, 'absent.json'))).toThrow(/absent\.json: no such file/);
    expect(() => loadPostgresCalibration(write('broken.json', '{'))).toThrow(/broken\.json: not valid JSON/);
    expect(() => loadPostgresCalibration(write('disk.json', { kind: 'qlab-disk-calibration', version: 1 }))).toThrow(/disk\.json: not a qlab PostgreSQL calibration \(kind: .*make one with qlab calibrate postgres/);
    expect(() => loadPostgresCalibration(write('noline.json', calibration({ commitModel: { sync: { fixedMs: 1, perMessageMs: 0 } } })))).toThrow(/commitModel\.async/);
  });
});
