import type { Case, Step } from '../case.ts';

const publish = (id: string, key: string): Step => ({ op: 'publish', id, key });

/**
 * x-delivery-limit: RabbitMQ 3.10 honours it only on quorum queues (declaring a classic queue
 * with it fails with 406), so these cases declare quorum queues there. The engine has one queue type.
 */
export const deliveryLimitCases: Case[] = [
  {
    name: 'delivery-limit-quorum',
    about: 'a quorum queue with x-delivery-limit 2 dead-letters as delivery_limit after the third failed delivery',
    steps: [
      { op: 'queue', name: 'q', args: { quorum: true, deliveryLimit: 2, deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('m1', 'q'),
      { op: 'get', queue: 'q' },
      { op: 'nack', id: 'm1' },
      { op: 'get', queue: 'q' },
      { op: 'nack', id: 'm1' },
      { op: 'get', queue: 'q' },
      { op: 'nack', id: 'm1' },
      { op: 'count', queue: 'q' },
      { op: 'get', queue: 'dead', noAck: true },
    ],
  },
  {
    name: 'delivery-limit-classic-refused',
    about: 'RabbitMQ 3.10 refuses x-delivery-limit on a classic queue (406); the engine accepts it on any queue',
    steps: [
      { op: 'queue', name: 'q', args: { deliveryLimit: 1 } },
      { op: 'count', queue: 'q' },
    ],
  },
  {
    name: 'requeue-order-quorum',
    about: 'quorum queue requeue order (recorded for reference: quorum queues return messages ahead of the rest)',
    steps: [
      { op: 'queue', name: 'q', args: { quorum: true } },
      publish('m1', 'q'),
      publish('m2', 'q'),
      publish('m3', 'q'),
      { op: 'get', queue: 'q' },
      { op: 'get', queue: 'q' },
      { op: 'nack', id: 'm2' },
      { op: 'nack', id: 'm1' },
      { op: 'get', queue: 'q', noAck: true },
      { op: 'get', queue: 'q', noAck: true },
      { op: 'get', queue: 'q', noAck: true },
    ],
  },
];
