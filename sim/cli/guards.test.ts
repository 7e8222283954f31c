import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQlab } from './runQlab.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, scenario: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(scenario));
  return file;
};
const work = { broker: { queues: [{ name: 'work' }] }, consumers: [{ queue: 'work', serviceTimeMs: { dist: 'exponential', mean: 5 } }] };

describe('the CLI guards against wrong answers and no answers', () => {
  it('a misspelt routing key: warned in validate and run, counted as unroutable in the summary', () => {
    const file = write('wrok.json', { name: 'wrok', durationSec: 20, replications: 1, producers: [{ routingKey: 'wrok', arrivals: { process: 'poisson', ratePerSec: 10 } }], ...work });
    const validated = runQlab(['validate', file]);
    expect(validated.code).toBe(0);
    expect(validated.stderr).toMatch(/warning: .*wrok\.json: \$\.producers\[0\]\.routingKey: routing key 'wrok' reaches no queue/);
    const ran = runQlab(['run', file, '--out', join(dir, 'wrok-report.json'), '--workers', '1']);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toMatch(/routing key 'wrok' reaches no queue/);
    expect(ran.stdout).toMatch(/unroutable \d+/);
  });

  it('absurd work is refused at once with the estimate (exit 2), not run for minutes', () => {
    const file = write('huge.json', { name: 'huge', durationSec: 1e9, producers: [{ count: 10_000, routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 1e9 } }], ...work });
    const { code, stderr, stdout } = runQlab(['run', file, '--out', join(dir, 'huge-report.json')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/refusing to simulate about 5\.0e\+22 messages/);
    expect(stderr).toMatch(/--max-messages/);
  });

  it('a 10 MB exchange name gives a short error line', () => {
    const file = write('bigname.json', { name: 'big', durationSec: 10, producers: [{ exchange: 'e'.repeat(10 * 1024 * 1024), routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 1 } }], ...work });
    const { code, stderr } = runQlab(['validate', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no exchange 'e{100}…\(10,485,760 chars\)'/);
    expect(stderr.length).toBeLessThan(1000);
  });
});

describe('qlab soak', () => {
  const small = { name: 'small', durationSec: 2, producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 50 } }], ...work, faults: [{ kind: 'consumer-crash', consumer: 0, atSec: [1], reconnectAfterSec: 0.2 }] };

  it('runs each scenario once per seed, says so at once on stderr, and sums up on stdout', () => {
    const file = write('small.json', small);
    const { code, stdout, stderr } = runQlab(['soak', file, '--seeds', '3', '--seed', '5', '--workers', '2']);
    expect(code).toBe(0);
    expect(stderr.split('\n')[0]).toMatch(/^soak: 1 scenario × 3 seeds \(5…7\) = 3 runs, about 300 messages, 2 workers$/);
    expect(stdout).toMatch(/^ok {3}.*small\.json: 3 seeds \(5…7\), 0 failed, \d+ s\nsoak: 3 runs, 0 failed, \d+ s\n$/);
  }, 120_000);

  it('refuses work over the budget with the estimate (exit 2), and --force runs it', () => {
    const file = write('budget.json', small);
    const refused = runQlab(['soak', file, '--seeds', '4', '--max-messages', '100']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to simulate about 400 messages .*4 replications.*--force/);
    expect(refused.stdout).toBe('');
    const forced = runQlab(['soak', file, '--seeds', '4', '--max-messages', '100', '--force', '--workers', '1']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/soak: 4 runs, 0 failed/);
  }, 120_000);
});
