import type { Random } from '../../engine/random.ts';
import type { Distribution } from '../dist/distribution.ts';
import { makeDistribution } from '../dist/spec.ts';
import type { RandomStream } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';

/**
 * One direction of client–broker traffic: a latency distribution and its own random stream. A link
 * without a distribution has no latency at all, and callers then act in the same event, so a
 * scenario without a network is exactly the queueing model (no zero-length hops in between).
 */
export class Link {
  /** Latency spikes multiply every draw by this (1 = none). */
  factor = 1;

  constructor(
    private readonly latency: Distribution | undefined,
    private readonly random: Random,
  ) {}

  get instant(): boolean {
    return this.latency === undefined;
  }

  delayMs(): number {
    return this.latency === undefined ? 0 : this.latency.sample(this.random) * this.factor;
  }
}

export interface Network {
  publish: Link;
  deliver: Link;
  ack: Link;
}

export function makeNetwork(spec: Scenario['network'], streams: RandomStream): Network {
  const link = (name: 'publish' | 'deliver' | 'ack', dist: Scenario['network']['publishLatencyMs']) => {
    const latency = dist === undefined ? undefined : makeDistribution(dist);
    // A deterministic zero latency is no latency: keep the model exact.
    return new Link(latency !== undefined && latency.mean === 0 && latency.scv === 0 ? undefined : latency, streams.stream(`network/${name}`));
  };
  return {
    publish: link('publish', spec.publishLatencyMs),
    deliver: link('deliver', spec.deliverLatencyMs),
    ack: link('ack', spec.ackLatencyMs),
  };
}
