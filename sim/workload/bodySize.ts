import type { Random } from '../../engine/random.ts';
import { makeDistribution } from '../dist/spec.ts';
import type { RandomStream } from '../random/streams.ts';
import type { ProducerSpec } from '../scenario/schema.ts';

/** Largest body a size draw may give (the schema's bodyBytes limit). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * The body of each publish: fixed `bodyBytes`, or a size drawn from `bodySizeBytes` per publish
 * (rounded to whole bytes, at most 16 MiB), so message sizes drive the durable log's bytes and
 * recovery time. Bodies of one size are shared (the engine copies nothing it is not told to keep).
 */
export function bodyMaker(spec: ProducerSpec, streams: RandomStream): () => Uint8Array {
  const fixed = new Uint8Array(spec.bodyBytes);
  if (spec.bodySizeBytes === undefined) return () => fixed;
  const size = makeDistribution(spec.bodySizeBytes);
  const random: Random = streams.stream('bodySize');
  const bodies = new Map<number, Uint8Array>();
  return () => {
    const bytes = Math.min(MAX_BODY_BYTES, Math.max(0, Math.round(size.sample(random))));
    let body = bodies.get(bytes);
    if (body === undefined) bodies.set(bytes, (body = new Uint8Array(bytes)));
    return body;
  };
}
