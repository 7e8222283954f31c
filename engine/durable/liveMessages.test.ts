import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveMessages, type RecoveredMessage } from './liveMessages.ts';

function message(logId: number, tag: string): RecoveredMessage {
  return { logId, queue: tag, seq: 0, level: 0, expiresAtMs: null, deliveryCount: 0, exchange: '', routingKey: '', properties: {}, deaths: [], body: new Uint8Array() } as unknown as RecoveredMessage;
}

/**
 * LiveMessages against a plain model, used as replay uses it: ids come in increasing order (the
 * first sighting of an id), and compaction's copies re-enqueue an older id after replay has deleted
 * the earlier entry of that id; values() lists first sightings by id, then copies in the order they
 * came.
 */
interface Model {
  firsts: Map<number, RecoveredMessage>;
  copies: Map<number, RecoveredMessage>;
  highest: number;
}

describe('LiveMessages (replay\'s unsettled messages by log id)', () => {
  it('agrees with a map model through growth past its first 1024 ids, copies and deletes', () => {
    const op = fc.oneof(
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('addNext' as const), gap: fc.integer({ min: 1, max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('addCopy' as const), back: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), back: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 2000, maxLength: 2400 }), (ops) => {
        const live = new LiveMessages();
        const model: Model = { firsts: new Map(), copies: new Map(), highest: 0 };
        let n = 0;
        let firstSightings = 0;
        for (const o of ops) {
          if (o.kind === 'addNext') {
            const id = model.highest + o.gap;
            model.highest = id;
            firstSightings++;
            const m = message(id, `first${n++}`);
            live.add(m);
            model.firsts.set(id, m);
          } else if (model.highest > 0) {
            const id = model.highest - (o.back % model.highest); // 1..highest, ids that may or may not exist
            if (o.kind === 'addCopy') {
              const m = message(id, `copy${n++}`);
              live.delete(id); // replay forgets the earlier entry first
              if (!model.copies.delete(id)) model.firsts.delete(id);
              live.add(m);
              model.copies.set(id, m);
            } else {
              live.delete(id);
              if (!model.copies.delete(id)) model.firsts.delete(id);
            }
          }
          const probe = model.highest - (n % Math.max(1, model.highest));
          expect(live.get(probe)).toBe(model.copies.get(probe) ?? model.firsts.get(probe));
        }
        expect(firstSightings).toBeGreaterThan(1024); // the id array grew at least once
        const expected = [...[...model.firsts.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m), ...model.copies.values()];
        expect([...live.values()]).toEqual(expected);
        expect(live.size).toBe(model.firsts.size + model.copies.size);
      }),
      { seed: 77, numRuns: 4 },
    );
  });

  it('deleting an unknown id, or the same id twice, changes nothing', () => {
    const live = new LiveMessages();
    live.add(message(5, 'a'));
    live.add(message(9, 'b'));
    live.delete(7);
    live.delete(100);
    live.delete(0);
    expect(live.size).toBe(2);
    live.delete(5);
    live.delete(5);
    expect(live.size).toBe(1);
    expect(live.get(5)).toBeUndefined();
    expect(live.get(9)!.queue).toBe('b');
    expect([...live.values()].map((m) => m.logId)).toEqual([9]);
  });

  it('a copy of an older id is found again, listed after the first sightings, and deleted', () => {
    const live = new LiveMessages();
    live.add(message(1, 'first'));
    live.add(message(2, 'other'));
    live.delete(1);
    live.add(message(1, 'copy'));
    expect(live.size).toBe(2);
    expect(live.get(1)!.queue).toBe('copy');
    expect([...live.values()].map((m) => m.queue)).toEqual(['other', 'copy']);
    live.delete(1);
    expect(live.get(1)).toBeUndefined();
    expect(live.size).toBe(1);
  });

  it('an id equal to the highest so far comes back as a copy after its first sighting was deleted', () => {
    const live = new LiveMessages();
    live.add(message(3, 'first'));
    live.delete(3);
    live.add(message(3, 'copy'));
    expect(live.size).toBe(1);
    expect([...live.values()].map((m) => m.queue)).toEqual(['copy']);
    live.add(message(4, 'next'));
    expect(live.get(4)!.queue).toBe('next');
  });
});
