import type { RandomStream } from '../random/streams.ts';
import type { World } from '../run/world.ts';
import { makeDistribution } from '../dist/spec.ts';
import type { ProducerSpec } from '../scenario/schema.ts';

/**
 * A producer's patience draw, or undefined when its messages are patient: each message's patience
 * (from its own stream) becomes its per-message TTL, and is kept in the flow book so an abandoned
 * message's wait (its patience) can be measured.
 */
export function patienceOf(world: World, spec: ProducerSpec, streams: RandomStream): ((id: number) => number) | undefined {
  if (spec.patienceMs === undefined) return undefined;
  const patience = makeDistribution(spec.patienceMs);
  const random = streams.stream('patience');
  return (id) => {
    const ms = patience.sample(random);
    world.flows!.patienceMs.set(id, ms);
    return ms;
  };
}
