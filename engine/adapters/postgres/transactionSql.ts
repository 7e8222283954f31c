import pg from 'pg';
import { RecordType, type EnqueueRecord } from '../../durable/records.ts';
import type { TxOp } from '../../durable/txStore/backend.ts';

const { escapeIdentifier, escapeLiteral } = pg;

/**
 * One transaction's SQL: the ops in their order, consecutive ops of one kind merged into one
 * statement (a multi-row insert for a run of enqueues, one update for a run of deliveries, one
 * delete for a run of settlements), sent as a single simple-protocol query. PostgreSQL runs a
 * multi-statement query as one transaction (all or nothing) in one round trip; literals are
 * escaped by pg's own escapeLiteral / escapeIdentifier, binary bodies go as hex.
 *
 * The file log's framing records (Commit, Close, Seal, Compacted) carry no state here and write
 * nothing. Applying the statements gives the state the file log's replay rebuilds from the same
 * records (engine/durable/replay.ts): a re-enqueued logId replaces the earlier copy, deleting an
 * exchange or a queue drops its bindings (and a queue its messages), a repeated bind is one binding.
 */
export function transactionSql(ops: readonly TxOp[], schema: string): string {
  const t = tablesIn(schema);
  const statements: string[] = [];
  for (let i = 0; i < ops.length; ) {
    const kind = ops[i]!.type;
    let end = i + 1;
    if (kind === RecordType.Enqueue || kind === RecordType.Deliver || kind === RecordType.Settle) {
      while (end < ops.length && ops[end]!.type === kind) end++;
    }
    statements.push(...statementsFor(ops.slice(i, end), t));
    i = end;
  }
  return statements.length === 0 ? '' : `${statements.join(';\n')};`;
}

interface Tables {
  store: string;
  exchanges: string;
  queues: string;
  bindings: string;
  messages: string;
  ord: string;
}

export function tablesIn(schema: string): Tables {
  const ns = escapeIdentifier(schema);
  return {
    store: `${ns}.qlab_store`,
    exchanges: `${ns}.qlab_exchanges`,
    queues: `${ns}.qlab_queues`,
    bindings: `${ns}.qlab_bindings`,
    messages: `${ns}.qlab_messages`,
    ord: `nextval(${text(`${ns}.qlab_topology_ord`)})`,
  };
}

