import './style.css';
import type { RunResult } from '../../sim/run/simulate.ts';
import { timeSeriesChart } from './charts/timeSeries.ts';
import { element, fmt } from './panels.ts';
import { compareChart } from './playground/compareChart.ts';
import { littleChart, type LittlePoint } from './playground/littleChart.ts';
import { messageStrip } from './playground/messageStrip.ts';
import { offeredRho, unstableStretches, type Knobs } from './playground/stability.ts';
import { trialsTable } from './playground/trials.ts';
import type { MessagePath, PlaygroundSettings, ServiceShape } from './playgroundWorker.ts';

type Result = Omit<RunResult, 'records' | 'scenario' | 'replications'>;
type Slider = { key: keyof Omit<Knobs, 'service'>; label: string; min: number; max: number; step: number; value: number; unit: string };

const SLIDERS: Slider[] = [
  { key: 'lambda', label: 'arrival rate λ', min: 0.1, max: 10, step: 0.1, value: 2.4, unit: 'msg/s' },
  { key: 'mu', label: 'service rate μ (per consumer)', min: 0.2, max: 5, step: 0.1, value: 1, unit: 'msg/s' },
  { key: 'consumers', label: 'consumers c', min: 1, max: 8, step: 1, value: 3, unit: '' },
  { key: 'scv', label: 'service scv (lognormal)', min: 0.1, max: 8, step: 0.1, value: 2, unit: '' },
  { key: 'prefetch', label: 'prefetch', min: 1, max: 20, step: 1, value: 1, unit: '' },
  { key: 'highShare', label: 'high-priority share', min: 0, max: 1, step: 0.05, value: 0, unit: '' },
  { key: 'failure', label: 'failure probability', min: 0, max: 0.5, step: 0.05, value: 0, unit: '' },
];

const root = document.getElementById('playground')!;
root.append(element('p', {}, 'Move a slider: the same simulation the CLI runs (the real broker in virtual time, three replications) reruns in a Web Worker and redraws simulated queue length and delay against queueing theory. Shaded stretches of a slider are where arrivals would outpace service (ρ ≥ 1).'));
const controls = element('div', { class: 'controls', role: 'group', 'aria-label': 'Model parameters' });
root.append(controls);
const settings: Knobs = { ...(Object.fromEntries(SLIDERS.map((s) => [s.key, s.value])) as Omit<Knobs, 'service'>), service: 'exponential' };

const service = element('select', { id: 'service-select' }) as HTMLSelectElement;
for (const [value, label] of [['exponential', 'exponential (M/M/c)'], ['deterministic', 'deterministic (M/D/c)'], ['lognormal', 'lognormal with scv (M/G/c)']]) service.append(new Option(label, value));
service.addEventListener('change', () => {
  settings.service = service.value as ServiceShape;
  refreshSliders();
  schedule();
});
controls.append(element('label', { for: 'service-select' }, 'service-time distribution'), service, element('span'));

const bars: { slider: Slider; input: HTMLInputElement; zone: HTMLElement }[] = [];
for (const s of SLIDERS) {
  const id = `slider-${s.key}`;
  const input = element('input', { type: 'range', id, min: String(s.min), max: String(s.max), step: String(s.step), value: String(s.value), 'data-key': s.key }) as HTMLInputElement;
  const output = element('output', { for: id }, `${s.value} ${s.unit}`);
  const zone = element('div', { class: 'stability-track', 'aria-hidden': 'true' });
  const wrap = element('div', { class: 'slider' });
  wrap.append(input, zone);
  input.addEventListener('input', () => {
    settings[s.key] = Number(input.value);
    output.textContent = `${input.value} ${s.unit}`;
    refreshSliders();
    schedule();
  });
  controls.append(element('label', { for: id }, s.label), wrap, output);
  bars.push({ slider: s, input, zone });
}

/** Shades each slider's unstable stretch for the other settings as they stand; the scv slider only matters for lognormal. */
function refreshSliders(): void {
  for (const { slider, input, zone } of bars) {
    zone.replaceChildren(
      ...unstableStretches(settings, slider.key, slider.min, slider.max).map(([from, to]) => {
        const part = element('span', { class: 'unstable-stretch', title: 'ρ ≥ 1: unstable' });
        part.style.left = `${from * 100}%`;
        part.style.width = `${(to - from) * 100}%`;
        return part;
      }),
    );
    if (slider.key === 'scv') input.disabled = settings.service !== 'lognormal';
  }
  rhoNote.textContent = `offered utilisation ρ = λ / (1 − p) / (c·μ) = ${fmt(offeredRho(settings), 3)}${offeredRho(settings) >= 1 ? ' — UNSTABLE' : ''}`;
}

const rhoNote = element('p', { class: 'rho-note', 'aria-live': 'polite' });
const status = element('p', { class: 'status', role: 'status' }, 'Starting…');
const theoryNote = element('p', { class: 'theory-note' });
const record = element('button', { type: 'button', id: 'record-trial', disabled: '' }, 'Record trial') as HTMLButtonElement;
const charts = element('div', { class: 'chart-grid' });
const notebook = element('section', { class: 'panel trials-panel' });
notebook.append(element('h2', {}, 'Your trials'), element('p', { class: 'note' }, 'Record a trial to keep its settings and results; compare them side by side or download them.'));
root.append(rhoNote, status, theoryNote, record, charts, notebook);
const trials = trialsTable(notebook);
refreshSliders();

