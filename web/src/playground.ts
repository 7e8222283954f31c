import './style.css';
import * as d3 from 'd3';
import type { RunResult } from '../../sim/run/simulate.ts';
import { mmc } from '../../sim/theory/mmc.ts';
import { retryInflatedRate } from '../../sim/theory/retry.ts';
import { axes, frame } from './charts/frame.ts';
import { timeSeriesChart } from './charts/timeSeries.ts';
import { element, fmt } from './panels.ts';
import type { PlaygroundSettings } from './playgroundWorker.ts';

type Result = Omit<RunResult, 'records' | 'scenario' | 'replications'>;

const SLIDERS: { key: keyof Omit<PlaygroundSettings, 'run'>; label: string; min: number; max: number; step: number; value: number; unit: string }[] = [
  { key: 'lambda', label: 'arrival rate λ', min: 0.1, max: 10, step: 0.1, value: 2.4, unit: 'msg/s' },
  { key: 'mu', label: 'service rate μ (per consumer)', min: 0.2, max: 5, step: 0.1, value: 1, unit: 'msg/s' },
  { key: 'consumers', label: 'consumers c', min: 1, max: 8, step: 1, value: 3, unit: '' },
  { key: 'prefetch', label: 'prefetch', min: 1, max: 20, step: 1, value: 1, unit: '' },
  { key: 'highShare', label: 'high-priority share', min: 0, max: 1, step: 0.05, value: 0, unit: '' },
  { key: 'failure', label: 'failure probability', min: 0, max: 0.5, step: 0.05, value: 0, unit: '' },
];

const root = document.getElementById('playground')!;
root.append(element('p', {}, 'Move a slider: the same simulation the CLI runs (the real broker in virtual time, three replications) reruns in a Web Worker and redraws simulated queue length and delay against queueing theory.'));
const controls = element('div', { class: 'controls', role: 'group', 'aria-label': 'Model parameters' });
root.append(controls);
const settings = Object.fromEntries(SLIDERS.map((s) => [s.key, s.value])) as Omit<PlaygroundSettings, 'run'>;
for (const s of SLIDERS) {
  const id = `slider-${s.key}`;
  const input = element('input', { type: 'range', id, min: String(s.min), max: String(s.max), step: String(s.step), value: String(s.value), 'data-key': s.key }) as HTMLInputElement;
  const output = element('output', { for: id }, `${s.value} ${s.unit}`);
  input.addEventListener('input', () => {
    settings[s.key] = Number(input.value);
    output.textContent = `${input.value} ${s.unit}`;
    schedule();
  });
  controls.append(element('label', { for: id }, s.label), input, output);
}
const status = element('p', { class: 'status', role: 'status' }, 'Starting…');
const theoryNote = element('p', { class: 'theory-note' });
const charts = element('div', { class: 'columns' });
root.append(status, theoryNote, charts);

const worker = new Worker(new URL('./playgroundWorker.ts', import.meta.url), { type: 'module' });
let runs = 0;
let busy = false;
let pending = false;
let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(() => (busy ? (pending = true) : start()), 200);
}

function start(): void {
  busy = true;
  pending = false;
  status.textContent = 'Simulating…';
  worker.postMessage({ ...settings, run: runs + 1 } satisfies PlaygroundSettings);
}

worker.onmessage = (event: MessageEvent<{ run: number; result: Result; wallMs: number }>) => {
  runs = event.data.run;
  busy = false;
  draw(event.data.result);
  status.textContent = `Run ${runs}: ${fmt(event.data.result.counters.simulatedMessages)} messages simulated in ${fmt(event.data.wallMs / 1000, 2)} s.`;
  root.dataset.runs = String(runs);
  if (pending) start();
};

