import { describe, expect, it } from 'vitest';
import type { Observation } from './case.ts';
import { differences, sameObservations } from './compare.ts';
import { runOnEngine } from './engineRunner.ts';
import { ManualClock } from './manualClock.ts';
import { normalizeDeath, orderStep } from './observe.ts';

describe('differential plumbing', () => {
  it('differences lists each differing observation from both sides, ignoring key order', () => {
    const a: Observation[] = [{ step: 1, op: 'publish', id: 'm1', confirm: 'ack' }, { step: 2, op: 'get-empty' }];
    const reordered = [{ confirm: 'ack', id: 'm1', op: 'publish', step: 1 } as Observation, { step: 2, op: 'get-empty' } as Observation];
    expect(differences(a, reordered)).toEqual([]);
    expect(sameObservations(a, reordered)).toBe(true);
    const lines = differences(a, [{ step: 1, op: 'publish', id: 'm1', confirm: 'nack' }]);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('"confirm":"ack"');
    expect(lines[1]).toContain('"confirm":"nack"');
    expect(lines[3]).toMatch(/^#1 engine: +\(nothing\)$/);
  });

  it('x-death entries lose their wall-clock time and get sorted keys', () => {
    expect(JSON.stringify(normalizeDeath({ time: 123, reason: 'expired', count: 1 }))).toBe('{"count":1,"reason":"expired"}');
  });

  it('a step lists other observations first, then deliveries grouped by consumer in arrival order', () => {
    const deliver = (consumer: string, id: string): Observation => ({ step: 0, op: 'deliver', consumer, id, redelivered: false, exchange: '', routingKey: 'q' });
    const ordered = orderStep([deliver('b', 'm1'), deliver('a', 'm2'), { step: 0, op: 'publish', id: 'x', confirm: 'ack' }, deliver('b', 'm3'), deliver('a', 'm4')]);
    expect(ordered.map((o) => (o.op === 'deliver' ? `${o.consumer}:${o.id}` : o.op))).toEqual(['publish', 'a:m2', 'a:m4', 'b:m1', 'b:m3']);
  });

  it('the manual clock fires due timers in time order, including ones set while firing, and no others', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push('30'));
    clock.setTimer(10, () => {
      fired.push('10');
      clock.setTimer(20, () => fired.push(`20@${clock.now()}`));
    });
    const cancelled = clock.setTimer(15, () => fired.push('15'));
    clock.setTimer(50, () => fired.push('50'));
    clock.cancelTimer(cancelled);
    clock.advance(40);
    expect(fired).toEqual(['10', '20@20', '30']);
    expect(clock.now()).toBe(40);
  });

  it('the engine runner reports TTL expiry at virtual time, not before', () => {
    const observations = runOnEngine({
      name: 't',
      about: 't',
      steps: [
        { op: 'queue', name: 'q', args: { messageTtlMs: 1000 } },
        { op: 'publish', id: 'm1', key: 'q' },
        { op: 'wait', ms: 800 },
        { op: 'count', queue: 'q' },
        { op: 'wait', ms: 200 },
        { op: 'count', queue: 'q' },
      ],
    });
    expect(observations.filter((o) => o.op === 'count').map((o) => (o.op === 'count' ? o.messages : -1))).toEqual([1, 0]);
  });
});
