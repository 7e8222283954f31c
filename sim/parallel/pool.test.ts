import { afterAll, describe, expect, it } from 'vitest';
import { Scenario } from '../scenario/schema.ts';
import { runTasks, WorkerPool } from './pool.ts';
import type { ReplicationTask } from './task.ts';

const scenario = Scenario.parse({
  name: 'pool',
  durationSec: 2,
  producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 200 } }],
  broker: { queues: [{ name: 'work' }] },
  consumers: [{ queue: 'work', count: 2, serviceTimeMs: { dist: 'exponential', mean: 5 } }],
  faults: [{ kind: 'broker-crash', atSec: [0.7], mttrSec: 0.1, fixedRestart: true }],
});
const tasks = (seeds: number[], checkOnly = false): ReplicationTask[] => seeds.map((seed, index) => ({ index, scenario, seed, records: false, batches: false, checkOnly }));

describe('the worker pool', () => {
  const pool = new WorkerPool(2);
  afterAll(() => pool.close());

  it('keeps its threads across runs, and gives the same results as one thread, in task order', async () => {
    const first = await pool.run(tasks([1, 2, 3]));
    const ids = pool.threadIds;
    expect(ids).toHaveLength(2);
    const second = await pool.run(tasks([4, 5, 6]));
    expect(pool.threadIds).toEqual(ids);
    const here = await runTasks(tasks([1, 2, 3, 4, 5, 6]), 1);
    expect([...first, ...second].map((r) => r.seed)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...first, ...second]).toEqual(here);
  }, 120_000);

  it('check-only tasks report every task as settled, with no statistics to return', async () => {
    const settled: number[] = [];
    const results = await pool.run(tasks([7, 8, 9, 10], true), { onSettled: (task, error) => settled.push(error === undefined ? task.seed : -task.seed) });
    expect(settled.sort()).toEqual([10, 7, 8, 9]);
    expect(results.filter((r) => r !== undefined)).toEqual([]);
  }, 120_000);
});
