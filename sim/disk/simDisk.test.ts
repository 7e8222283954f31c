import { describe, expect, it } from 'vitest';
import { storageConformance } from '../../engine/storage.conformance.ts';
import { deterministic } from '../dist/deterministic.ts';
import { exponential } from '../dist/exponential.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import { SimDisk } from './simDisk.ts';

function harness(options: ConstructorParameters<typeof SimDisk>[2] = {}) {
  const loop = new EventLoop();
  const disk = new SimDisk(loop, randomStreams(5).stream('disk'), options);
  return { loop, disk, storage: disk, pump: () => void loop.run() };
}

describe('SimDisk conforms to the Storage contract', () => {
  storageConformance(() => harness({ writeLatencyMs: exponential(0.05), syncLatencyMs: exponential(2), readLatencyMs: deterministic(0.1) }));
});

describe('SimDisk crash semantics', () => {
  const data = (n: number, fill: number) => new Uint8Array(n).fill(fill);

  it('keeps synced bytes, loses unsynced ones, and loses files never synced', () => {
    const { loop, disk } = harness({ tearProbability: 0, keepUnsyncedFileProbability: 0 });
    disk.append('a', data(10, 1), () => {});
    disk.sync('a', () => {});
    disk.append('a', data(5, 2), () => {});
    disk.append('b', data(5, 3), () => {});
    loop.run();
    disk.crash();
    let files: string[] = [];
    disk.list((_e, f) => (files = f));
    let content: Uint8Array | null = null;
    disk.read('a', (_e, d) => (content = d));
    loop.run();
    expect(files).toEqual(['a']);
    expect([...content!]).toEqual(Array(10).fill(1));
  });

  it('may keep a file never synced, empty or with a prefix of its first write (its name reached the directory, its data not)', () => {
    const lengths: number[] = [];
    let vanished = 0;
    for (let seed = 0; seed < 60; seed++) {
      const loop = new EventLoop();
      const disk = new SimDisk(loop, randomStreams(seed).stream('disk'), { keepUnsyncedFileProbability: 0.5, tearProbability: 0.5 });
      disk.append('new', data(16, 7), () => {});
      disk.append('new', data(16, 8), () => {});
      loop.run();
      disk.crash();
      disk.list((_e, files) => {
        if (!files.includes('new')) vanished++;
        else disk.read('new', (_e2, d) => {
          expect(d!.every((b) => b === 7)).toBe(true);
          lengths.push(d!.length);
        });
      });
      loop.run();
    }
    expect(vanished).toBeGreaterThan(10);
    expect(lengths.filter((n) => n === 0).length).toBeGreaterThan(5);
    expect(lengths.some((n) => n > 0 && n < 16)).toBe(true);
    expect(Math.max(...lengths)).toBeLessThan(16);
  });

  it('may tear the first unsynced write at a random byte, never a later one', () => {
    const lengths = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const loop = new EventLoop();
      const disk = new SimDisk(loop, randomStreams(seed).stream('disk'), { tearProbability: 1 });
      disk.append('a', data(4, 1), () => {});
      disk.sync('a', () => {});
      disk.append('a', data(8, 2), () => {});
      disk.append('a', data(8, 3), () => {});
      loop.run();
      disk.crash();
      disk.read('a', (_e, d) => {
        expect([...d!.subarray(0, 4)]).toEqual([1, 1, 1, 1]);
        expect(d!.subarray(4).every((b) => b === 2)).toBe(true);
        lengths.add(d!.length);
      });
      loop.run();
    }
    expect(Math.max(...lengths)).toBeLessThan(12);
    expect(lengths.size).toBeGreaterThan(3);
  });

  it('drops callbacks still pending at the crash', () => {
    const { loop, disk } = harness({ syncLatencyMs: deterministic(5) });
    let synced = false;
    disk.append('a', data(1, 1), () => {});
    disk.sync('a', () => (synced = true));
    loop.run({ untilMs: 1 });
    disk.crash();
    loop.run();
    expect(synced).toBe(false);
  });

  it('completes each file’s operations back to back with their latencies', () => {
    const { loop, disk } = harness({ writeLatencyMs: deterministic(1), syncLatencyMs: deterministic(3) });
    const times: number[] = [];
    disk.append('a', data(1, 1), () => times.push(loop.now()));
    disk.sync('a', () => times.push(loop.now()));
    disk.append('b', data(1, 1), () => times.push(loop.now()));
    loop.run();
    expect(times).toEqual([1, 1, 4]);
  });

  it('corrupts a byte at rest and stalls operations on demand', () => {
    const { loop, disk } = harness();
    disk.append('a', Uint8Array.from([0x0f]), () => {});
    disk.sync('a', () => {});
    loop.run();
    disk.corrupt('a', 0);
    disk.stall(50);
    let at = -1;
    disk.read('a', (_e, d) => {
      at = loop.now();
      expect(d![0]).toBe(0xf0);
    });
    loop.run();
    expect(at).toBeCloseTo(50, 5); // the stall, plus one byte's transfer time
  });

  it('takes longer to read a larger file, at the configured throughput', () => {
    const { loop, disk } = harness({ readBytesPerMs: 1000 });
    disk.append('big', new Uint8Array(50_000), () => {});
    disk.sync('big', () => {});
    loop.run();
    const start = loop.now();
    let took = -1;
    disk.read('big', () => (took = loop.now() - start));
    loop.run();
    expect(took).toBeCloseTo(50, 9);
  });
});