function draw(result: Result): void {
  charts.replaceChildren();
  const t = result.theory;
  const lambdaEff = settings.failure > 0 ? retryInflatedRate(settings.lambda, settings.failure) : settings.lambda;
  const rho = lambdaEff / (settings.mu * settings.consumers);
  theoryNote.textContent = t
    ? `Theory: ${t.model}${t.approximation ? ` (${t.approximation})` : ''}, utilisation ρ = ${fmt(rho, 3)}.`
    : `No exact theory here (${result.theoryNotApplicable}); utilisation ρ = λ/(1 − p)/(cμ) = ${fmt(rho, 3)}${rho < 1 ? `, M/M/c with the inflated rate would give Wq ≈ ${fmt((mmc(lambdaEff, settings.mu, settings.consumers).Wq ?? NaN) * 1000)} ms` : ' — unstable'}.`;
  // Stability first: an unstable or not-yet-steady run says so before any number.
  const steady = result.steadyState;
  if (steady.status === 'unstable') theoryNote.textContent = `UNSTABLE: ${steady.reason} — no steady-state intervals. ${theoryNote.textContent}`;
  else if (steady.status === 'not-yet-steady') theoryNote.textContent = `Not yet steady: ${steady.reason}; ${steady.suggestion ?? 'run longer'}. ${theoryNote.textContent}`;
  const bars = [
    { label: 'Lq (messages)', sim: result.summary.queueLength, theory: t?.values.Lq ?? null },
    { label: 'L (messages)', sim: result.summary.inSystem, theory: t?.values.L ?? null },
    { label: 'Wq (s)', sim: scale(result.summary.wait, 1 / 1000), theory: t ? (t.values.Wq ?? NaN) / 1000 : null },
    { label: 'W (s)', sim: scale(result.summary.sojourn, 1 / 1000), theory: t ? (t.values.W ?? NaN) / 1000 : null },
  ];
  const box = element('section', { class: 'panel chart-compare' });
  charts.append(box);
  const f = frame(box, 'Simulated (95 % interval) against theory', 560, 280);
  const x = d3.scaleBand().domain(bars.map((b) => b.label)).range([0, f.width]).padding(0.35);
  const top = d3.max(bars, (b) => Math.max(b.sim.ci95?.[1] ?? b.sim.mean ?? 0, b.theory ?? 0)) ?? 1;
  const y = d3.scaleLinear().domain([0, top * 1.1 || 1]).nice().range([f.height, 0]);
  axes(f, x as unknown as d3.AxisScale<d3.NumberValue>, y, 'quantity', 'value');
  for (const b of bars) {
    const cx = x(b.label)! + x.bandwidth() / 2;
    if (b.sim.mean !== null) f.plot.append('rect').attr('class', 'bar sim-bar').attr('x', x(b.label)!).attr('width', x.bandwidth()).attr('y', y(b.sim.mean)).attr('height', f.height - y(b.sim.mean));
    if (b.sim.ci95) f.plot.append('line').attr('class', 'errorbar').attr('x1', cx).attr('x2', cx).attr('y1', y(Math.max(0, b.sim.ci95[0]))).attr('y2', y(b.sim.ci95[1]));
    if (b.theory !== null && Number.isFinite(b.theory)) {
      f.plot.append('line').attr('class', 'theory-line theory-mark').attr('x1', x(b.label)! - 6).attr('x2', x(b.label)! + x.bandwidth() + 6).attr('y1', y(b.theory)).attr('y2', y(b.theory));
    }
  }
  const series = element('section', { class: 'panel' });
  charts.append(series);
  timeSeriesChart(series, result.series.tMs, { title: 'Ready messages over time', yLabel: 'messages', layers: [{ label: 'ready (Lq)', className: 'layer-ready', values: result.series.queueLength }], theory: t?.values.Lq != null ? { value: t.values.Lq, label: 'theory Lq' } : null });
}

function scale(i: { mean: number | null; ci95: [number, number] | null }, k: number) {
  return { mean: i.mean === null ? null : i.mean * k, ci95: i.ci95 === null ? null : ([i.ci95[0] * k, i.ci95[1] * k] as [number, number]) };
}

start();
