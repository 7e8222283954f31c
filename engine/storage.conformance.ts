import { expect, it } from 'vitest';
import type { Storage } from './storage.ts';

/**
 * The Storage contract, as tests any implementation must pass. `pump` drives completions: the
 * simulator's disk completes only when its event loop runs; a real disk needs nothing.
 */
export interface StorageHarness {
  storage: Storage;
  pump(): void;
}

export function storageConformance(makeHarness: () => Promise<StorageHarness> | StorageHarness): void {
  const bytes = (...values: number[]) => Uint8Array.from(values);

  function call<T = void>(h: StorageHarness, op: (cb: (error: Error | null, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      op((error, value) => (error ? reject(error) : resolve(value as T)));
      h.pump();
    });
  }

  const append = (h: StorageHarness, file: string, data: Uint8Array) => call(h, (cb) => h.storage.append(file, data, cb));
  const read = (h: StorageHarness, file: string) => call<Uint8Array>(h, (cb) => h.storage.read(file, (e, d) => cb(e, d ?? undefined)));
  const list = (h: StorageHarness) => call<string[]>(h, (cb) => h.storage.list((e, f) => cb(e, f)));

  it('reads back what was appended, in order', async () => {
    const h = await makeHarness();
    await append(h, 'a.log', bytes(1, 2));
    await append(h, 'a.log', bytes(3));
    expect([...(await read(h, 'a.log'))]).toEqual([1, 2, 3]);
  });

  it('completes appends in issue order, and a sync after the appends issued before it', async () => {
    const h = await makeHarness();
    const order: string[] = [];
    const all = Promise.all([
      call(h, (cb) => h.storage.append('b.log', bytes(1), (e) => (order.push('append 1'), cb(e)))),
      call(h, (cb) => h.storage.append('b.log', bytes(2, 3), (e) => (order.push('append 2'), cb(e)))),
      call(h, (cb) => h.storage.sync('b.log', (e) => (order.push('sync'), cb(e)))),
      call(h, (cb) => h.storage.append('b.log', bytes(4), (e) => (order.push('append 3'), cb(e)))),
    ]);
    h.pump();
    await all;
    // The third append may finish before or after the sync; the sync never before appends 1 and 2.
    expect(order.filter((o) => o.startsWith('append'))).toEqual(['append 1', 'append 2', 'append 3']);
    expect(order.indexOf('sync')).toBeGreaterThan(order.indexOf('append 2'));
    expect([...(await read(h, 'b.log'))]).toEqual([1, 2, 3, 4]);
  });

  it('never completes synchronously', async () => {
    const h = await makeHarness();
    let completed = false;
    const done = call(h, (cb) => {
      h.storage.append('c.log', bytes(9), (e) => {
        completed = true;
        cb(e);
      });
      expect(completed).toBe(false);
    });
    await done;
    expect(completed).toBe(true);
  });

  it('lists, truncates and deletes files', async () => {
    const h = await makeHarness();
    await append(h, 'x.log', bytes(1, 2, 3, 4, 5));
    await append(h, 'y.log', bytes(6));
    await call(h, (cb) => h.storage.sync('x.log', cb));
    expect(await list(h)).toEqual(['x.log', 'y.log']);
    await call(h, (cb) => h.storage.truncate('x.log', 2, cb));
    expect([...(await read(h, 'x.log'))]).toEqual([1, 2]);
    await append(h, 'x.log', bytes(7));
    expect([...(await read(h, 'x.log'))]).toEqual([1, 2, 7]);
    await call(h, (cb) => h.storage.delete('y.log', cb));
    expect(await list(h)).toEqual(['x.log']);
  });

  it('reports errors to the callback: reading a missing file, an invalid name', async () => {
    const h = await makeHarness();
    await expect(read(h, 'missing.log')).rejects.toThrow(/missing\.log/);
    await expect(append(h, '../escape', bytes(1))).rejects.toThrow(/invalid file name/);
  });
}
