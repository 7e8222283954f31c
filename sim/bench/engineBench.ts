import { Broker } from '../../engine/index.ts';
import { randomStreams } from '../random/streams.ts';
import type { BenchCase } from './benchmark.ts';

const MESSAGES_PER_ITERATION = 20_000;
const BODY = new Uint8Array(100);

/**
 * `engine.memory`: the default in-memory broker (real clock) publishing 100-byte bodies through a
 * direct exchange to one queue whose consumer has prefetch 100 and acks each delivery as a client
 * would, one by one, whenever its 100 are outstanding. Counts messages published, delivered and acked.
 */
export const engineMemoryBench: BenchCase = {
  name: 'engine.memory',
  unit: 'msg/s',
  unitsPerIteration: MESSAGES_PER_ITERATION,
  setup() {
    const broker = new Broker();
    broker.declareExchange('work', 'direct');
    broker.declareQueue('jobs');
    broker.bindQueue('jobs', 'work', 'job');
    const pending: number[] = [];
    broker.consume('jobs', { prefetch: 100 }, (delivery) => {
      pending.push(delivery.deliveryTag);
      if (pending.length === 100) {
        for (const tag of pending) broker.ack(tag);
        pending.length = 0;
      }
    });
    return () => {
      for (let i = 0; i < MESSAGES_PER_ITERATION; i++) broker.publish('work', 'job', BODY);
      for (const tag of pending) broker.ack(tag);
      pending.length = 0;
      if (broker.queueInfo('jobs').ready !== 0) throw new Error('engine.memory: messages left behind');
    };
  },
};

const TOPIC_QUEUES = 100;
const TOPIC_BINDINGS = 10_000;
const REGIONS = ['eu', 'us', 'ap', 'sa'];
const EVENTS = ['created', 'paid', 'shipped', 'refunded', 'cancelled'];

/**
 * `engine.topic`: routed publishes through a topic exchange holding 10,000 bindings over 100
 * queues, each drained by an auto-ack consumer so memory stays flat. Each of 2,500 tenants has one
 * binding of each kind services use: an exact key, `tenant.*.event`, `tenant.region.#` and
 * `tenant.#` (so every publish routes somewhere; the others match some of the time). Routing keys
 * are drawn before timing starts; the share routed and the mean fan-out (queues per publish) are
 * measured over those keys and printed, and a set-up routing under half of them fails.
 */
export const engineTopicBench: BenchCase = {
  name: 'engine.topic',
  unit: 'publishes/s',
  unitsPerIteration: MESSAGES_PER_ITERATION,
  setup() {
    const random = randomStreams(1).stream('bench/topic');
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random.next() * xs.length)]!;
    const broker = new Broker();
    broker.declareExchange('events', 'topic');
    for (let q = 0; q < TOPIC_QUEUES; q++) {
      broker.declareQueue(`q${q}`);
      broker.consume(`q${q}`, { autoAck: true }, () => {});
    }
    const tenants = TOPIC_BINDINGS / 4;
    for (let b = 0; b < TOPIC_BINDINGS; b++) {
      const tenant = `t${b % tenants}`;
      const kind = Math.floor(b / tenants);
      const key =
        kind === 0
          ? `${tenant}.${pick(REGIONS)}.${pick(EVENTS)}`
          : kind === 1
            ? `${tenant}.*.${pick(EVENTS)}`
            : kind === 2
              ? `${tenant}.${pick(REGIONS)}.#`
              : `${tenant}.#`;
      broker.bindQueue(`q${(b + kind * 13) % TOPIC_QUEUES}`, 'events', key);
    }
    const keys = Array.from({ length: 4096 }, () => `t${Math.floor(random.next() * tenants)}.${pick(REGIONS)}.${pick(EVENTS)}`);
    let routed = 0;
    let fanOut = 0;
    for (const key of keys) {
      const queues = broker.publish('events', key, BODY).queues.length;
      if (queues > 0) routed++;
      fanOut += queues;
    }
    if (routed < keys.length / 2) throw new Error(`engine.topic: only ${routed} of ${keys.length} publishes route`);
    process.stderr.write(`engine.topic: ${((100 * routed) / keys.length).toFixed(1)} % of publishes routed, mean fan-out ${(fanOut / keys.length).toFixed(2)} queues\n`);
    let cursor = 0;
    return () => {
      for (let i = 0; i < MESSAGES_PER_ITERATION; i++) broker.publish('events', keys[cursor++ & 4095]!, BODY);
    };
  },
};
