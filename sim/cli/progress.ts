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

  finish(): void {
    if (this.drawn) process.stderr.write('\n');
    this.drawn = false;
  }
}
