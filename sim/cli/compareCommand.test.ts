import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQlab } from './runQlab.ts';

const dir = mkdtempSync(join(tmpdir(), 'qlab-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'durability'));

/** A publisher with a confirm window on a durable queue; the fsync policy is the setting compared. */
function setting(fsync: 'always' | 'never'): string {
  const file = join(dir, 'durability', `fsync-${fsync}-with-a-long-descriptive-name.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name: `fsync-${fsync}-with-a-long-descriptive-name`,
      description: 'x'.repeat(300),
      durationSec: 20,
      replications: 2,
      producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 200 }, persistent: true, confirms: true, confirmWindow: { maxInFlight: 4 } }],
      broker: { durability: { fsync }, disk: { syncLatencyMs: { dist: 'deterministic', mean: 10 } }, queues: [{ name: 'q', durable: true }] },
      consumers: [{ queue: 'q', prefetch: 10, serviceTimeMs: { dist: 'exponential', mean: 1 } }],
    }),
  );
  return file;
}
const files = [setting('always'), setting('never')];

describe('qlab compare', () => {
  it('titles the set shortly, shows settings as rows within 100 columns, and the cost of fsync always in confirm latency and achieved rate', () => {
    const out = join(dir, 'cmp.json');
    const r = runQlab(['compare', ...files, '--out', out, '--workers', '2'], { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('2 durability settings');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines[1]).toMatch(/^setting\s+done\/s\s+short\s+cfm p50\s+cfm p99\s+cfm max/);
    // Names lose their shared prefix; every row is one setting.
    const always = lines.find((l) => l.startsWith('always-'))!;
    const never = lines.find((l) => l.startsWith('never-'))!;
    // fsync always: ≥ one 10 ms sync per confirm, 4 in flight ⇒ at most ~400 msg/s in theory, and it
    // shows; fsync never confirms at once.
    const p50 = (line: string) => Number(/([\d.]+) ms/.exec(line.split(/\s{3,}/)[3]!)?.[1]);
    expect(p50(always)).toBeGreaterThan(10);
    expect(p50(never)).toBeLessThan(5);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.title).toBe('2 durability settings');
    expect(report.description.length).toBeLessThan(200);
  }, 300_000);

  it('--metrics picks the columns; an unknown one is a usage error listing the choices', () => {
    const r = runQlab(['compare', ...files, '--metrics', 'offered,achieved,lost', '--out', join(dir, 'm.json'), '--workers', '2'], { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(/^setting\s+offered\/s\s+done\/s\s+lost$/);
    const bad = runQlab(['compare', ...files, '--metrics', 'speed']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metrics: unknown speed; choose from state, offered, achieved/);
  }, 300_000);

  it('shows what auto ack loses in a consumer crash (lost-in-consumer), in the default columns too', () => {
    const ackFile = (ack: 'auto' | 'manual') => {
      const file = join(dir, `${ack}-ack-consumer-crash.json`);
      writeFileSync(
        file,
        JSON.stringify({
          name: `${ack}-ack-consumer-crash`,
          durationSec: 20,
          replications: 2,
          producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 100 } }],
          broker: { queues: [{ name: 'q' }] },
          consumers: [{ queue: 'q', count: 2, prefetch: 20, ack, serviceTimeMs: { dist: 'exponential', mean: 15 } }],
          faults: [{ kind: 'consumer-crash', consumer: 0, atSec: [5, 12], reconnectAfterSec: 1 }],
        }),
      );
      return file;
    };
    const pair = [ackFile('auto'), ackFile('manual')];
    const r = runQlab(['compare', ...pair, '--metrics', 'lost,lost-in-consumer', '--out', join(dir, 'ack.json'), '--workers', '2'], { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/^setting\s+lost\s+lost csm$/);
    const lostInConsumer = (prefix: string) => Number(lines.find((l) => l.startsWith(prefix))!.trim().split(/\s+/).pop()!.replace(/,/g, ''));
    expect(lostInConsumer('auto')).toBeGreaterThan(0);
    expect(lostInConsumer('manual')).toBe(0);
    const byDefault = runQlab(['compare', ...pair, '--out', join(dir, 'ack2.json'), '--workers', '2'], { timeoutMs: 300_000 });
    expect(byDefault.stdout.split('\n')[1]).toMatch(/lost csm/);
  }, 300_000);
});
