import type { Scenario } from '../scenario/schema.ts';
import type { FlowBook } from '../workload/flowBook.ts';
import { DEAD_LETTERED, type Tracker } from './tracker.ts';
import type { Window, WindowMetrics } from './measure.ts';

/**
 * Metrics of pipelines and impatience for one window, from the run's per-copy records (no extra
 * hooks in the hot path): per stage (queue) the arrival rate, mean wait and sojourn of copies that
 * arrived in the window, and time-averages over the window — waiting (Lq), in the stage (L) and
 * consumer utilisation — as the overlap of each copy's intervals with the window. End to end, the
 * flows that started in the window: mean time from first publish to the end of service of the
 * flow's last message. Impatience: the share of arrivals that abandoned (expired before service),
 * the mean wait of the served, and the mean wait of all, an abandoned message waiting its patience.
 *
 * An expired copy's waiting ends at its arrival + patience (the engine expires it exactly then,
 * wherever it is in the queue); a copy still waiting at the end waits to the window's end.
 */
export function modelMetrics(scenario: Scenario, tracker: Tracker, flows: FlowBook, window: Window): WindowMetrics {
  const out: WindowMetrics = {};
  const spanMs = window.toMs - window.fromMs;
  const queues = [...tracker.queueIndex.keys()];
  const n = queues.length;
  const arrivals = new Float64Array(n);
  const waitSum = new Float64Array(n);
  const waitCount = new Float64Array(n);
  const sojournSum = new Float64Array(n);
  const sojournCount = new Float64Array(n);
  const waitingArea = new Float64Array(n);
  const inStageArea = new Float64Array(n);
  const busyArea = new Float64Array(n);
  const completions = new Float64Array(n);
  let offered = 0;
  let abandoned = 0;
  let waitAllSum = 0;
  let waitAllCount = 0;
  const overlap = (from: number, to: number) => Math.max(0, Math.min(to, window.toMs) - Math.max(from, window.fromMs));
  for (let c = 0; c < tracker.copies; c++) {
    const q = tracker.copyQueue[c]!;
    const arrival = tracker.arrivalMs[c]!;
    const start = tracker.serviceStartMs[c]!;
    const end = tracker.endMs[c]!;
    const patience = flows.patienceMs.get(tracker.copyMessage[c]!);
    const expired = start < 0 && tracker.outcome[c] === DEAD_LETTERED;
    const waitEnd = start >= 0 ? start : expired && patience !== undefined ? arrival + patience : Infinity;
    waitingArea[q]! += overlap(arrival, waitEnd);
    inStageArea[q]! += overlap(arrival, end >= 0 ? end : expired ? waitEnd : Infinity);
    if (start >= 0) busyArea[q]! += overlap(start, end >= 0 ? end : Infinity);
    if (end >= window.fromMs && end < window.toMs) completions[q]!++;
    if (arrival < window.fromMs || arrival >= window.toMs) continue;
    arrivals[q]!++;
    if (start >= 0) {
      waitSum[q]! += start - arrival;
      waitCount[q]!++;
    }
    if (end >= 0) {
      sojournSum[q]! += end - arrival;
      sojournCount[q]!++;
    }
    if (patience === undefined) continue;
    offered++;
    if (expired) abandoned++;
    if (start >= 0 || expired) {
      waitAllSum += waitEnd - arrival;
      waitAllCount++;
    }
  }
  const servers = (queue: string) => scenario.consumers.filter((c) => c.queue === queue).reduce((s, c) => s + c.count, 0);
  queues.forEach((queue, q) => {
    const key = `stage.${queue}.`;
    out[`${key}arrivalsPerSec`] = (arrivals[q]! / spanMs) * 1000;
    out[`${key}throughputPerSec`] = (completions[q]! / spanMs) * 1000;
    out[`${key}waitMeanMs`] = waitCount[q]! > 0 ? waitSum[q]! / waitCount[q]! : NaN;
    out[`${key}sojournMeanMs`] = sojournCount[q]! > 0 ? sojournSum[q]! / sojournCount[q]! : NaN;
    out[`${key}queueLengthMean`] = waitingArea[q]! / spanMs;
    out[`${key}inSystemMean`] = inStageArea[q]! / spanMs;
    const c = servers(queue);
    out[`${key}utilization`] = c > 0 ? busyArea[q]! / (c * spanMs) : NaN;
  });
  Object.assign(out, endToEnd(tracker, flows, window));
  if (offered > 0) {
    out['abandon.probability'] = abandoned / offered;
    out['abandon.waitServedMeanMs'] = waitCount.reduce((a, b) => a + b, 0) > 0 ? waitSum.reduce((a, b) => a + b, 0) / waitCount.reduce((a, b) => a + b, 0) : NaN;
    out['abandon.waitAllMeanMs'] = waitAllCount > 0 ? waitAllSum / waitAllCount : NaN;
  }
  return out;
}

/** Flows that started in the window and completed: mean, p99 (nearest rank) and how many. */
function endToEnd(tracker: Tracker, flows: FlowBook, window: Window): WindowMetrics {
  let started = 0;
  for (let m = 0; m < tracker.messages; m++) {
    const at = tracker.msgCreatedMs[m]!;
    if (at >= window.fromMs && at < window.toMs && flows.root(m) === m) started++;
  }
  const times: number[] = [];
  for (let i = 0; i < flows.startMs.length; i++) {
    const start = flows.startMs[i]!;
    if (start >= window.fromMs && start < window.toMs) times.push(flows.endMs[i]! - start);
  }
  if (times.length === 0) return { 'e2e.completed': 0, 'e2e.started': started };
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { 'e2e.meanMs': mean, 'e2e.p99Ms': times[Math.max(0, Math.ceil(0.99 * times.length) - 1)]!, 'e2e.completed': times.length, 'e2e.started': started };
}

/** Adds the model metrics to the run's window and to every batch level's windows (a single run's intervals come from those). */
export function attachModelMetrics(
  scenario: Scenario,
  tracker: Tracker,
  flows: FlowBook,
  measured: { metrics: WindowMetrics[]; batchLevels: WindowMetrics[][]; batchLevelWindows: Window[][] },
  windows: Window[],
): void {
  measured.metrics.forEach((m, k) => Object.assign(m, modelMetrics(scenario, tracker, flows, windows[k]!)));
  measured.batchLevelWindows.forEach((level, l) => level.forEach((w, k) => Object.assign(measured.batchLevels[l]![k]!, modelMetrics(scenario, tracker, flows, w))));
}