const worker = new Worker(new URL('./playgroundWorker.ts', import.meta.url), { type: 'module' });
const little: LittlePoint[] = [];
let latest: { result: Result; settings: Knobs } | undefined;
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

worker.onmessage = (event: MessageEvent<{ run: number; result: Result; paths: MessagePath[]; wallMs: number }>) => {
  runs = event.data.run;
  busy = false;
  latest = { result: event.data.result, settings: { ...settings } };
  draw(event.data.result, event.data.paths);
  status.textContent = `Run ${runs}: ${fmt(event.data.result.counters.simulatedMessages)} messages simulated in ${fmt(event.data.wallMs / 1000, 2)} s.`;
  record.disabled = false;
  root.dataset.runs = String(runs);
  if (pending) start();
};

record.addEventListener('click', () => {
  if (latest === undefined) return;
  const { result: r, settings: s } = latest;
  const lambdaW = r.summary.throughput.mean !== null && r.summary.sojourn.mean !== null ? (r.summary.throughput.mean * r.summary.sojourn.mean) / 1000 : null;
  trials.add({
    settings: `λ=${s.lambda} μ=${s.mu} c=${s.consumers} ${s.service}${s.service === 'lognormal' ? ` scv=${s.scv}` : ''} prefetch=${s.prefetch} high=${s.highShare} p=${s.failure}`,
    rho: offeredRho(s),
    state: r.steadyState.status === 'steady' ? 'steady' : r.steadyState.status === 'unstable' ? 'UNSTABLE' : 'not yet steady',
    WqSim: r.summary.wait.ci95 ? `${fmt(r.summary.wait.mean)} ms [${fmt(r.summary.wait.ci95[0])} – ${fmt(r.summary.wait.ci95[1])}]` : `${fmt(r.summary.wait.mean)} ms (no interval)`,
    WqTheory: r.theory ? `${fmt(r.theory.values.Wq)} ms${r.theory.approximation ? ' (approx.)' : ''}` : '—',
    L: r.summary.inSystem.mean,
    lambdaW,
  });
});

function describeTheory(result: Result): string {
  const t = result.theory;
  if (t === undefined) return `No theory for these settings (${result.theoryNotApplicable ?? 'not an analysable model'}).`;
  return `Theory: ${t.model}${t.approximation ? ` — an approximation (${t.approximation}), not exact` : ' (exact)'}.`;
}

function draw(result: Result, paths: MessagePath[]): void {
  charts.replaceChildren();
  const t = result.theory;
  const steady = result.steadyState;
  const stable = steady.status !== 'unstable';
  theoryNote.textContent = describeTheory(result);
  // Stability first: an unstable or not-yet-steady run says so before any number.
  if (!stable) theoryNote.textContent = `UNSTABLE: ${steady.reason} — no steady-state intervals. ${theoryNote.textContent}`;
  else if (steady.status === 'not-yet-steady') theoryNote.textContent = `Not yet steady: ${steady.reason}; ${steady.suggestion ?? 'run longer'}. ${theoryNote.textContent}`;
  theoryNote.classList.toggle('unstable-banner', !stable);
  const s = result.summary;
  const scale = (i: { mean: number | null; ci95: [number, number] | null }, k: number) => ({ mean: i.mean === null ? null : i.mean * k, ci95: i.ci95 === null ? null : ([i.ci95[0] * k, i.ci95[1] * k] as [number, number]) });
  const box = (className: string) => {
    const section = element('section', { class: `panel ${className}` });
    charts.append(section);
    return section;
  };
  compareChart(
    box('chart-compare'),
    [
      { label: 'Lq (messages)', sim: s.queueLength, theory: t?.values.Lq ?? null },
      { label: 'L (messages)', sim: s.inSystem, theory: t?.values.L ?? null },
      { label: 'Wq (s)', sim: scale(s.wait, 1 / 1000), theory: t ? (t.values.Wq ?? NaN) / 1000 : null },
      { label: 'W (s)', sim: scale(s.sojourn, 1 / 1000), theory: t ? (t.values.W ?? NaN) / 1000 : null },
    ],
    stable,
    t?.approximation ? 'theory (approximation)' : 'theory',
  );
  if (s.throughput.mean !== null && s.sojourn.mean !== null && s.inSystem.mean !== null) little.push({ lambdaW: (s.throughput.mean * s.sojourn.mean) / 1000, L: s.inSystem.mean, stable });
  littleChart(box('chart-little'), little);
  messageStrip(box('chart-strip'), paths);
  timeSeriesChart(box('chart-series'), result.series.tMs, {
    title: 'Ready messages over time',
    yLabel: 'messages',
    layers: [{ label: 'ready (Lq)', className: 'layer-ready', values: result.series.queueLength }],
    theory: t?.values.Lq != null ? { value: t.values.Lq, label: 'theory Lq' } : null,
  });
}

start();
