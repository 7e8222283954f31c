import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.ts';

describe('traces from data files', () => {
  it('the loader reads arrivals (timestamps → gaps) and service times from files relative to the scenario', () => {
    const loaded = loadScenario(join(import.meta.dirname, '../../scenarios/teaching/trace-replay.json'));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const arrivals = loaded.scenario.producers[0]!.arrivals;
    expect(arrivals.process === 'trace' && arrivals.interArrivalMs?.length).toBe(2999);
    expect(arrivals).not.toHaveProperty('file');
    const service = loaded.scenario.consumers[0]!.serviceTimeMs;
    expect(service.dist === 'trace' && service.values?.length).toBe(3000);
  });

  it('a bad row is refused naming the field, the file and its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlab-trace-'));
    writeFileSync(join(dir, 'gaps.csv'), 'gap\n10\n12\nten\n');
    writeFileSync(join(dir, 's.json'), JSON.stringify({ name: 's', durationSec: 10, producers: [{ routingKey: 'q', arrivals: { process: 'trace', file: 'gaps.csv' } }], broker: { queues: [{ name: 'q' }] } }));
    const loaded = loadScenario(join(dir, 's.json'));
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.errors[0]).toBe(`${join(dir, 's.json')}: $.producers[0].arrivals.file: ${join(dir, 'gaps.csv')}:4: 'ten' is not a number`);
  });

  it('both values and a file, or neither, is a schema error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlab-trace-'));
    writeFileSync(join(dir, 's.json'), JSON.stringify({ name: 's', durationSec: 10, producers: [{ routingKey: 'q', arrivals: { process: 'trace' } }], broker: { queues: [{ name: 'q' }] } }));
    const loaded = loadScenario(join(dir, 's.json'));
    expect(!loaded.ok && loaded.errors[0]).toMatch(/arrivals\.interArrivalMs: give either interArrivalMs or file/);
  });
});
