import type { RunResult } from '../run/simulate.ts';
import { duration, interval, num } from './format.ts';

/** `qlab run`'s lines for steady state against the fault windows (only with broker crashes). */
export function faultWindowLines(result: RunResult): string[] {
  const fw = result.faultWindows;
  if (fw === undefined) return [];
  const part = (name: 'steady' | 'fault', title: string) => {
    const p = fw[name];
    return `  ${title} (${num(p.share * 100, 3)} % of arrivals): wait ${interval(p.wait, duration)} · p99 ${interval(p.wait.p99, duration)} · sojourn p99 ${interval(p.sojourn.p99, duration)}`;
  };
  return [`fault windows: ${fw.windows} (a broker outage and the drain of its backlog; time-bucket resolution)`, part('steady', 'steady state'), part('fault', 'fault windows')];
}
