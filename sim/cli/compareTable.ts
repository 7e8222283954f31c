import type { RunResult } from '../run/simulate.ts';
import { duration, num, stateLabel, table } from './format.ts';
import { UsageError } from './usageError.ts';
import { shortNames } from '../report/labels.ts';

/** A column `qlab compare` can show: settings are rows, a chosen few metrics are columns. */
interface Column {
  header: string;
  cell: (r: RunResult) => string;
  about: string;
}

const confirmMaxMs = (r: RunResult) => {
  const values = r.replications.map((x) => x.metrics.confirmLatencyMaxMs).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length ? Math.max(...values) : null;
};
const achieved = (r: RunResult) => r.summary.throughput.mean;
const offered = (r: RunResult) => r.summary.offeredPerSec.mean;

export const COLUMNS: Record<string, Column> = {
  state: { header: 'state', cell: stateLabel, about: 'steady, unstable or not yet steady' },
  offered: { header: 'offered/s', cell: (r) => num(offered(r), 3), about: 'the producers\' scheduled rate' },
  achieved: { header: 'done/s', cell: (r) => num(achieved(r), 3), about: 'achieved throughput (messages finished per second)' },
  shortfall: {
    header: 'short',
    cell: (r) => {
      const o = offered(r);
      const a = achieved(r);
      return o === null || a === null || !(o > 0) ? '—' : `${num(Math.max(0, (1 - a / o) * 100), 2)} %`;
    },
    about: 'how far achieved falls short of offered',
  },
  'confirm-p50': { header: 'cfm p50', cell: (r) => duration(r.summary.confirmLatency?.p50.mean), about: 'publish → confirm latency, median (from the intended send time)' },
  'confirm-p99': { header: 'cfm p99', cell: (r) => duration(r.summary.confirmLatency?.p99.mean), about: 'publish → confirm latency, 99th percentile' },
  'confirm-max': { header: 'cfm max', cell: (r) => duration(confirmMaxMs(r)), about: 'publish → confirm latency, largest seen' },
  'wait-p99': { header: 'wait p99', cell: (r) => duration(r.summary.wait.p99.mean), about: 'arrival → delivery, 99th percentile' },
  'sojourn-p99': { header: 'soj p99', cell: (r) => duration(r.summary.sojourn.p99.mean), about: 'arrival → ack, 99th percentile' },
  lost: { header: 'lost', cell: (r) => num(r.accounting.lost), about: 'confirmed, then lost' },
  'lost-unconfirmed': { header: 'lost unc', cell: (r) => num(r.accounting.lostUnconfirmed), about: 'accepted without a confirm, then lost' },
  'lost-in-consumer': { header: 'lost csm', cell: (r) => num(r.accounting.lostInConsumer ?? 0), about: 'auto-acked, then lost in a consumer crash before it was processed' },
  duplicated: { header: 'dup', cell: (r) => num(r.accounting.duplicated), about: 'delivered and acked more than once' },
  unavailable: { header: 'unavail', cell: (r) => num(r.accounting.unavailable), about: 'publishes while the broker was down' },
  faults: {
    header: 'faults',
    cell: (r) => {
      const t = Object.values(r.faults?.byKind ?? {}).reduce((a, c) => ({ fired: a.fired + c.fired, scheduled: a.scheduled + c.scheduled }), { fired: 0, scheduled: 0 });
      return r.faults ? `${t.fired}/${t.scheduled}` : '—';
    },
    about: 'faults fired / scheduled',
  },
  crashes: { header: 'crash', cell: (r) => num(r.summary.recovery.crashes), about: 'broker crashes' },
};

/** The default columns, most telling first: dropped from the end when the table would not fit. */
export const DEFAULT_METRICS = ['achieved', 'shortfall', 'confirm-p50', 'confirm-p99', 'confirm-max', 'lost', 'lost-unconfirmed', 'lost-in-consumer', 'duplicated', 'wait-p99', 'unavailable'];

export function parseMetrics(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(n in COLUMNS));
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`--metrics: unknown ${unknown.join(', ') || '(none given)'}; choose from ${Object.keys(COLUMNS).join(', ')}`);
  return names;
}

/**
 * The comparison as a terminal table: one row per setting (names shortened by the prefix they all
 * share), the chosen columns; without --metrics, default columns dropped from the end until it fits
 * `width` columns.
 */
export function compareTable(labels: string[], results: RunResult[], metrics: string[] | undefined, width: number): { text: string; dropped: string[] } {
  const names = shortNames(labels);
  const render = (cols: string[]) => table([['setting', ...cols.map((c) => COLUMNS[c]!.header)], ...results.map((r, i) => [names[i]!, ...cols.map((c) => COLUMNS[c]!.cell(r))])]);
  if (metrics !== undefined) return { text: render(metrics), dropped: [] };
  // A default column no setting measures (confirm latency without confirm windows) says nothing.
  const cols = DEFAULT_METRICS.filter((c) => results.some((r) => COLUMNS[c]!.cell(r) !== '—'));
  const dropped: string[] = [];
  let text = render(cols);
  while (cols.length > 1 && Math.max(...text.split('\n').map((l) => l.length)) > width) {
    dropped.unshift(cols.pop()!);
    text = render(cols);
  }
  return { text, dropped };
}

/** "12 reliability settings": how many, and the folder they share when they share one. */
export function compareTitle(files: string[]): string {
  const dirs = new Set(files.map((f) => f.replace(/\\/g, '/').split('/').slice(-2, -1)[0] ?? ''));
  const kind = dirs.size === 1 ? [...dirs][0]! : '';
  return `${files.length} ${kind && kind !== '.' ? `${kind} ` : ''}settings`;
}
