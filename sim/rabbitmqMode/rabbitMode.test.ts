import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQlab } from '../cli/runQlab.ts';
import { rabbitmqAvailable, startRabbitServer, type RabbitServer } from '../rabbitmq/server.ts';
import { parseReport } from '../report/schema.ts';
import { parseScenario } from '../scenario/load.ts';
import { queueArguments, rabbitRefusals } from './rabbitTopology.ts';

const REQUIRE_RABBITMQ = process.env.QLAB_REQUIRE_RABBITMQ === '1';
const dir = mkdtempSync(join(tmpdir(), 'qlab-rabbit-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenarioFile(name: string, extra: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      description: 'A short workload for the RabbitMQ-mode tests.',
      durationSec: 2,
      warmupSec: 0.2,
      drainSec: 10,
      broker: { queues: [{ name: `${name}-q` }] },
      producers: [{ routingKey: `${name}-q`, arrivals: { process: 'deterministic', ratePerSec: 50 } }],
      consumers: [{ queue: `${name}-q`, count: 2, prefetch: 1, serviceTimeMs: { dist: 'deterministic', mean: 5 } }],
      ...extra,
    }),
  );
  return file;
}

describe('RabbitMQ mode without a broker', () => {
  it('names every feature RabbitMQ has no equivalent for', () => {
    const loaded = parseScenario(
      JSON.parse(readFileSync(scenarioFile('refused', { producers: [{ routingKey: 'refused-q', messageTtlMs: 100, arrivals: { process: 'poisson', ratePerSec: 1 } }], broker: { queues: [{ name: 'refused-q', dedupWindowMs: 1000 }] } }), 'utf8')),
      'refused',
    );
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const refused = rabbitRefusals(loaded.scenario).join('\n');
    expect(refused).toMatch(/producers\[0\]\.messageTtlMs: per-message TTL as patience — RabbitMQ expires per-message TTL only at the head of the queue/);
    expect(refused).toMatch(/broker\.queues\[0\]\.dedupWindowMs/);
  });

  it('maps queue options to their x- arguments, and a delivery limit to a quorum queue', () => {
    expect(queueArguments({ name: 'q', durable: true, maxPriority: 5, maxLength: 10, overflow: 'reject-publish', deadLetterExchange: 'dlx', deadLetterRoutingKey: 'dead', messageTtlMs: 500, deliveryLimit: 3 })).toEqual({
      'x-max-priority': 5,
      'x-max-length': 10,
      'x-overflow': 'reject-publish',
      'x-dead-letter-exchange': 'dlx',
      'x-dead-letter-routing-key': 'dead',
      'x-message-ttl': 500,
      'x-queue-type': 'quorum',
      'x-delivery-limit': 3,
    });
  });

  it('an unreachable broker or a bad URL is one line and exit 2', () => {
    const file = scenarioFile('unreachable', {});
    const refused = runQlab(['run', file, '--mode', 'rabbitmq', '--amqp-url', 'amqp://127.0.0.1:1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe('qlab run: cannot connect to amqp://127.0.0.1:1: ECONNREFUSED');
    const bad = runQlab(['run', file, '--mode', 'rabbitmq', '--amqp-url', 'http://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--amqp-url must be an amqp:\/\/ or amqps:\/\/ URL/);
  }, 60_000);
});

describe.runIf(rabbitmqAvailable())('RabbitMQ mode against a real broker', () => {
  let server: RabbitServer;
  beforeAll(async () => {
    server = await startRabbitServer();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  it('runs the workload with persistent messages, confirms and manual ack, and accounts every message by id', () => {
    const name = 'confirmed';
    const file = scenarioFile(name, {
      broker: { queues: [{ name: `${name}-q`, durable: true }] },
      producers: [{ routingKey: `${name}-q`, persistent: true, confirms: true, arrivals: { process: 'deterministic', ratePerSec: 50 } }],
    });
    const out = join(dir, `${name}.report.json`);
    const result = runQlab(['run', file, '--mode', 'rabbitmq', '--amqp-url', server.url, '--out', out], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const parsed = parseReport(readFileSync(out, 'utf8'), out);
    if (!parsed.ok) throw new Error(parsed.error);
    const run = parsed.report.runs[0]!.result;
    // Arrivals every 20 ms strictly before 2 s: 99, each confirmed by the broker, delivered once and acked.
    expect(run.accounting.published).toBe(99);
    expect(run.accounting.confirmed).toBe(99);
    expect(run.accounting.acked).toBe(99);
    expect(run.accounting.lost).toBe(0);
    expect(run.accounting.duplicated).toBe(0);
    expect(parsed.report.real?.mode).toBe('rabbitmq');
    expect(run.summary.confirmLatency?.mean).toBeGreaterThan(0);
  }, 150_000);

  it('auto ack with prefetch 0 delivers everything at once; the clients still see every message once', () => {
    const name = 'autoack';
    const file = scenarioFile(name, { consumers: [{ queue: `${name}-q`, count: 1, prefetch: 0, ack: 'auto', serviceTimeMs: { dist: 'deterministic', mean: 1 } }] });
    const result = runQlab(['run', file, '--mode', 'rabbitmq', '--amqp-url', server.url, '--json', '--out', join(dir, `${name}.report.json`)], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const accounting = JSON.parse(result.stdout).runs[0].result.accounting;
    expect(accounting).toMatchObject({ published: 99, acked: 99, lost: 0, duplicated: 0 });
  }, 150_000);

  it('qlab gap --amqp-url sets the same fed simulation against the engine and against RabbitMQ', () => {
    const file = scenarioFile('gap', { producers: [{ routingKey: 'gap-q', arrivals: { process: 'poisson', ratePerSec: 50 } }] });
    const out = join(dir, 'gap.report.json');
    const result = runQlab(['gap', file, '--amqp-url', server.url, '--sim-replications', '3', '--workers', '1', '--out', out], { timeoutMs: 150_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/simulation against RabbitMQ/);
    const parsed = parseReport(readFileSync(out, 'utf8'), out);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.report.gap!.against.map((a) => a.mode)).toEqual(['real', 'rabbitmq']);
    expect(parsed.report.runs.map((r) => r.label)).toEqual(['gap (simulated, fed)', 'gap (real)', 'gap (rabbitmq)']);
    expect(parsed.report.runs[2]!.result.accounting.acked).toBe(parsed.report.runs[2]!.result.accounting.published);
  }, 180_000);

  it('qlab gap --rabbitmq-calibration sets RabbitMQ against a second simulation with the calibrated network', () => {
    const file = scenarioFile('gapcal', { producers: [{ routingKey: 'gapcal-q', arrivals: { process: 'poisson', ratePerSec: 50 } }] });
    const calibration = join(dir, 'rabbit-cal.json');
    // A broker whose every hop costs 20 ms: the second simulation must show it in the sojourn, the first must not.
    const hop = { dist: 'deterministic', mean: 20 };
    writeFileSync(calibration, JSON.stringify({ kind: 'qlab-rabbitmq-calibration', version: 1, network: { publishLatencyMs: hop, deliverLatencyMs: hop, ackLatencyMs: hop } }));
    const out = join(dir, 'gapcal.report.json');
    const result = runQlab(['gap', file, '--amqp-url', server.url, '--rabbitmq-calibration', calibration, '--sim-replications', '3', '--workers', '1', '--out', out], { timeoutMs: 150_000 });
    expect(result.code, result.stderr).toBe(0);
    const parsed = parseReport(readFileSync(out, 'utf8'), out);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.report.runs.map((r) => r.label)).toEqual(['gapcal (simulated, fed)', 'gapcal (real)', 'gapcal (rabbitmq)', 'gapcal (simulated, fed, RabbitMQ-calibrated network)']);
    expect(parsed.report.gap!.simulationInputs.at(-1)).toMatch(/network \(RabbitMQ comparison only\): calibrated/);
    const sojourn = (i: number) => parsed.report.runs[i]!.result.summary.sojourn.mean!;
    expect(sojourn(3) - sojourn(0)).toBeGreaterThan(15);
  }, 180_000);

  it('a queue declared before with other arguments is refused by name, exit 2', async () => {
    const amqp = (await import('amqplib')).default;
    const connection = await amqp.connect(server.url);
    const channel = await connection.createChannel();
    await channel.assertQueue('clash-q', { durable: false, arguments: { 'x-max-length': 1 } });
    await connection.close();
    const result = runQlab(['run', scenarioFile('clash', {}), '--mode', 'rabbitmq', '--amqp-url', server.url], { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^qlab run: RabbitMQ refused queue 'clash-q': .*PRECONDITION_FAILED/);
  }, 90_000);
});

describe.skipIf(rabbitmqAvailable())('RabbitMQ mode: broker unavailable', () => {
  it.runIf(REQUIRE_RABBITMQ)('QLAB_REQUIRE_RABBITMQ=1 but rabbitmq-server is not installed', () => {
    throw new Error('rabbitmq-server is required here (QLAB_REQUIRE_RABBITMQ=1): apt-get install rabbitmq-server');
  });
  it.skip('live RabbitMQ-mode runs skipped: rabbitmq-server is not installed (apt-get install rabbitmq-server)', () => {});
});
