/**
 * The broker child process of real mode with crash faults: the queuelab engine on the real clock
 * and real files, serving one parent connection over the frame protocol of frames.ts. Started as
 * `node --import tsx brokerChild.ts '<config JSON>'` by brokerProcess.ts, SIGKILLed by it at the
 * scenario's crash times, and started again on the same log directory, which it recovers from.
 *
 * It listens first and recovers only once the parent is connected, so the observer's `recovered`
 * calls reach the parent (as events) before `ready`. When the parent's end closes the child exits:
 * a parent that dies leaves no orphan broker behind.
 */
import { createServer, type Socket } from 'node:net';
import { Broker, CryptoRandom, FileStorage, RealClock, type BrokerObserver, type Delivery, type MessageProperties } from '../../../engine/index.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { declareTopology } from '../../run/topology.ts';
import { encodeFrame, FrameDecoder, type Frame, type FrameType } from './frames.ts';

export interface BrokerChildConfig {
  socketPath: string;
  logDir: string | null;
  broker: Scenario['broker'];
  /** How long to wait for the parent to connect before giving up (a parent that died at spawn). */
  connectTimeoutMs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as BrokerChildConfig;
let socket: Socket | undefined;
const send = (type: FrameType, body: Record<string, unknown>) => socket?.write(encodeFrame(type, body));

const observer: BrokerObserver = {
  enqueued: (queue, properties) => send('event', { name: 'enqueued', queue, properties }),
  delivered: (d) => send('event', { name: 'delivered', queue: d.queue, properties: d.properties, redelivered: d.redelivered }),
  acked: (queue, properties) => send('event', { name: 'acked', queue, properties }),
  deadLettered: (queue, properties, reason) => send('event', { name: 'deadLettered', queue, properties, reason }),
  dropped: (queue, properties, why) => send('event', { name: 'dropped', queue, properties, why }),
  depthChanged: (queue, ready, unacked, delayed) => send('event', { name: 'depthChanged', queue, ready, unacked, delayed }),
  recovered: (queue, properties, deliveryCount) => send('event', { name: 'recovered', queue, properties, deliveryCount }),
};

function start(done: (broker: Broker) => void): void {
  const durability = config.broker.durability;
  const clock = new RealClock();
  const random = new CryptoRandom();
  if (durability === undefined || config.logDir === null) return done(new Broker({ clock, random, observer }));
  const storage = new FileStorage(config.logDir);
  const options = { clock, random, observer, storage, fsync: durability.fsync, batchMs: durability.batchMs, batchRecords: durability.batchRecords, segmentBytes: durability.segmentBytes };
  Broker.recover(options, (error, broker) => {
    if (error || broker === null) return fail(`recovery failed: ${error?.message}`);
    done(broker);
  });
}

function serve(broker: Broker, frame: Frame): void {
  const b = frame.body;
  switch (frame.type) {
    case 'publish': {
      const seq = b.seq as number;
      const onConfirm = b.confirm === true ? (ack: boolean) => send('confirm', { seq, ack }) : undefined;
      broker.publish(String(b.exchange), String(b.routingKey), Buffer.alloc(Number(b.bodyBytes)), b.properties as MessageProperties, onConfirm);
      return;
    }
    case 'consume': {
      const tag = String(b.tag);
      const deliver = (d: Delivery) => send('deliver', { tag, deliveryTag: d.deliveryTag, queue: d.queue, properties: d.properties, redelivered: d.redelivered });
      broker.consume(String(b.queue), { prefetch: Number(b.prefetch), autoAck: b.autoAck === true, consumerTag: tag }, deliver);
      return;
    }
    case 'ack':
      return broker.ack(Number(b.deliveryTag));
    case 'nack':
      return broker.nack(Number(b.deliveryTag), { requeue: b.requeue === true });
    case 'cancel':
      return broker.cancel(String(b.tag));
    case 'declare':
      return declareTopology(broker, config.broker);
    default:
      return fail(`unexpected ${frame.type} frame from the parent`);
  }
}

let failed = false;

/** Tells the parent why (one error frame), then exits: after a broken frame nothing more is read. */
function fail(message: string): void {
  if (failed) return;
  failed = true;
  if (socket !== undefined) socket.end(encodeFrame('error', { message }), () => process.exit(1));
  else process.stderr.write(`${message}\n`);
  setTimeout(() => process.exit(1), 500);
}

const server = createServer({ allowHalfOpen: false }, (connection) => {
  server.close(); // one parent, one connection
  clearTimeout(noParent);
  socket = connection;
  connection.setNoDelay(true);
  connection.on('close', () => process.exit(0));
  connection.on('error', () => process.exit(0));
  const decoder = new FrameDecoder();
  const waiting: Frame[] = [];
  let broker: Broker | undefined;
  connection.on('data', (chunk: Buffer) => {
    if (failed) return;
    let frames: Frame[];
    try {
      frames = decoder.push(chunk);
    } catch (error) {
      return fail((error as Error).message);
    }
    for (const frame of frames) {
      if (failed) return;
      try {
        if (broker === undefined) waiting.push(frame);
        else serve(broker, frame);
      } catch (error) {
        send('error', { message: `${frame.type}: ${(error as Error).message}` });
      }
    }
  });
  const startedMs = performance.now();
  try {
    start((ready) => {
      declareTopology(ready, config.broker);
      broker = ready;
      send('ready', { recoveryMs: performance.now() - startedMs, pid: process.pid });
      for (const frame of waiting.splice(0)) serve(ready, frame);
    });
  } catch (error) {
    fail(`start failed: ${(error as Error).message}`);
  }
});
const noParent = setTimeout(() => process.exit(3), config.connectTimeoutMs);
server.listen(config.socketPath);
