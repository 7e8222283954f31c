import { Broker } from '../../engine/index.ts';
import type { BenchCase } from './benchmark.ts';

const MESSAGES_PER_ITERATION = 20_000;
const BACKLOG = 10_000;
const BODY = new Uint8Array(100);
const NO_PROPERTIES = {};

/**
 * `engine.consumers-N`: an overloaded queue (a backlog of 10,000 ready messages) with N consumers of
 * prefetch 1, all busy. Each step publishes one message and acks the oldest outstanding delivery,
 * whose consumer then takes the head of the queue: per-message cost should not depend on N.
 */
export function consumersBench(consumers: number): BenchCase {
  return {
    name: `engine.consumers-${consumers}`,
    unit: 'msg/s',
    unitsPerIteration: MESSAGES_PER_ITERATION,
    setup() {
      const broker = new Broker();
      broker.declareQueue('work');
      const outstanding: number[] = [];
      let head = 0;
      for (let c = 0; c < consumers; c++) broker.consume('work', { prefetch: 1 }, (d) => void outstanding.push(d.deliveryTag));
      for (let i = 0; i < BACKLOG + consumers; i++) broker.publish('', 'work', BODY, NO_PROPERTIES);
      return () => {
        for (let i = 0; i < MESSAGES_PER_ITERATION; i++) {
          broker.publish('', 'work', BODY, NO_PROPERTIES);
          broker.ack(outstanding[head++]!);
        }
        outstanding.splice(0, head);
        head = 0;
        if (broker.queueInfo('work').ready !== BACKLOG) throw new Error(`engine.consumers-${consumers}: the backlog changed`);
      };
    },
  };
}

/**
 * `engine.queues-N`: publishes spread round-robin over N queues through a direct exchange, each
 * queue with one consumer (prefetch 100) acking as in engine.memory: per-message cost should not
 * depend on N.
 */
export function queuesBench(queues: number): BenchCase {
  return {
    name: `engine.queues-${queues}`,
    unit: 'msg/s',
    unitsPerIteration: MESSAGES_PER_ITERATION,
    setup() {
      const broker = new Broker();
      broker.declareExchange('work', 'direct');
      const keys: string[] = [];
      const pending: number[] = [];
      for (let q = 0; q < queues; q++) {
        keys.push(`q${q}`);
        broker.declareQueue(`q${q}`);
        broker.bindQueue(`q${q}`, 'work', `q${q}`);
        broker.consume(`q${q}`, { prefetch: 100 }, (d) => {
          pending.push(d.deliveryTag);
          if (pending.length === 100) {
            for (const tag of pending) broker.ack(tag);
            pending.length = 0;
          }
        });
      }
      let cursor = 0;
      return () => {
        for (let i = 0; i < MESSAGES_PER_ITERATION; i++) {
          broker.publish('work', keys[cursor]!, BODY, NO_PROPERTIES);
          cursor = cursor + 1 === queues ? 0 : cursor + 1;
        }
        for (const tag of pending) broker.ack(tag);
        pending.length = 0;
      };
    },
  };
}
