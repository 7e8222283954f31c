import { Deque } from '../deque.ts';

/**
 * Message ids a queue accepted within the last `windowMs`: a publish whose id is still inside is a
 * duplicate. The window runs from the accepted publish (duplicates do not extend it). Ids leave in
 * the order they came, so eviction is a walk from the front of a deque.
 */
export class DedupWindow {
  private readonly expiries = new Map<string, number>();
  private readonly order = new Deque<{ id: string; untilMs: number }>();

  constructor(private readonly windowMs: number) {}

  /** True if `id` was seen within the window; otherwise remembers it and returns false. */
  seen(id: string, nowMs: number): boolean {
    this.evict(nowMs);
    if (this.expiries.has(id)) return true;
    const untilMs = nowMs + this.windowMs;
    this.expiries.set(id, untilMs);
    this.order.pushBack({ id, untilMs });
    return false;
  }

  get size(): number {
    return this.expiries.size;
  }

  private evict(nowMs: number): void {
    for (let front = this.order.peekFront(); front !== undefined && front.untilMs <= nowMs; front = this.order.peekFront()) {
      this.order.popFront();
      if (this.expiries.get(front.id) === front.untilMs) this.expiries.delete(front.id);
    }
  }
}
