import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../engine/adapters/postgres/index.ts';
import { postgresTestsCanRun, useTestCluster } from '../../engine/adapters/postgres/postgresTestGate.ts';
import { main } from '../cli/main.ts';
import { calibratePostgres, linearFit } from './postgresCalibration.ts';

describe('linearFit', () => {
  it('recovers the fixed and per-message cost of points on a line', () => {
    expect(linearFit([[1, 2.5], [10, 7], [100, 52]])).toEqual({ fixedMs: 2, perMessageMs: 0.5 });
  });
  it('with one group size, all of the mean is the fixed cost', () => {
    expect(linearFit([[10, 4]])).toEqual({ fixedMs: 4, perMessageMs: 0 });
  });
});

describe('qlab calibrate postgres, bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qlab-pgcal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('an unreachable server: exit 2, one line naming it without the password, nothing written', async () => {
    const out = join(dir, 'cal.json');
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(await main(['calibrate', 'postgres', '--url', 'postgres://qlab:topsecret@127.0.0.1:1/postgres', '--out', out])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/qlab calibrate postgres: cannot reach PostgreSQL at postgres:\/\/qlab:\*\*\*@127\.0\.0\.1:1\/postgres: ECONNREFUSED/);
    expect(errors.join('')).not.toContain('topsecret');
    expect(existsSync(out)).toBe(false);
  }, 30_000);
});

const RUN = postgresTestsCanRun('the PostgreSQL calibration test');

describe.runIf(RUN)('calibratePostgres on a throwaway cluster', () => {
  const cluster = useTestCluster();

  it('measures every durability and group size asked for, and leaves no schema behind', async () => {
    const c = await calibratePostgres({ url: cluster.url, samples: 12, groupSizes: [1, 5], messageBytes: 10 });
    expect(c.server.url).not.toContain(cluster.password);
    expect(c.server.settings.fsync).toBe('on');
    for (const durability of ['sync', 'async'] as const) {
      expect(Object.keys(c.commitMs[durability])).toEqual(['1', '5']);
      for (const size of ['1', '5']) {
        const s = c.commitMs[durability][size]!;
        expect(s.count).toBe(12);
        expect(s.p50Ms!).toBeGreaterThan(0);
        expect(s.p50Ms!).toBeLessThanOrEqual(s.p99Ms!);
        const samples = c.commitSamplesMs[durability][size]!;
        expect(samples).toHaveLength(12);
        expect(samples).toEqual([...samples].sort((a, b) => a - b));
      }
      expect(Number.isFinite(c.commitModel[durability].fixedMs)).toBe(true);
    }
    const admin = await connectPostgres(cluster.url);
    const left = await admin.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'qlab_calibrate_%'");
    await admin.end();
    expect(left.rows).toEqual([]);
  }, 120_000);
});
