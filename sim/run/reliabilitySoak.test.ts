import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load.ts';
import { checkReplication, type ReplicationCheck } from './replication.ts';

/**
 * The fast subset of the soak (`npm run soak` is seeds 1–1,000): every shipped reliability scenario
 * over a few seeds, judged as the soak judges, plus what each setting must show under its crashes.
 */
const DIR = 'scenarios/reliability';
const SEEDS = [1, 2, 3];
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

const total = (runs: ReplicationCheck[], key: 'lost' | 'lostInConsumer' | 'redeliveries') => runs.reduce((sum, r) => sum + r.accounting[key], 0);

describe('the shipped reliability scenarios, seeds 1–3 (the soak’s fast subset)', () => {
  it.each(files)('%s: every run ends clean, its faults fired, and it shows what its settings promise', (file) => {
    const loaded = loadScenario(join(DIR, file));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const s = loaded.scenario;
    const runs = SEEDS.map((seed) => checkReplication(s, seed)); // throws on any broken invariant
    for (const r of runs) {
      expect(r.drained).toBe(true);
      expect(r.faults!.byKind['consumer-crash']!.fired).toBeGreaterThan(0);
      expect(r.accounting.unexpected).toBe(0);
    }
    const ack = s.consumers[0]!.ack;
    const confirms = s.producers[0]!.confirms;
    const fsync = s.broker.durability!.fsync;
    // Auto ack loses what crashing consumers held; manual ack never does, it redelivers.
    if (ack === 'auto') expect(total(runs, 'lostInConsumer')).toBeGreaterThan(0);
    else {
      expect(total(runs, 'lostInConsumer')).toBe(0);
      expect(total(runs, 'redeliveries')).toBeGreaterThan(0);
    }
    // A confirmed message survives broker crashes unless fsync never syncs it (or the disk lies), or a
    // database crash takes the last unflushed window of asynchronous commits.
    const lying = s.faults.some((f) => f.kind === 'disk-lie');
    const asyncWindowLost = s.broker.durability?.postgres?.synchronousCommit === 'off' && s.faults.some((f) => f.kind === 'database-crash');
    const loses = fsync === 'never' || lying || asyncWindowLost;
    if (confirms && !loses) expect(total(runs, 'lost')).toBe(0);
    if (confirms && ack === 'manual' && loses) expect(total(runs, 'lost')).toBeGreaterThan(0);
  }, 300_000);
});
