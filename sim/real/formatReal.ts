import type { RealRunInfo } from '../report/realRunSchema.ts';
import { num } from '../cli/format.ts';

const ms = (v: number | null) => (v === null ? '—' : `${num(v, 3)} ms`);

/** The lines a real (or RabbitMQ) run adds under the usual summary: where it ran and how its timing slipped. */
export function formatRealInfo(info: RealRunInfo): string {
  const m = info.machine;
  const lines = [
    `${info.mode === 'real' ? 'REAL RUN (engine in wall time)' : `REAL RUN on RabbitMQ ${info.amqpUrl ?? ''}`} · ${(info.wallMs / 1000).toFixed(1)} s wall · ${m.cpus} × ${m.cpuModel} · load ${m.loadAverage.join(' ')} · node ${m.node}`,
    ...(info.disk ? [`disk: ${info.disk.dir} (statfs type ${info.disk.fsType}, ${info.disk.freeMB} MB free)`] : []),
    `producer lateness: mean ${ms(info.arrivalLateness.meanMs)} · p99 ${ms(info.arrivalLateness.p99Ms)} · max ${ms(info.arrivalLateness.maxMs)} (${info.arrivalLateness.count} arrivals)`,
    `timer overshoot:   mean ${ms(info.timerOvershoot.meanMs)} · p99 ${ms(info.timerOvershoot.p99Ms)} · max ${ms(info.timerOvershoot.maxMs)} (${info.timerOvershoot.count} timers)`,
    ...info.serviceTime.map((s) => `service time (${s.queue}): nominal mean ${ms(s.nominalMeanMs)}, realised mean ${ms(s.realisedMeanMs)} over ${s.count}`),
    ...info.notes.map((n) => `note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}
