import { describe, expect, it } from 'vitest';
import { exponential } from '../../sim/dist/exponential.ts';
import { lognormal } from '../../sim/dist/lognormal.ts';
import type { SimDisk } from '../../sim/disk/simDisk.ts';
import type { EventLoop } from '../../sim/kernel/eventLoop.ts';
import { randomStreams } from '../../sim/random/streams.ts';
import { Broker } from '../broker.ts';
import { recoverOn, simulatedDisk } from './testing.ts';

/** Mutation testing (npm run mutate) reruns this once per mutant: a smaller run there keeps it affordable; npm test runs it whole. */
const UNDER_MUTATION = process.env.QLAB_MUTATION === '1';


/**
 * The real-disk SIGKILL test's workload (engine/adapters/sigkill.test.ts) in virtual time, with a
 * process death instead of a power cut: every append already handed to the disk survives (the page
 * cache outlives the process), nothing after it happens. The power-cut property
 * (crashGenerations.test.ts) never produces this state — written but unsynced records of several
 * files all surviving — so a recovery or compaction that misjudges such records is checked here.
 */
const POLICY = { fsync: 'always', batchMs: 2, segmentBytes: 4096, maxSegments: 4 } as const;

/** The process dies: issued appends land (each file synced to hold them), pending callbacks never run. */
function processDeath(loop: EventLoop, disk: SimDisk): void {
  let files: string[] | null = null;
  disk.list((_, names) => (files = names));
  loop.run({ stopWhen: () => files !== null });
  let pending = files!.length;
  for (const file of files!) disk.sync(file, () => pending--);
  loop.run({ stopWhen: () => pending === 0 });
  disk.crash();
}

/** Generations of publish-with-confirms and consume-with-delayed-acks, each ended by a process death; a description of the first loss, or null. */
function lossIn(seed: number, generations: number): string | null {
  const random = randomStreams(seed).stream('workload');
  const { loop, disk } = simulatedDisk(seed, { writeLatencyMs: exponential(0.3), syncLatencyMs: lognormal(1.5, 1.2) });
  let owed = new Set<string>();
  for (let g = 0; g <= generations; g++) {
    const broker = recoverOn(loop, disk, POLICY);
    broker.declareQueue('q', { durable: true });
    // Peek at what came back: get everything, then nack it back (it stays owed).
    const back = new Set<string>();
    const tags: number[] = [];
    for (let d = broker.get('q'); d !== undefined; d = broker.get('q')) {
      back.add(d.properties.messageId!);
      tags.push(d.deliveryTag);
    }
    for (const tag of tags) broker.nack(tag, { requeue: true });
    const missing = [...owed].filter((id) => !back.has(id));
    if (missing.length > 0) return `seed ${seed}, generation ${g}: ${missing.length} owed messages missing, first ${missing[0]}`;
    if (g === generations) return null;

    owed = back;
    const acked = new Set<string>();
    let dead = false;
    // A slow consumer lets a backlog build, so compaction copies live messages forward.
    const ackDelayMs = [1, 4, 15, 40][(seed + g) % 4]!;
    broker.consume('q', { prefetch: 8 }, (d) => {
      loop.setTimer(loop.now() + random.next() * ackDelayMs, () => {
        if (dead) return;
        acked.add(d.properties.messageId!);
        broker.ack(d.deliveryTag);
      });
    });
    let next = 0;
    let confirmed = 0;
    const publish = (): void => {
      const id = `g${g}-${next++}`;
      broker.publish('', 'q', `payload of ${id}`, { persistent: true, messageId: id }, (ack) => {
        if (dead) return;
        if (ack) {
          owed.add(id);
          confirmed++;
        }
        publish();
      });
    };
    for (let i = 0; i < 32; i++) publish();
    const confirms = 50 + Math.floor(random.next() * 500);
    loop.run({ stopWhen: () => confirmed >= confirms });
    // The kill lands at any step: inside a roll, a compaction's delete, a group commit.
    loop.run({ untilMs: loop.now() + random.next() * 20 });
    dead = true;
    broker.kill();
    processDeath(loop, disk);
    for (const id of acked) owed.delete(id);
  }
  return null;
}

describe('process deaths (SIGKILL) in virtual time, over several generations', () => {
  it('fsync always: every confirmed message not acked is back after every reopen (60 seeds x 3 generations)', () => {
    const losses: string[] = [];
    for (let seed = 1; seed <= (UNDER_MUTATION ? 10 : 60); seed++) {
      const loss = lossIn(seed, 3);
      if (loss !== null) losses.push(loss);
    }
    expect(losses).toEqual([]);
  });
});
