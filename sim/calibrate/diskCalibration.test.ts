import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQlab } from '../cli/runQlab.ts';
import { parseScenario } from '../scenario/load.ts';
import { makeDistribution } from '../dist/spec.ts';
import { loadDiskCalibration, withCalibratedDisk } from './loadCalibration.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-calibrate-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('qlab calibrate disk', () => {
  it('writes a calibration whose brokerDisk a scenario accepts as broker.disk, with the measured distributions', () => {
    const out = join(dir, 'disk.json');
    const result = runQlab(['calibrate', 'disk', '--dir', dir, '--samples', '20', '--out', out], { timeoutMs: 120_000 });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/fdatasync\s+mean [\d.]+ ms/);
    const disk = loadDiskCalibration(out);
    expect(disk.syncLatencyMs.dist).toBe('empirical');
    // An fdatasync takes time on any real disk; the samples are the measured ones, sorted.
    const sync = makeDistribution(disk.syncLatencyMs);
    expect(sync.mean).toBeGreaterThan(0);
    const samples = (disk.syncLatencyMs as { samples: number[] }).samples;
    expect(samples).toHaveLength(20);
    expect([...samples].sort((a, b) => a - b)).toEqual(samples);
    const raw = { name: 'with-calibrated-disk', durationSec: 10, broker: { durability: { fsync: 'always' }, queues: [{ name: 'q' }] }, producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 1 } }] };
    const loaded = parseScenario(withCalibratedDisk(raw, disk), 'scenario');
    expect(loaded.ok).toBe(true);
  }, 120_000);

  it('refuses a directory that does not exist, and a file that is not a calibration, by name', () => {
    const missing = runQlab(['calibrate', 'disk', '--dir', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`qlab calibrate: --dir ${join(dir, 'nope')}: not an existing directory`);
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ kind: 'something-else' }));
    expect(() => loadDiskCalibration(other)).toThrow(/other\.json: not a qlab disk calibration \(kind: /);
    expect(runQlab(['calibrate', 'moon']).stderr).toMatch(/say what to calibrate: disk or rabbitmq \(got 'moon'\)/);
  }, 60_000);
});
