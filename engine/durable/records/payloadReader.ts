const decoder = new TextDecoder();

/**
 * Reads one record's payload. One instance is reused for every record (recovery reads millions),
 * and each string field remembers its last bytes and value: consecutive records nearly always
 * repeat their queue, exchange and properties, so most strings are neither decoded nor allocated again.
 */
export class PayloadReader {
  bytes: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  at = 0;
  end = 0;
  private readonly lastBytes: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
  private readonly lastStrings: string[] = ['', '', '', ''];

  reset(bytes: Uint8Array, view: DataView, start: number, end: number): void {
    this.bytes = bytes;
    this.view = view;
    this.at = start;
    this.end = end;
  }

  f64(): number {
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }

  u32(): number {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  u8(): number {
    return this.bytes[this.at++]!;
  }

  json(): never {
    return JSON.parse(this.str(-1)) as never;
  }

  /** A length-prefixed UTF-8 string; `slot` ≥ 0 remembers the last one read in that field. */
  str(slot: number): string {
    const n = this.u32();
    const start = this.at;
    const stop = start + n;
    if (stop > this.end) throw new Error('string runs past the record');
    this.at = stop;
    if (n === 0) return '';
    if (slot >= 0) {
      const last = this.lastBytes[slot]!;
      if (last.length === n && sameBytes(last, this.bytes, start)) return this.lastStrings[slot]!;
    }
    const text = decodeUtf8(this.bytes, start, stop);
    if (slot >= 0) {
      this.lastBytes[slot] = this.bytes.slice(start, stop);
      this.lastStrings[slot] = text;
    }
    return text;
  }
}

export function sameBytes(a: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[start + i]) return false;
  return true;
}

/** UTF-8 to string, with a fast path for short ASCII (names and keys), where TextDecoder's call costs most. */
function decodeUtf8(bytes: Uint8Array, start: number, stop: number): string {
  if (stop - start <= 64) {
    let ascii = true;
    for (let i = start; i < stop; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, stop) as unknown as number[]);
  }
  return decoder.decode(bytes.subarray(start, stop));
}
