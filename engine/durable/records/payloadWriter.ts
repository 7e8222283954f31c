/** What a codec writes a payload through (RecordWriter implements it). */
export interface PayloadWriter {
  raw(bytes: Uint8Array): void;
  str(text: string): void;
  json(value: unknown): void;
  f64(v: number): void;
  u32(v: number): void;
  u8(v: number): void;
  /** Reserves a u32 to be filled by `endLength`; returns its place. */
  beginLength(): number;
  /** Fills the u32 at `place` with the number of bytes written after it. */
  endLength(place: number): void;
}
