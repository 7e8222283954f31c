import type { DeathEntry, MessageProperties } from '../../types.ts';
import type { EnqueueRecord } from './format.ts';
import { sameBytes, type PayloadReader } from './payloadReader.ts';
import type { PayloadWriter } from './payloadWriter.ts';

/**
 * The Enqueue record, the log's traffic, in binary: logId f64 · seq f64 · expiresAtMs f64 (-1:
 * never) · deliveryCount u32 · level u8 · queue, exchange, routing key (length-prefixed UTF-8) ·
 * properties (below) · body length u32 · body.
 */
export function encodeEnqueue(w: PayloadWriter, m: EnqueueRecord): void {
  w.f64(m.logId);
  w.f64(m.seq);
  w.f64(m.expiresAtMs === Infinity ? -1 : m.expiresAtMs);
  w.u32(m.deliveryCount);
  w.u8(m.level);
  w.str(m.queue);
  w.str(m.exchange);
  w.str(m.routingKey);
  encodeProperties(w, m.properties, m.deaths);
  w.u32(m.body.byteLength);
  w.raw(m.body);
}

/**
 * Properties and dead-letter history: absent (kind 0); flat properties — every value a string,
 * number, boolean or null — in a small binary form (kind 1), the common case and much cheaper
 * than JSON; anything else as JSON (kind 2). A u32 byte length follows the kind.
 */
function encodeProperties(w: PayloadWriter, properties: MessageProperties, deaths: readonly DeathEntry[]): void {
  // Keys whose value is undefined are left out, as JSON leaves them out.
  const keys = Object.keys(properties).filter((k) => properties[k] !== undefined);
  if (keys.length === 0 && deaths.length === 0) return w.u8(0);
  const flat = deaths.length === 0 && keys.length < 65536 && keys.every((k) => isFlat(properties[k]));
  if (!flat) {
    w.u8(2);
    return w.str(JSON.stringify(deaths.length > 0 ? { p: properties, d: deaths } : { p: properties }));
  }
  w.u8(1);
  const length = w.beginLength();
  w.u32(keys.length);
  for (const key of keys) {
    w.str(key);
    const v = properties[key];
    if (v === null) w.u8(0);
    else if (v === false) w.u8(1);
    else if (v === true) w.u8(2);
    else if (typeof v === 'number') {
      w.u8(3);
      w.f64(v);
    } else {
      w.u8(4);
      w.str(v as string);
    }
  }
  w.endLength(length);
}

function isFlat(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

type Extra = { p: MessageProperties; d?: DeathEntry[] };
const EMPTY_EXTRA: Extra = { p: {} };
const NO_DEATHS: readonly DeathEntry[] = Object.freeze([]) as readonly DeathEntry[];

/** Decodes Enqueue payloads; remembers the last properties, which consecutive records nearly always repeat. */
export class EnqueueDecoder {
  private lastExtra = '';
  private lastParsed: Extra = { p: {} };
  private lastPropertyBytes: Uint8Array = new Uint8Array(0);
  private lastFlat: Extra = { p: {} };

  decode(r: PayloadReader, propertiesCache: Map<string, unknown>): EnqueueRecord {
    const logId = r.f64();
    const seq = r.f64();
    const expires = r.f64();
    const deliveryCount = r.u32();
    const level = r.u8();
    const queue = r.str(0);
    const exchange = r.str(1);
    const routingKey = r.str(2);
    const parsed = this.properties(r, propertiesCache);
    const bodyBytes = r.u32();
    if (r.at + bodyBytes !== r.end) throw new Error('body length does not match the record');
    return {
      logId,
      queue,
      seq,
      level,
      expiresAtMs: expires < 0 ? Infinity : expires,
      deliveryCount,
      exchange,
      routingKey,
      properties: parsed.p,
      deaths: parsed.d ?? NO_DEATHS,
      body: r.bytes.subarray(r.at, r.end),
    };
  }

  private properties(r: PayloadReader, propertiesCache: Map<string, unknown>): Extra {
    const kind = r.u8();
    if (kind === 0) return EMPTY_EXTRA;
    if (kind === 2) return this.jsonProperties(r, propertiesCache);
    if (kind !== 1) throw new Error(`unknown properties encoding ${kind}`);
    const n = r.u32();
    const start = r.at;
    const stop = start + n;
    if (stop > r.end) throw new Error('properties run past the record');
    // The same bytes as the previous record's: the same (immutable) object.
    const last = this.lastPropertyBytes;
    if (last.length === n && sameBytes(last, r.bytes, start)) {
      r.at = stop;
      return this.lastFlat;
    }
    const count = r.u32();
    const p: MessageProperties = {};
    for (let i = 0; i < count; i++) {
      const key = r.str(-1);
      const type = r.u8();
      if (type === 0) p[key] = null;
      else if (type === 1) p[key] = false;
      else if (type === 2) p[key] = true;
      else if (type === 3) p[key] = r.f64();
      else if (type === 4) p[key] = r.str(-1);
      else throw new Error(`unknown property type ${type}`);
    }
    if (r.at !== stop) throw new Error('properties length does not match');
    this.lastPropertyBytes = r.bytes.slice(start, stop);
    this.lastFlat = { p };
    return this.lastFlat;
  }

  private jsonProperties(r: PayloadReader, propertiesCache: Map<string, unknown>): Extra {
    const text = r.str(3);
    if (text === this.lastExtra) return this.lastParsed;
    // Identical property sets are common (every message of a producer): parse each once.
    let cached = propertiesCache.get(text) as Extra | undefined;
    if (cached === undefined) {
      cached = JSON.parse(text) as Extra;
      if (propertiesCache.size > 10_000) propertiesCache.clear();
      propertiesCache.set(text, cached);
    }
    this.lastExtra = text;
    this.lastParsed = cached;
    return cached;
  }
}