/** A run of ops of one kind (several only for Enqueue, Deliver and Settle). */
function statementsFor(run: readonly TxOp[], t: Tables): string[] {
  const op = run[0]!;
  switch (op.type) {
    case RecordType.Enqueue:
      return enqueueStatements(run.map((o) => (o as Extract<TxOp, { type: RecordType.Enqueue }>).message), t);
    case RecordType.Deliver: {
      const counts = new Map<number, number>();
      for (const o of run) {
        const id = logId(o as { logId: number });
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const values = [...counts].map(([id, n]) => `(${id}, ${n})`).join(', ');
      return [`UPDATE ${t.messages} AS m SET delivery_count = m.delivery_count + d.n FROM (VALUES ${values}) AS d(id, n) WHERE m.log_id = d.id`];
    }
    case RecordType.Settle:
      return [`DELETE FROM ${t.messages} WHERE log_id IN (${run.map((o) => logId(o as { logId: number })).join(', ')})`];
    case RecordType.DeclareExchange: {
      const e = op.exchange;
      const alternate = e.alternateExchange === undefined ? 'NULL' : text(e.alternateExchange);
      return [`INSERT INTO ${t.exchanges} (name, type, alternate_exchange) VALUES (${text(e.name)}, ${text(e.type)}, ${alternate}) ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, alternate_exchange = EXCLUDED.alternate_exchange, ord = ${t.ord}`];
    }
    case RecordType.DeleteExchange:
      return [`DELETE FROM ${t.exchanges} WHERE name = ${text(op.name)}`, `DELETE FROM ${t.bindings} WHERE exchange = ${text(op.name)}`];
    case RecordType.DeclareQueue:
      return [`INSERT INTO ${t.queues} (name, options) VALUES (${text(op.queue.name)}, ${json(op.queue.options)}) ON CONFLICT (name) DO UPDATE SET options = EXCLUDED.options, ord = ${t.ord}`];
    case RecordType.DeleteQueue: {
      const name = text(op.name);
      return [`DELETE FROM ${t.queues} WHERE name = ${name}`, `DELETE FROM ${t.bindings} WHERE queue = ${name}`, `DELETE FROM ${t.messages} WHERE queue = ${name}`];
    }
    case RecordType.Bind: {
      const b = op.binding;
      return [`INSERT INTO ${t.bindings} (queue, exchange, binding_key, args_key, args) VALUES (${text(b.queue)}, ${text(b.exchange)}, ${text(b.bindingKey)}, ${text(JSON.stringify(b.args))}, ${json(b.args)}) ON CONFLICT DO NOTHING`];
    }
    case RecordType.Unbind: {
      const b = op.binding;
      return [`DELETE FROM ${t.bindings} WHERE queue = ${text(b.queue)} AND exchange = ${text(b.exchange)} AND binding_key = ${text(b.bindingKey)} AND args_key = ${text(JSON.stringify(b.args))}`];
    }
    case RecordType.Commit:
    case RecordType.Close:
    case RecordType.Seal:
    case RecordType.Compacted:
      return [];
  }
}

/** One multi-row upsert (the last copy of a logId wins, as in replay) and the next-id watermark. */
function enqueueStatements(messages: readonly EnqueueRecord[], t: Tables): string[] {
  const latest = new Map<number, EnqueueRecord>();
  for (const m of messages) latest.set(logId(m), m);
  let maxId = 0;
  const rows: string[] = [];
  for (const m of latest.values()) {
    maxId = Math.max(maxId, m.logId);
    rows.push(
      `(${m.logId}, ${text(m.queue)}, ${float(m.seq)}, ${int(m.level)}, ${float(m.expiresAtMs)}, ${int(m.deliveryCount)}, ${text(m.exchange)}, ${text(m.routingKey)}, ${json(m.properties)}, ${json(m.deaths)}, ${bytes(m.body)})`,
    );
  }
  return [
    `INSERT INTO ${t.messages} (log_id, queue, seq, level, expires_at_ms, delivery_count, exchange, routing_key, properties, deaths, body) VALUES ${rows.join(', ')} ON CONFLICT (log_id) DO UPDATE SET queue = EXCLUDED.queue, seq = EXCLUDED.seq, level = EXCLUDED.level, expires_at_ms = EXCLUDED.expires_at_ms, delivery_count = EXCLUDED.delivery_count, exchange = EXCLUDED.exchange, routing_key = EXCLUDED.routing_key, properties = EXCLUDED.properties, deaths = EXCLUDED.deaths, body = EXCLUDED.body`,
    `UPDATE ${t.store} SET next_log_id = GREATEST(next_log_id, ${maxId + 1})`,
  ];
}

function logId(o: { logId: number }): number {
  if (!Number.isSafeInteger(o.logId) || o.logId < 0) throw new RangeError(`logId ${o.logId} is not a non-negative safe integer`);
  return o.logId;
}

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not an integer`);
  return String(n);
}

/** float8, Infinity (a message that never expires) included. */
function float(n: number): string {
  return Number.isFinite(n) ? String(n) : `'${n}'::float8`;
}

/**
 * A string literal. A query is a NUL-terminated string on the wire and PostgreSQL text cannot hold
 * U+0000, so such a string is refused here with its own message (JSON escapes it instead).
 */
function text(s: string): string {
  if (s.includes('\0')) throw new RangeError(`PostgreSQL text cannot hold U+0000: ${JSON.stringify(s)}`);
  return escapeLiteral(s);
}

function json(value: unknown): string {
  return `${escapeLiteral(JSON.stringify(value))}::json`;
}

function bytes(body: Uint8Array): string {
  return `decode('${Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('hex')}', 'hex')`;
}
