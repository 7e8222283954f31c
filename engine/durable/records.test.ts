import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.ts';
import { parseRecord, RecordType, RecordWriter, type EnqueueRecord, type LogRecord } from './records.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('gives the standard check value 0xCBF43926 for "123456789"', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
  it('slicing-by-8 agrees with the bitwise definition on any input and offset', () => {
    const bitwise = (bytes: Uint8Array) => {
      let c = 0xffffffff;
      for (const b of bytes) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(20), (bytes, cut) => {
      const start = Math.min(cut, bytes.length);
      expect(crc32(bytes, start)).toBe(bitwise(bytes.subarray(start)));
    }), { seed: 3, numRuns: 300 });
  });
});

describe('records', () => {
  const value = fc.oneof(fc.string(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
  const enqueue: fc.Arbitrary<EnqueueRecord> = fc.record({
    logId: fc.nat(),
    queue: fc.string({ minLength: 1 }),
    seq: fc.nat(),
    level: fc.integer({ min: 0, max: 255 }),
    expiresAtMs: fc.oneof(fc.constant(Infinity), fc.double({ min: 0, max: 1e12, noNaN: true })),
    deliveryCount: fc.nat(1000),
    exchange: fc.string(),
    routingKey: fc.string(),
    properties: fc.oneof(fc.dictionary(fc.string(), value), fc.record({ headers: fc.dictionary(fc.string(), value) })),
    deaths: fc.constant([]),
    body: fc.uint8Array({ maxLength: 3000 }),
  });

  it('decode what they encode, across arena boundaries and property encodings', () => {
    fc.assert(fc.property(fc.array(enqueue, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(5), { maxLength: 40 }), (messages, takes) => {
      const writer = new RecordWriter();
      const chunks: Uint8Array[] = [];
      messages.forEach((m, i) => {
        writer.record({ type: RecordType.Enqueue, message: m });
        writer.record({ type: RecordType.Settle, logId: m.logId });
        if ((takes[i] ?? 0) === 0) chunks.push(writer.take());
      });
      chunks.push(writer.take());
      const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.length;
      }
      const view = new DataView(all.buffer);
      const decoded: LogRecord[] = [];
      for (let offset = 0; offset < all.length; ) {
        const parsed = parseRecord(all, view, offset, new Map());
        if (!parsed.ok) throw new Error(parsed.reason);
        decoded.push(structuredClone(parsed.record));
        offset = parsed.next;
      }
      expect(decoded.length).toBe(messages.length * 2);
      messages.forEach((m, i) => {
        const got = decoded[2 * i]!;
        expect(got.type).toBe(RecordType.Enqueue);
        if (got.type !== RecordType.Enqueue) return;
        expect({ ...got.message, body: [...got.message.body] }).toEqual({ ...m, body: [...m.body] });
        expect(decoded[2 * i + 1]).toEqual({ type: RecordType.Settle, logId: m.logId });
      });
    }), { seed: 8, numRuns: 150 });
  });

  it('never hands out the same bytes twice, even when a record outgrows the arena', () => {
    const writer = new RecordWriter();
    const big = new Uint8Array(3 * 1024 * 1024).fill(7);
    writer.record({ type: RecordType.Settle, logId: 1 });
    const first = writer.take();
    const copy = first.slice();
    writer.record({ type: RecordType.Enqueue, message: { logId: 2, queue: 'q', seq: 0, level: 0, expiresAtMs: Infinity, deliveryCount: 0, exchange: '', routingKey: 'q', properties: {}, deaths: [], body: big } });
    writer.take();
    expect([...first]).toEqual([...copy]);
  });
});
