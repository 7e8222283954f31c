import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Broker } from '../broker.ts';
import { segmentFileName } from './records.ts';
import { drainBodies, recoverOn, simulatedDisk } from './testing.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const closeBroker = (broker: Broker) => new Promise<void>((resolve, reject) => broker.close((e) => (e ? reject(e) : resolve())));

describe('a segment file left empty by a crash during its creation', () => {
  it('is dropped by recovery, so every later open succeeds with the same messages (SimDisk)', () => {
    const { loop, disk } = simulatedDisk(11);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('q', { durable: true });
    const confirmed: string[] = [];
    for (let i = 0; i < 5; i++) broker.publish('', 'q', `m${i}`, { persistent: true }, (ack) => ack && confirmed.push(`m${i}`));
    loop.run();
    expect(confirmed).toHaveLength(5);
    broker.close();
    loop.run();
    // A crash between creating the next segment and writing its header.
    const [last] = [...disk.durableBytes().keys()].sort().slice(-1);
    const next = segmentFileName(Number(/\d+/.exec(last!)![0]) + 1);
    disk.append(next, new Uint8Array(0), () => {});
    disk.sync(next, () => {});
    loop.run();

    const second = recoverOn(loop, disk);
    second.close();
    loop.run();
    const third = recoverOn(loop, disk);
    expect(drainBodies(third, 'q').map((x) => x.body)).toEqual(confirmed);
  });

  it('is dropped by recovery on a real directory too (FileStorage)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlab-reopen-'));
    dirs.push(dir);
    const broker = await Broker.open({ dir, fsync: 'always' });
    broker.declareQueue('q', { durable: true });
    await Promise.all([0, 1, 2, 3, 4].map((i) => new Promise((resolve) => broker.publish('', 'q', `m${i}`, { persistent: true }, resolve))));
    await closeBroker(broker);
    const segments = readdirSync(dir).sort();
    const next = segmentFileName(Number(/\d+/.exec(segments[segments.length - 1]!)![0]) + 1);
    writeFileSync(join(dir, next), '');
    await closeBroker(await Broker.open({ dir }));
    const third = await Broker.open({ dir });
    const bodies: string[] = [];
    for (let d = third.get('q', { autoAck: true }); d !== undefined; d = third.get('q', { autoAck: true })) bodies.push(new TextDecoder().decode(d.body));
    expect(bodies).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    await closeBroker(third);
  });
});

describe('recovery is idempotent', () => {
  it('open, close, open, kill, open: every open succeeds and yields the same messages', () => {
    const { loop, disk } = simulatedDisk(12, {});
    const first = recoverOn(loop, disk, { fsync: 'always', segmentBytes: 1024 });
    first.declareQueue('q', { durable: true });
    for (let i = 0; i < 40; i++) first.publish('', 'q', `message ${i}`, { persistent: true });
    loop.run();
    for (let i = 0; i < 10; i++) first.ack(first.get('q')!.deliveryTag);
    loop.run();
    first.close();
    loop.run();
    const peek = (broker: Broker) => {
      const out: string[] = [];
      const tags: number[] = [];
      for (let d = broker.get('q'); d !== undefined; d = broker.get('q')) {
        out.push(new TextDecoder().decode(d.body));
        tags.push(d.deliveryTag);
      }
      for (const tag of tags) broker.nack(tag, { requeue: true });
      return out;
    };
    const second = recoverOn(loop, disk, { segmentBytes: 1024 });
    const expected = peek(second);
    expect(expected).toEqual(Array.from({ length: 30 }, (_, i) => `message ${i + 10}`));
    second.close();
    loop.run();
    const third = recoverOn(loop, disk, { segmentBytes: 1024 });
    expect(peek(third)).toEqual(expected);
    loop.run();
    third.kill();
    disk.crash();
    const fourth = recoverOn(loop, disk, { segmentBytes: 1024 });
    expect(peek(fourth)).toEqual(expected);
  });
});
