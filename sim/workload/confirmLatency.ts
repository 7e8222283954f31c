import { Tally, type PercentileMode } from '../metrics/tally.ts';
import type { WindowMetrics } from '../run/measure.ts';
import type { PublisherLedger } from './publisherLedger.ts';

/**
 * Publish-to-confirm latency (send → positive confirm back at the publisher) per window, by the
 * time the publish was sent, as extra keys of the window metrics: so it gets its mean and interval
 * from the replications (or batch means) like every other metric.
 */
export function confirmLatencyMetrics(ledger: PublisherLedger, windows: { fromMs: number; toMs: number }[], mode: PercentileMode): WindowMetrics[] {
  const tallies = windows.map(() => new Tally(mode));
  const sent = ledger.confirmSentMs;
  const latency = ledger.confirmLatencyMs;
  for (let i = 0; i < sent.length; i++) {
    const t = sent[i]!;
    windows.forEach((w, k) => {
      if (t >= w.fromMs && t < w.toMs) tallies[k]!.record(latency[i]!);
    });
  }
  return tallies.map((tally) => ({
    confirmLatencyMeanMs: tally.mean,
    confirmLatencyP50Ms: tally.quantile(0.5),
    confirmLatencyP99Ms: tally.quantile(0.99),
    confirmLatencyMaxMs: tally.max,
  }));
}
