import type { PayloadReader } from './payloadReader.ts';
import { RecordType, type LogRecord } from './format.ts';
import type { PayloadWriter } from './payloadWriter.ts';

/**
 * Records that carry one number or nothing: Deliver and Settle (a log id), Compacted (a segment
 * number) as one f64; the Commit, Close and Seal markers with no payload.
 */
export function encodeIdRecord(w: PayloadWriter, record: LogRecord): boolean {
  switch (record.type) {
    case RecordType.Deliver:
    case RecordType.Settle:
      w.f64(record.logId);
      return true;
    case RecordType.Compacted:
      w.f64(record.segment);
      return true;
    case RecordType.Commit:
    case RecordType.Close:
    case RecordType.Seal:
      return true;
    default:
      return false;
  }
}

const COMMIT: LogRecord = Object.freeze({ type: RecordType.Commit });
const CLOSE: LogRecord = Object.freeze({ type: RecordType.Close });
const SEAL: LogRecord = Object.freeze({ type: RecordType.Seal });

/** The record, or undefined if `type` is not one of these. */
export function decodeIdRecord(r: PayloadReader, type: number): LogRecord | undefined {
  switch (type) {
    case RecordType.Deliver:
      return { type, logId: r.f64() };
    case RecordType.Settle:
      return { type, logId: r.f64() };
    case RecordType.Compacted:
      return { type, segment: r.f64() };
    case RecordType.Commit:
      return COMMIT;
    case RecordType.Close:
      return CLOSE;
    case RecordType.Seal:
      return SEAL;
    default:
      return undefined;
  }
}
