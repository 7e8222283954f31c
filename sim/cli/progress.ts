/**
 * Progress on stderr for work that takes more than a second: a bar redrawn in place on a terminal,
 * a line every tenth of the way otherwise (CI logs). Nothing ever goes to stdout, so `--json`
 * output stays clean.
 */
export class Progress {
  private readonly startedMs = performance.now();
  private lastTenth = -1;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly unit: string,
  ) {}

  update(done: number, total: number): void {
    if (performance.now() - this.startedMs < 1000 && done < total) return;
    const fraction = total > 0 ? done / total : 1;
    if (process.stderr.isTTY) {
      const width = 24;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${this.unit}`);
      this.drawn = true;
      if (done === total) this.finish();
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      process.stderr.write(`${this.label}: ${done}/${total} ${this.unit} (${Math.round(fraction * 100)} %)\n`);
    }
  }

  private lastInsideMs = 0;

  /**
   * Where a long replication is, inside it: simulated time and messages so far. A replication can
   * run for minutes on its own; this is what keeps the user from staring at nothing.
   */
  inside(replication: number, total: number, simulatedMs: number, durationMs: number, messages: number): void {
    const now = performance.now();
    if (now - this.startedMs < 1000 || now - this.lastInsideMs < (process.stderr.isTTY ? 1000 : 5000)) return;
    this.lastInsideMs = now;
    const line = `${this.label}: replication ${replication}/${total}: simulated ${seconds(simulatedMs)} of ${seconds(durationMs)} (+ drain), ${messages.toLocaleString('en-US')} messages`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else process.stderr.write(`${line}\n`);
  }

  finish(): void {
    if (this.drawn) process.stderr.write('\n');
    this.drawn = false;
  }
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 1e6 ? `${s.toExponential(2)} s` : `${Number(s.toPrecision(4))} s`;
}
