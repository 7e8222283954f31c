/**
 * The engine's only window on time. The engine never reads the wall clock or starts timers itself:
 * in production a real clock is injected, under the simulator a virtual one whose timers are heap
 * events. Times are milliseconds on the clock's own axis (absolute, not relative), so a timer set for
 * a TTL or a backoff fires at exactly that instant with no polling tick to quantise it.
 */
export type TimerId = number;

export interface Clock {
  /** Current time in milliseconds. Never decreases. */
  now(): number;
  /** Calls `callback` once at absolute time `atMs` (or at once, on the next turn, if `atMs` has passed). */
  setTimer(atMs: number, callback: () => void): TimerId;
  /** Cancels a pending timer. Cancelling a timer that fired or was cancelled already is a no-op. */
  cancelTimer(id: TimerId): void;
}
