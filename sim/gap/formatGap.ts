import { num, table } from '../cli/format.ts';
import type { Interval } from '../run/simulate.ts';
import type { GapReport } from '../report/gapSchema.ts';

const cell = (i: Pick<Interval, 'mean' | 'ci95'>) => {
  if (i.mean === null) return '—';
  const v = (x: number) => num(x, 4);
  return i.ci95 === null ? `${v(i.mean)} (no interval)` : `${v(i.mean)} [${v(i.ci95[0])} – ${v(i.ci95[1])}]`;
};
const percent = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${num(v * 100, 3)} %`);

/** The gap table as text: per metric the simulation, the real run, the relative gap and the verdict. */
export function formatGap(gap: GapReport): string {
  const lines: string[] = [];
  for (const against of gap.against) {
    lines.push(`simulation against ${against.mode === 'real' ? 'the real engine' : 'RabbitMQ'} (${against.runLabel}); target |gap| ≤ ${gap.target * 100} %, judged where the real run's 95 % half-width ≤ ${gap.realPrecisionTarget * 100} %`);
    lines.push(
      table([
        ['metric', 'simulated  [95 %]', `${against.mode}  [95 %]`, 'gap', 'real ±', 'verdict'],
        ...against.rows.map((r) => [`${r.metric}${r.unit ? ` (${r.unit})` : ''}`, cell(r.simulated), cell(r.real), percent(r.relativeGap), percent(r.realRelativeHalfWidth), r.verdict]),
      ]),
    );
  }
  lines.push(...gap.simulationInputs.map((i) => `fed to the simulation: ${i}`));
  return `${lines.join('\n')}\n`;
}
