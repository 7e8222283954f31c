import { describe, expect, it } from 'vitest';
import { Broker, type Random } from '../../engine/index.ts';
import { deterministic } from '../dist/deterministic.ts';
import { lognormal } from '../dist/lognormal.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import { commitLatencyMs, simDatabase, type SimDatabaseOptions } from './simDatabase.ts';

const MODEL = { roundTripMs: deterministic(0.2), walFlushMs: deterministic(1), perOpMs: 0.01, openMs: 1, openPerMessageMs: 0.001 };

function options(over: Partial<SimDatabaseOptions> = {}): SimDatabaseOptions {
  return { ...MODEL, synchronousCommit: 'on', walWriterDelayMs: 200, ...over };
}

/** Publishes `count` confirmed messages in one burst; returns when the last confirm came and how many commits it took. */
function burst(commit: 'perPublish' | 'group', synchronousCommit: 'on' | 'off', count: number) {
  const loop = new EventLoop();
  const db = simDatabase(loop, randomStreams(3).stream('db'), options({ synchronousCommit }));
  let broker: Broker | null = null;
  Broker.recover({ clock: loop, random: randomStreams(1).stream('b'), backend: db.connect(), commit, groupMs: 0 }, (_e, b) => (broker = b));
  loop.run();
  broker!.declareQueue('q', { durable: true });
  loop.run();
  const start = loop.now();
  const commitsBefore = db.commits;
  let lastConfirmMs = 0;
  let confirmed = 0;
  for (let i = 0; i < count; i++) broker!.publish('', 'q', 'x', { persistent: true }, () => ((lastConfirmMs = loop.now() - start), confirmed++));
  loop.run({ stopWhen: () => confirmed === count });
  return { lastConfirmMs, commits: db.commits - commitsBefore, db, loop };
}

describe('simulated database', () => {
  it('a commit pays the round trip, its rows and (synchronous_commit on only) one WAL flush', () => {
    const random: Random = randomStreams(1).stream('x');
    expect(commitLatencyMs(MODEL, random, 10, 'sync')).toBeCloseTo(0.2 + 0.1 + 1, 9);
    expect(commitLatencyMs(MODEL, random, 10, 'async')).toBeCloseTo(0.3, 9);
  });

  it('group commit amortises the flush: a burst of 100 confirmed publishes', () => {
    const perPublish = burst('perPublish', 'on', 100);
    const group = burst('group', 'on', 100);
    expect(perPublish.commits).toBe(100);
    // The burst arrives in one turn: one transaction of 100 rows.
    expect(group.commits).toBe(1);
    expect(perPublish.lastConfirmMs).toBeCloseTo(100 * (0.2 + 0.01 + 1), 6);
    expect(group.lastConfirmMs).toBeCloseTo(0.2 + 1 + 100 * 0.01, 6);
  });

  it('synchronous_commit off: faster confirms, and only a database crash loses the unflushed window', () => {
    const sync = burst('perPublish', 'on', 20);
    const off = burst('perPublish', 'off', 20);
    expect(off.lastConfirmMs).toBeLessThan(sync.lastConfirmMs / 4);
    expect(off.db.committedState().messages).toHaveLength(20);
    expect(off.db.durableState().messages).toHaveLength(0); // the WAL writer has not woken yet
    off.db.crash(0);
    expect(off.db.committedState().messages).toHaveLength(0);
    expect(off.db.lostCommits).toBe(20);
    sync.db.crash(0);
    expect(sync.db.committedState().messages).toHaveLength(20);
  });

  it('latencies are sampled from the database’s own stream (same seed, same latencies)', () => {
    const model = { ...MODEL, walFlushMs: lognormal(1, 0.5) };
    const a = randomStreams(9).stream('db');
    const b = randomStreams(9).stream('db');
    const xs = Array.from({ length: 5 }, () => commitLatencyMs(model, a, 1, 'sync'));
    expect(Array.from({ length: 5 }, () => commitLatencyMs(model, b, 1, 'sync'))).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
  });
});
