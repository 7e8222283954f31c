/**
 * The broker child's IPC protocol: length-prefixed frames over a Unix socket.
 *
 *   offset 0  uint32, big-endian  N = length of what follows (1 + JSON bytes), 1 ≤ N ≤ MAX_FRAME_BYTES
 *   offset 4  uint8               frame type (FRAME below)
 *   offset 5  N − 1 bytes         the frame's body: one UTF-8 JSON object
 *
 * Parent → child: declare, publish, consume, ack, nack, cancel. Child → parent: ready (recovery
 * done), confirm, deliver, event (a BrokerObserver call forwarded), error. Message bodies do not
 * cross the socket: a publish names its size and the child writes that many bytes to its log.
 * A stream that breaks the layout (unknown type, length out of range, body not JSON, or ends in the
 * middle of a frame) is a FrameError naming the offset: the connection is then unusable.
 */
export const FRAME = {
  declare: 1,
  publish: 2,
  consume: 3,
  ack: 4,
  nack: 5,
  cancel: 6,
  ready: 16,
  confirm: 17,
  deliver: 18,
  event: 19,
  error: 20,
} as const;

export type FrameType = keyof typeof FRAME;

export interface Frame {
  type: FrameType;
  body: Record<string, unknown>;
}

export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const HEADER_BYTES = 4;
const TYPE_BY_CODE = new Map<number, FrameType>(Object.entries(FRAME).map(([name, code]) => [code, name as FrameType]));

export class FrameError extends Error {
  override name = 'FrameError';
}

export function encodeFrame(type: FrameType, body: Record<string, unknown>): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  if (json.length + 1 > MAX_FRAME_BYTES) throw new FrameError(`a ${type} frame of ${json.length + 1} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit`);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + 1 + json.length);
  frame.writeUInt32BE(json.length + 1, 0);
  frame.writeUInt8(FRAME[type], HEADER_BYTES);
  json.copy(frame, HEADER_BYTES + 1);
  return frame;
}

/** Reassembles frames from a byte stream that arrives in arbitrary chunks. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  /** Stream offset of `pending`'s first byte, for error messages. */
  private offset = 0;

  /** Adds bytes; returns every frame now complete. Throws FrameError on a broken layout. */
  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const length = this.pending.readUInt32BE(0);
      if (length < 1 || length > MAX_FRAME_BYTES) throw new FrameError(`frame at byte ${this.offset}: length ${length} outside 1..${MAX_FRAME_BYTES}`);
      if (this.pending.length < HEADER_BYTES + length) break;
      frames.push(this.decodeOne(length));
      this.pending = this.pending.subarray(HEADER_BYTES + length);
      this.offset += HEADER_BYTES + length;
    }
    return frames;
  }

  /** The stream ended: anything left over is a truncated frame. */
  end(): void {
    if (this.pending.length === 0) return;
    const expected = this.pending.length >= HEADER_BYTES ? HEADER_BYTES + this.pending.readUInt32BE(0) : HEADER_BYTES;
    throw new FrameError(`stream ended inside the frame at byte ${this.offset}: ${this.pending.length} of ${expected} bytes`);
  }

  private decodeOne(length: number): Frame {
    const code = this.pending.readUInt8(HEADER_BYTES);
    const type = TYPE_BY_CODE.get(code);
    if (type === undefined) throw new FrameError(`frame at byte ${this.offset}: unknown frame type ${code}`);
    let body: unknown;
    try {
      body = JSON.parse(this.pending.toString('utf8', HEADER_BYTES + 1, HEADER_BYTES + length));
    } catch {
      throw new FrameError(`frame at byte ${this.offset} (${type}): body is not JSON`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FrameError(`frame at byte ${this.offset} (${type}): body is not a JSON object`);
    return { type, body: body as Record<string, unknown> };
  }
}
