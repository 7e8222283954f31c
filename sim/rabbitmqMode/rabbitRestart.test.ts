import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQlab } from '../cli/runQlab.ts';
import { rabbitmqAvailable, startRabbitServer, type RabbitServer } from '../rabbitmq/server.ts';
import { parseReport } from '../report/schema.ts';

const REQUIRE_RABBITMQ = process.env.QLAB_REQUIRE_RABBITMQ === '1';
const dir = mkdtempSync(join(tmpdir(), 'qlab-rabbit-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenarioFile(name: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `${name}.json`);
  const queue = `${name}-q`;
  writeFileSync(
    file,
    JSON.stringify({
      name,
      description: 'A durable workload with one broker crash, for the --restart-cmd tests.',
      durationSec: 30,
      warmupSec: 0.5,
      drainSec: 60,
      broker: { durability: { fsync: 'always' }, queues: [{ name: queue, durable: true }] },
      producers: [{ routingKey: queue, persistent: true, confirms: true, arrivals: { process: 'deterministic', ratePerSec: 40 } }],
      consumers: [{ queue, count: 2, prefetch: 1, ack: 'manual', serviceTimeMs: { dist: 'deterministic', mean: 5 } }],
      faults: [{ kind: 'broker-crash', atSec: [2], mttrSec: 1, fixedRestart: true }],
      ...extra,
    }),
  );
  return file;
}

describe('rabbitmq mode broker restarts without a broker', () => {
  it('a broker-crash fault without --restart-cmd is refused naming the flag; --restart-cmd without rabbitmq mode too', () => {
    const refused = runQlab(['run', scenarioFile('norestart'), '--mode', 'rabbitmq', '--amqp-url', 'amqp://guest:guest@127.0.0.1:1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`faults 'broker-crash': give --restart-cmd "<shell command>"`);
    const misplaced = runQlab(['run', scenarioFile('norestart'), '--mode', 'real', '--restart-cmd', 'true']);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr.trim()).toBe('qlab run: --restart-cmd goes with --mode rabbitmq (real mode restarts its own broker child)');
  }, 60_000);
});

describe.runIf(rabbitmqAvailable())('rabbitmq mode with --restart-cmd against a real broker', () => {
  let server: RabbitServer;
  beforeAll(async () => {
    server = await startRabbitServer();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  it('restarts the broker app at the crash time, reconnects, and accounts as the simulator does: no confirmed message lost', () => {
    const out = join(dir, 'restart.json');
    const command = `${server.ctl('stop_app')} && ${server.ctl('start_app')}`;
    const r = runQlab(['run', scenarioFile('restart'), '--mode', 'rabbitmq', '--amqp-url', server.url, '--restart-cmd', command, '--out', out], { timeoutMs: 400_000 });
    expect(r.code, r.stderr).toBe(0);
    const parsed = parseReport(readFileSync(out, 'utf8'), out);
    if (!parsed.ok) throw new Error(parsed.error);
    const run = parsed.report.runs[0]!.result;
    const a = run.accounting;
    expect(run.summary.recovery.crashes).toBe(1);
    expect(run.summary.recovery.recoveryMs).toHaveLength(1);
    expect(run.liveness.drained).toBe(true);
    // The app was down for seconds while arrivals went on: some publishes found no broker.
    expect(a.unavailable).toBeGreaterThan(0);
    expect(a.published + a.unavailable).toBe(a.attempted);
    // Durable queue, persistent messages, confirms, manual ack: RabbitMQ keeps every confirmed one.
    expect(a.lost).toBe(0);
    expect(a.acked).toBeGreaterThanOrEqual(a.confirmed);
    expect(a.acked + a.lostUnconfirmed + a.stranded).toBe(a.published);
  }, 420_000);

  it('a restart command that fails stops the run with its output, exit 2', () => {
    const r = runQlab(['run', scenarioFile('failing', { durationSec: 4 }), '--mode', 'rabbitmq', '--amqp-url', server.url, '--restart-cmd', 'echo boom >&2; exit 3', '--out', join(dir, 'f.json')], { timeoutMs: 200_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('qlab run: --restart-cmd exited with code 3: boom');
  }, 220_000);
});

describe.skipIf(rabbitmqAvailable())('rabbitmq mode restarts: broker unavailable', () => {
  it.runIf(REQUIRE_RABBITMQ)('QLAB_REQUIRE_RABBITMQ=1 but rabbitmq-server is not installed', () => {
    throw new Error('rabbitmq-server is required here (QLAB_REQUIRE_RABBITMQ=1): apt-get install rabbitmq-server');
  });
  it.skip('live restart tests skipped: rabbitmq-server is not installed (apt-get install rabbitmq-server)', () => {});
});
