import type { PayloadReader } from './payloadReader.ts';
import { RecordType, type LogRecord } from './format.ts';
import type { PayloadWriter } from './payloadWriter.ts';

/** Topology records carry JSON: they are rare, and JSON keeps them readable and extensible. */
export function encodeTopologyRecord(w: PayloadWriter, record: LogRecord): void {
  switch (record.type) {
    case RecordType.Snapshot:
      return w.json(record.topology);
    case RecordType.DeclareExchange:
      return w.json(record.exchange);
    case RecordType.DeclareQueue:
      return w.json(record.queue);
    case RecordType.DeleteExchange:
    case RecordType.DeleteQueue:
      return w.json(record.name);
    case RecordType.Bind:
    case RecordType.Unbind:
      return w.json(record.binding);
    default:
      throw new Error(`no topology codec for record type ${record.type}`);
  }
}

/** The record, or undefined if `type` is not a topology record. */
export function decodeTopologyRecord(r: PayloadReader, type: number): LogRecord | undefined {
  switch (type) {
    case RecordType.Snapshot:
      return { type, topology: r.json() };
    case RecordType.DeclareExchange:
      return { type, exchange: r.json() };
    case RecordType.DeleteExchange:
      return { type, name: r.json() };
    case RecordType.DeclareQueue:
      return { type, queue: r.json() };
    case RecordType.DeleteQueue:
      return { type, name: r.json() };
    case RecordType.Bind:
      return { type, binding: r.json() };
    case RecordType.Unbind:
      return { type, binding: r.json() };
    default:
      return undefined;
  }
}
