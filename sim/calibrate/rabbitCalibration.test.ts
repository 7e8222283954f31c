import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQlab } from '../cli/runQlab.ts';
import { rabbitmqAvailable, startRabbitServer, type RabbitServer } from '../rabbitmq/server.ts';
import { parseScenario } from '../scenario/load.ts';
import { calibrateRabbit } from './rabbitCalibration.ts';
import { loadRabbitCalibration, withCalibratedNetwork } from './rabbitCalibrationFile.ts';

const REQUIRE_RABBITMQ = process.env.QLAB_REQUIRE_RABBITMQ === '1';
const dir = mkdtempSync(join(tmpdir(), 'qlab-rabbit-calibration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('qlab calibrate rabbitmq without a broker', () => {
  it('wants --amqp-url, and an unreachable broker is one line and exit 2', () => {
    const none = runQlab(['calibrate', 'rabbitmq']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('qlab calibrate rabbitmq: give the broker with --amqp-url amqp://guest:guest@127.0.0.1:5672');
    const down = runQlab(['calibrate', 'rabbitmq', '--amqp-url', 'amqp://guest:guest@127.0.0.1:1', '--out', join(dir, 'x.json')]);
    expect(down.code).toBe(2);
    expect(down.stderr.trim()).toBe('qlab calibrate rabbitmq: cannot connect to amqp://***@127.0.0.1:1: ECONNREFUSED');
  }, 60_000);

  it('a file that is not a RabbitMQ calibration is refused naming the file and the field', () => {
    const file = join(dir, 'disk.json');
    writeFileSync(file, JSON.stringify({ kind: 'qlab-disk-calibration', version: 1 }));
    expect(() => loadRabbitCalibration(file)).toThrow(`${file}: not a qlab RabbitMQ calibration (kind: Invalid input: expected "qlab-rabbitmq-calibration"); make one with qlab calibrate rabbitmq`);
  });
});

describe.runIf(rabbitmqAvailable())('qlab calibrate rabbitmq against a real broker', () => {
  let server: RabbitServer;
  beforeAll(async () => {
    server = await startRabbitServer();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  it('measures confirm latency at each load and the prefetch-1 turnaround, and the network it writes feeds a scenario', async () => {
    const calibration = await calibrateRabbit(server.url, { samples: 30, ratesPerSec: [50] });
    expect(calibration.broker.product).toBe('RabbitMQ');
    expect(calibration.loads.map((l) => l.offeredPerSec)).toEqual([null, 50]);
    for (const load of calibration.loads) {
      expect(load.confirmMs.count).toBe(30);
      expect(load.confirmMs.meanMs).toBeGreaterThan(0);
      expect(load.confirmMs.p99Ms).toBeGreaterThanOrEqual(load.confirmMs.p50Ms!);
    }
    expect(calibration.ackToNextDeliveryMs.count).toBe(30);
    // Each direction is half the measured round trip: the mean of the halves is half the mean.
    const half = calibration.network.deliverLatencyMs.samples;
    expect(half.reduce((a, b) => a + b, 0) / half.length).toBeCloseTo(calibration.ackToNextDeliveryMs.meanMs! / 2, 1);
    const file = join(dir, 'rabbit.json');
    writeFileSync(file, JSON.stringify(calibration));
    const network = loadRabbitCalibration(file);
    const raw = withCalibratedNetwork(
      { name: 'fed', durationSec: 1, producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 1 } }], broker: { queues: [{ name: 'q' }] }, consumers: [{ queue: 'q', serviceTimeMs: { dist: 'deterministic', mean: 1 } }] },
      network,
    );
    const loaded = parseScenario(raw, 'fed');
    expect(loaded.ok).toBe(true);
    // The private calibration queue is gone afterwards.
    const second = runQlab(['calibrate', 'rabbitmq', '--amqp-url', server.url, '--samples', '10', '--out', join(dir, 'cli.json')]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/publish→confirm 1 at a time\s+mean [\d.]+ ms/);
    expect(JSON.parse(readFileSync(join(dir, 'cli.json'), 'utf8')).kind).toBe('qlab-rabbitmq-calibration');
  }, 180_000);
});

describe.skipIf(rabbitmqAvailable())('qlab calibrate rabbitmq: broker unavailable', () => {
  it.runIf(REQUIRE_RABBITMQ)('QLAB_REQUIRE_RABBITMQ=1 but rabbitmq-server is not installed', () => {
    throw new Error('rabbitmq-server is required here (QLAB_REQUIRE_RABBITMQ=1): apt-get install rabbitmq-server');
  });
  it.skip('live calibration skipped: rabbitmq-server is not installed (apt-get install rabbitmq-server)', () => {});
});
