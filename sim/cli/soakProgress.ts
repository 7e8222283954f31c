import { num } from './format.ts';

/**
 * The soak's progress on stderr: a first line at once (what will run), then runs done, failed,
 * rate and time left — redrawn every second on a terminal; otherwise (logs) a line after 2 s, then
 * every 30 s.
 * Failures and finished scenarios are printed as their own lines as they happen.
 */
export class SoakProgress {
  private readonly startedMs = performance.now();
  private lastMs = this.startedMs;
  private done = 0;
  private failed = 0;
  private drawn = false;
  private statuses = 0;

  constructor(private readonly total: number) {}

  start(line: string): void {
    this.line(line);
  }

  update(failed: boolean): void {
    this.done++;
    if (failed) this.failed++;
    const now = performance.now();
    const everyMs = process.stderr.isTTY ? 1000 : this.statuses === 0 ? 2000 : 30_000;
    if (now - this.lastMs < everyMs && this.done < this.total) return;
    this.lastMs = now;
    this.statuses++;
    const status = this.status(now);
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${status}\x1b[K`);
      this.drawn = true;
    } else process.stderr.write(`${status}\n`);
  }

  /** A line of its own (a failure, a finished scenario), not overwritten by the redrawn status. */
  line(text: string): void {
    this.finish();
    process.stderr.write(`${text}\n`);
  }

  finish(): void {
    if (this.drawn) process.stderr.write('\n');
    this.drawn = false;
  }

  elapsedSec(): number {
    return (performance.now() - this.startedMs) / 1000;
  }

  private status(now: number): string {
    const seconds = (now - this.startedMs) / 1000;
    const rate = this.done / Math.max(seconds, 1e-3);
    const leftSec = rate > 0 ? (this.total - this.done) / rate : Infinity;
    return `soak: ${num(this.done)}/${num(this.total)} runs, ${this.failed} failed, ${seconds.toFixed(0)} s, ${rate.toFixed(2)} runs/s, about ${Number.isFinite(leftSec) ? `${Math.ceil(leftSec / 60)} min` : '?'} left`;
  }
}
