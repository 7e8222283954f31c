import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerChild, killAllBrokerChildren, livingBrokerChildren, type BrokerChildError } from './brokerProcess.ts';
import { encodeFrame, FRAME, FrameDecoder, FrameError, MAX_FRAME_BYTES, type FrameType } from './frames.ts';

afterEach(() => killAllBrokerChildren());

const types = Object.keys(FRAME) as FrameType[];

describe('the frame codec', () => {
  it('gives back every frame, in order, however the stream is cut into chunks', () => {
    const frame = fc.record({ type: fc.constantFrom(...types), body: fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())) });
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (frames, cuts) => {
        const bytes = Buffer.concat(frames.map((f) => encodeFrame(f.type, f.body)));
        const decoder = new FrameDecoder();
        const out = [];
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const size = cuts[k % cuts.length]!;
          out.push(...decoder.push(bytes.subarray(at, at + size)));
          at += size;
        }
        decoder.end();
        expect(out).toEqual(frames.map((f) => ({ type: f.type, body: JSON.parse(JSON.stringify(f.body)) })));
      }),
    );
  });

  it('a stream that ends inside a frame is a FrameError naming the offset and the bytes missing', () => {
    const whole = Buffer.concat([encodeFrame('ack', { deliveryTag: 1 }), encodeFrame('publish', { seq: 7 })]);
    const decoder = new FrameDecoder();
    expect(decoder.push(whole.subarray(0, whole.length - 3))).toHaveLength(1);
    const second = whole.length - encodeFrame('ack', { deliveryTag: 1 }).length;
    expect(() => decoder.end()).toThrow(new FrameError(`stream ended inside the frame at byte ${whole.length - second}: ${second - 3} of ${second} bytes`));
    const header = new FrameDecoder();
    header.push(Buffer.from([0, 0]));
    expect(() => header.end()).toThrow(/stream ended inside the frame at byte 0: 2 of 4 bytes/);
  });

  it('garbage is refused at once, not waited on: a huge or zero length, an unknown type, a body that is not a JSON object', () => {
    const length = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    // A length past the limit would otherwise wait for 4 GB that never come.
    expect(() => new FrameDecoder().push(Buffer.concat([length(0xffffffff), Buffer.from('x')]))).toThrow(`frame at byte 0: length 4294967295 outside 1..${MAX_FRAME_BYTES}`);
    expect(() => new FrameDecoder().push(length(0))).toThrow(/length 0 outside/);
    expect(() => new FrameDecoder().push(Buffer.concat([length(3), Buffer.from([99]), Buffer.from('{}')]))).toThrow('frame at byte 0: unknown frame type 99');
    expect(() => new FrameDecoder().push(Buffer.concat([length(4), Buffer.from([FRAME.ack]), Buffer.from('{x}')]))).toThrow('frame at byte 0 (ack): body is not JSON');
    expect(() => new FrameDecoder().push(Buffer.concat([length(3), Buffer.from([FRAME.ack]), Buffer.from('[]')]))).toThrow('(ack): body is not a JSON object');
    const good = encodeFrame('cancel', { tag: 'a' });
    expect(() => new FrameDecoder().push(Buffer.concat([good, length(2), Buffer.from([0, 0])]))).toThrow(`frame at byte ${good.length}: unknown frame type 0`);
  });

  it('a broker child sent garbage reports the broken frame and exits: the parent hears a clear error, and no process is left', async () => {
    const failures: BrokerChildError[] = [];
    const child = new BrokerChild({ exchanges: [], queues: [{ name: 'work', durable: false }], bindings: [] } as never, null, () => undefined, (e) => failures.push(e));
    await child.ready;
    expect(livingBrokerChildren()).toBe(1);
    (child as unknown as { socket: { write(b: Buffer): void } }).socket.write(Buffer.from([0, 0, 0, 3, 200, 123, 125]));
    await until(() => failures.length > 0 && livingBrokerChildren() === 0);
    expect(failures[0]!.message).toMatch(/the broker child reported: frame at byte 0: unknown frame type 200/);
  }, 120_000);

  it('a child that cannot start (its log directory is not a directory) fails with the reason, and is gone', async () => {
    const broker = { durability: { fsync: 'always' }, exchanges: [], queues: [{ name: 'work', durable: true }], bindings: [] } as never;
    const child = new BrokerChild(broker, '/dev/null/not-a-dir', () => undefined, () => undefined);
    await expect(child.ready).rejects.toThrow(/the broker child reported: (start|recovery) failed: .*not-a-dir/);
    await until(() => livingBrokerChildren() === 0);
  }, 120_000);
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1200 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(condition()).toBe(true);
}
