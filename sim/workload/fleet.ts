import type { World } from '../run/world.ts';
import type { ConsumerSpec } from '../scenario/schema.ts';
import type { SimConsumer } from './consumer.ts';

/** How many instances a consumer group needs: its largest count over time. */
export function fleetCapacity(spec: ConsumerSpec): number {
  if (spec.autoscale !== undefined) return Math.max(spec.autoscale.max, spec.count);
  if (spec.schedule !== undefined) return Math.max(spec.count, ...spec.schedule.map((s) => s.count));
  return spec.count;
}

export function hasFleet(spec: ConsumerSpec): boolean {
  return spec.startAtSec !== undefined || spec.schedule !== undefined || spec.autoscale !== undefined;
}

/**
 * A consumer group whose size changes: instances beyond the wanted count are held inactive; a
 * change activates the first n and retires the rest (each finishes its message first). The count
 * over time is recorded as steps (tMs, consumers) for the report.
 */
export class Fleet {
  readonly tMs: number[] = [];
  readonly counts: number[] = [];
  private wanted = 0;
  private lastChangeMs = -Infinity;
  private pending = false;
  private lastLookMs = 0;
  private lastBusyMs = 0;
  /** Past looks' desired counts, for the scale-down window. */
  private readonly recommendations: { atMs: number; desired: number }[] = [];

  constructor(
    private readonly world: World,
    private readonly spec: ConsumerSpec,
    private readonly instances: SimConsumer[],
    private readonly stopAtMs: number,
  ) {
    for (const c of instances) c.deactivate();
    const { loop } = world;
    const initial = spec.startAtSec !== undefined ? 0 : spec.autoscale !== undefined ? clamp(spec.count, spec.autoscale.min, spec.autoscale.max) : spec.count;
    this.set(initial);
    if (spec.startAtSec !== undefined) loop.setTimer(spec.startAtSec * 1000, () => this.set(spec.count));
    for (const step of spec.schedule ?? []) loop.setTimer(step.atSec * 1000, () => this.set(step.count));
    if (spec.autoscale !== undefined) loop.setTimer(spec.autoscale.intervalSec * 1000, this.look);
  }

  get current(): number {
    return this.wanted;
  }

  private set(count: number): void {
    const now = this.world.loop.now();
    this.wanted = count;
    this.lastChangeMs = now;
    this.instances.forEach((c, i) => (i < count ? c.activate() : c.retire()));
    if (this.counts.length > 0 && this.tMs[this.tMs.length - 1] === now) this.counts[this.counts.length - 1] = count;
    else {
      this.tMs.push(now);
      this.counts.push(count);
    }
  }

  /** The autoscaler's periodic look: desired count from the metric, bounded, applied after the reaction delay, not within the cooldown. */
  private readonly look = (): void => {
    const policy = this.spec.autoscale!;
    const { loop, broker } = this.world;
    const now = loop.now();
    const busy = this.instances.reduce((s, c) => s + c.busyMs(now), 0);
    const utilization = this.wanted > 0 ? (busy - this.lastBusyMs) / (this.wanted * (now - this.lastLookMs)) : 1;
    this.lastBusyMs = busy;
    this.lastLookMs = now;
    if (!this.pending && broker !== undefined && now >= this.lastChangeMs + policy.cooldownSec * 1000) {
      const desired =
        policy.targetBacklogPerConsumer !== undefined
          ? Math.ceil(backlog(broker.queueInfo(this.spec.queue)) / policy.targetBacklogPerConsumer)
          : Math.ceil((Math.max(this.wanted, 1) * utilization) / policy.targetUtilization!);
      const bounded = clamp(desired, policy.min, policy.max);
      this.recommendations.push({ atMs: now, desired: bounded });
      while (this.recommendations[0]!.atMs < now - policy.scaleDownWindowSec * 1000) this.recommendations.shift();
      const next = bounded >= this.wanted ? bounded : Math.min(this.wanted, Math.max(...this.recommendations.map((r) => r.desired)));
      if (next !== this.wanted) {
        this.pending = true;
        loop.after(policy.reactionDelaySec * 1000, () => {
          this.pending = false;
          this.set(next);
        });
      }
    }
    if (now + policy.intervalSec * 1000 < this.stopAtMs) loop.after(policy.intervalSec * 1000, this.look);
  };

  /** Time-average consumer count over [0, toMs]. */
  meanCount(toMs: number): number {
    let area = 0;
    for (let i = 0; i < this.tMs.length; i++) {
      const end = i + 1 < this.tMs.length ? Math.min(this.tMs[i + 1]!, toMs) : toMs;
      area += this.counts[i]! * Math.max(0, end - this.tMs[i]!);
    }
    return toMs > 0 ? area / toMs : 0;
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const backlog = (q: { ready: number; unacked: number }) => q.ready + q.unacked;
