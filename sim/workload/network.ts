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
  /**
   * A partition in delay mode (or a paused broker) holds what is sent until this virtual time; 0 =
   * not held. Set by the fault schedule together with `now`, the clock it is measured on.
   */
  heldUntilMs = 0;
  /** A partition in drop mode: what is sent now is lost (the sender checks, as only it can react); each direction apart. */
  dropping = false;
  droppingBack = false;
  now: () => number = () => 0;

  constructor(
    private readonly latency: Distribution | undefined,
    private readonly random: Random,
  ) {}

  get instant(): boolean {
    return this.latency === undefined && this.heldUntilMs === 0;
  }

  delayMs(): number {
    const held = this.heldUntilMs === 0 ? 0 : Math.max(0, this.heldUntilMs - this.now());
    return held + (this.latency === undefined ? 0 : this.latency.sample(this.random) * this.factor);
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
