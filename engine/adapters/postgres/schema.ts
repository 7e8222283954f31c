import pg from 'pg';
import { PostgresStoreError } from './connection.ts';

/**
 * The tables of a broker-owned message store.
 *
 * One broker owns the store (an advisory lock taken at open makes sure of it), so the database is
 * a durable copy of the broker's own state, not a shared work queue: consumers never claim rows,
 * the broker's memory decides who gets what, and no `FOR UPDATE SKIP LOCKED` claim, visibility
 * timeout or per-row lock is needed. What the database must do well is the broker's write
 * pattern — insert at publish, small update at delivery, delete at settlement — and one ordered
 * read at recovery.
 *
 * - qlab_messages holds only unsettled messages, keyed by the broker's logId (which increases in
 *   publish order). Settling deletes the row: one write, where a `settled` flag would be an update
 *   now and a delete later, and recovery would have to skip settled rows. Properties and the
 *   dead-letter history are `json` (kept as written, never queried inside); the body is bytea.
 * - qlab_messages_queue (queue, log_id) serves recovery per queue in publish order and deleting a
 *   queue's messages with the queue, without scanning other queues' rows.
 * - Exchanges, queues and bindings each have a table; `ord` keeps the order of declaration, which
 *   is the order the file log's replay rebuilds.
 * - qlab_store holds the schema version and the next logId: ids are never reused, even after every
 *   message was settled and deleted.
 */
export const SCHEMA_VERSION = 1;

export const TABLES = ['qlab_store', 'qlab_exchanges', 'qlab_queues', 'qlab_bindings', 'qlab_messages'] as const;

/** The DDL, in one transaction with the version row (so a half-created schema never exists). */
export function createSchemaSql(schema: string): string {
  const ns = pg.escapeIdentifier(schema);
  const ord = `nextval(${pg.escapeLiteral(`${ns}.qlab_topology_ord`)})`;
  return `BEGIN;
CREATE SEQUENCE ${ns}.qlab_topology_ord;
CREATE TABLE ${ns}.qlab_store (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  schema_version integer NOT NULL,
  next_log_id bigint NOT NULL
);
CREATE TABLE ${ns}.qlab_exchanges (
  name text PRIMARY KEY,
  type text NOT NULL,
  alternate_exchange text,
  ord bigint NOT NULL DEFAULT ${ord}
);
CREATE TABLE ${ns}.qlab_queues (
  name text PRIMARY KEY,
  options json NOT NULL,
  ord bigint NOT NULL DEFAULT ${ord}
);
CREATE TABLE ${ns}.qlab_bindings (
  queue text NOT NULL,
  exchange text NOT NULL,
  binding_key text NOT NULL,
  args_key text NOT NULL,
  args json NOT NULL,
  ord bigint NOT NULL DEFAULT ${ord},
  PRIMARY KEY (queue, exchange, binding_key, args_key)
);
CREATE TABLE ${ns}.qlab_messages (
  log_id bigint PRIMARY KEY,
  queue text NOT NULL,
  seq double precision NOT NULL,
  level smallint NOT NULL,
  expires_at_ms double precision NOT NULL,
  delivery_count integer NOT NULL,
  exchange text NOT NULL,
  routing_key text NOT NULL,
  properties json NOT NULL,
  deaths json NOT NULL,
  body bytea NOT NULL
);
CREATE INDEX qlab_messages_queue ON ${ns}.qlab_messages (queue, log_id);
INSERT INTO ${ns}.qlab_store (schema_version, next_log_id) VALUES (${SCHEMA_VERSION}, 1);
COMMIT;`;
}

/**
 * Creates the tables when none exist; refuses a schema namespace that does not exist (a typo
 * must not start an empty store beside the real one), a partial set of tables, or another version.
 */
export async function ensureSchema(client: pg.Client, schema: string, where: string): Promise<void> {
  const ns = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (ns.rowCount === 0) {
    throw new PostgresStoreError('schema', `PostgreSQL at ${where}: schema "${schema}" does not exist (create it with CREATE SCHEMA, or leave the schema option out for "public")`);
  }
  const present = await client.query<{ relname: string }>(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2)",
    [schema, TABLES],
  );
  const found = new Set(present.rows.map((r) => r.relname));
  if (found.size === 0) {
    await client.query(createSchemaSql(schema));
    return;
  }
  const missing = TABLES.filter((t) => !found.has(t));
  if (missing.length > 0) {
    throw new PostgresStoreError('schema', `PostgreSQL at ${where}: schema "${schema}" holds some of qlab's tables but not ${missing.join(', ')}: not a qlab store (use another schema or database)`);
  }
  const version = await client.query<{ schema_version: number }>(`SELECT schema_version FROM ${pg.escapeIdentifier(schema)}.qlab_store`);
  const found_version = version.rows[0]?.schema_version;
  if (found_version !== SCHEMA_VERSION) {
    throw new PostgresStoreError('version', `PostgreSQL at ${where}: schema "${schema}" holds a qlab store of version ${found_version ?? 'unknown'}; this qlab reads version ${SCHEMA_VERSION}`);
  }
}
