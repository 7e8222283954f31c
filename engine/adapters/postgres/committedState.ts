import type pg from 'pg';
import type { BindingRecord, EnqueueRecord, ExchangeRecord, QueueRecord } from '../../durable/records.ts';
import type { CommittedState } from '../../durable/txStore/backend.ts';
import type { ExchangeType } from '../../types.ts';
import { tablesIn } from './transactionSql.ts';

/**
 * Reads what a broker recovers at open, in one repeatable-read snapshot: the topology in
 * declaration order, the unsettled messages of declared queues in logId order, and the next logId.
 * bigint columns are read as float8 (exact up to 2^53, as the engine's ids are numbers).
 */
export async function readCommittedState(client: pg.Client, schema: string): Promise<CommittedState> {
  const t = tablesIn(schema);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const exchanges = await client.query<{ name: string; type: string; alternate_exchange: string | null }>(`SELECT name, type, alternate_exchange FROM ${t.exchanges} ORDER BY ord`);
    const queues = await client.query<{ name: string; options: QueueRecord['options'] }>(`SELECT name, options FROM ${t.queues} ORDER BY ord`);
    const bindings = await client.query<{ queue: string; exchange: string; binding_key: string; args: BindingRecord['args'] }>(`SELECT queue, exchange, binding_key, args FROM ${t.bindings} ORDER BY ord`);
    const messages = await client.query<MessageRow>(
      `SELECT log_id::float8 AS log_id, queue, seq, level, expires_at_ms, delivery_count, exchange, routing_key, properties, deaths, body FROM ${t.messages} WHERE queue IN (SELECT name FROM ${t.queues}) ORDER BY log_id`,
    );
    const store = await client.query<{ next_log_id: number }>(`SELECT next_log_id::float8 AS next_log_id FROM ${t.store}`);
    await client.query('COMMIT');
    return {
      topology: {
        exchanges: exchanges.rows.map(toExchange),
        queues: queues.rows.map((r) => ({ name: r.name, options: r.options })),
        bindings: bindings.rows.map((r) => ({ queue: r.queue, exchange: r.exchange, bindingKey: r.binding_key, args: r.args })),
      },
      messages: messages.rows.map(toMessage),
      nextLogId: store.rows[0]!.next_log_id,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

interface MessageRow {
  log_id: number;
  queue: string;
  seq: number;
  level: number;
  expires_at_ms: number;
  delivery_count: number;
  exchange: string;
  routing_key: string;
  properties: EnqueueRecord['properties'];
  deaths: EnqueueRecord['deaths'];
  body: Buffer;
}

function toExchange(r: { name: string; type: string; alternate_exchange: string | null }): ExchangeRecord {
  const exchange: ExchangeRecord = { name: r.name, type: r.type as ExchangeType };
  if (r.alternate_exchange !== null) exchange.alternateExchange = r.alternate_exchange;
  return exchange;
}

function toMessage(r: MessageRow): EnqueueRecord {
  return {
    logId: r.log_id,
    queue: r.queue,
    seq: r.seq,
    level: r.level,
    expiresAtMs: r.expires_at_ms,
    deliveryCount: r.delivery_count,
    exchange: r.exchange,
    routingKey: r.routing_key,
    properties: r.properties,
    deaths: r.deaths,
    body: new Uint8Array(r.body.buffer, r.body.byteOffset, r.body.byteLength),
  };
}
