import { connectPostgres, PostgresBackend, RecordType, redactUrl, type TxBackend, type TxOp } from '../../engine/adapters/postgres/index.ts';
import { orderStatistics } from './orderStatistics.ts';
import { summarizeLateness, type LatenessSummary } from '../real/lateness.ts';
import { describeMachine, type MachineDescription } from '../real/machine.ts';

export interface PostgresCalibrationOptions {
  url: string;
  /** Timed commits per (durability, group size) (default 200). */
  samples?: number;
  /** Publishes per transaction to measure (default 1, 10, 100). */
  groupSizes?: number[];
  /** Body bytes of each message (default 100). */
  messageBytes?: number;
  onProgress?: (line: string) => void;
}

type Durability = 'sync' | 'async';
/** Per durability, per group size (the key is the number of publishes in one transaction, as a string). */
type ByGroup<T> = Record<Durability, Record<string, T>>;

/**
 * The calibration file of `qlab calibrate postgres`, for the simulated database's commit latency
 * model. Every latency is the wall time from TxBackend.commit() to its acknowledgement, one
 * transaction at a time on the store's single connection, in milliseconds.
 */
export interface PostgresCalibration {
  kind: 'qlab-postgres-calibration';
  version: 1;
  measuredAt: string;
  machine: MachineDescription;
  /** The server measured: its URL without the password, and the settings that decide commit cost. */
  server: { url: string; settings: Record<string, string> };
  method: string;
  messageBytes: number;
  /** Summary per durability ('sync': synchronous_commit on, 'async': off) and per group size. */
  commitMs: ByGroup<LatenessSummary>;
  /** The measured distribution in at most 200 evenly spaced order statistics (an empirical dist). */
  commitSamplesMs: ByGroup<number[]>;
  /**
   * Least-squares line through the mean commit latency against the group size, per durability:
   * mean commit ≈ fixedMs + perMessageMs × publishes in the transaction (for other group sizes).
   */
  commitModel: Record<Durability, { fixedMs: number; perMessageMs: number }>;
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Measures commit latency on a PostgreSQL server through the real PostgresBackend: for each
 * durability and group size, `samples` transactions of that many enqueues, each timed alone
 * (the next starts when the previous is acknowledged), each followed by an untimed transaction
 * settling them (so the table stays the size of a working queue). Runs in a schema of its own,
 * created here and dropped after, so no store on the server is touched.
 */
export async function calibratePostgres(options: PostgresCalibrationOptions): Promise<PostgresCalibration> {
  const samples = options.samples ?? 200;
  const groupSizes = options.groupSizes ?? [1, 10, 100];
  const messageBytes = options.messageBytes ?? 100;
  const schema = `qlab_calibrate_${process.pid}_${Date.now()}`;
  const admin = await connectPostgres(options.url, 'qlab calibrate');
  const commitMs = { sync: {}, async: {} } as ByGroup<LatenessSummary>;
  const commitSamplesMs = { sync: {}, async: {} } as ByGroup<number[]>;
  const means: Record<Durability, [number, number][]> = { sync: [], async: [] };
  let settings: Record<string, string> = {};
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    for (const durability of ['sync', 'async'] as const) {
      const backend = new PostgresBackend({ url: options.url, schema, durability });
      const state = await backend.openAsync();
      let nextLogId = state.nextLogId;
      await commit(backend, [{ type: RecordType.DeclareQueue, queue: { name: 'calibration', options: { durable: true } } }]);
      const body = new Uint8Array(messageBytes).fill(0x61);
      const group = (n: number): { ops: TxOp[]; ids: number[] } => {
        const ids = Array.from({ length: n }, () => nextLogId++);
        const ops = ids.map((logId) => ({ type: RecordType.Enqueue, message: { logId, queue: 'calibration', seq: logId, level: 0, expiresAtMs: Infinity, deliveryCount: 0, exchange: '', routingKey: 'calibration', properties: { persistent: true }, deaths: [], body } }) satisfies TxOp);
        return { ops, ids };
      };
      for (let i = 0; i < 20; i++) await commit(backend, group(1).ops); // warm-up: connection, plans, WAL files
      for (const size of groupSizes) {
        const timesMs: number[] = [];
        for (let i = 0; i < samples; i++) {
          const { ops, ids } = group(size);
          const t0 = performance.now();
          await commit(backend, ops);
          timesMs.push(performance.now() - t0);
          await commit(backend, ids.map((logId): TxOp => ({ type: RecordType.Settle, logId })));
        }
        commitMs[durability][String(size)] = summarizeLateness(timesMs);
        commitSamplesMs[durability][String(size)] = orderStatistics(timesMs, 200).map(r3);
        means[durability].push([size, timesMs.reduce((a, b) => a + b, 0) / timesMs.length]);
        options.onProgress?.(`postgres calibration: ${durability} commit, ${size} publish(es) per transaction: ${samples} commits, mean ${commitMs[durability][String(size)]!.meanMs} ms`);
      }
      settings = await backend.serverSettings();
      await new Promise<void>((resolve, reject) => backend.close((e) => (e ? reject(e) : resolve())));
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end().catch(() => {});
  }
  delete settings.synchronous_commit; // per durability, not a server setting here
  return {
    kind: 'qlab-postgres-calibration',
    version: 1,
    measuredAt: new Date().toISOString(),
    machine: describeMachine(),
    server: { url: redactUrl(options.url), settings },
    method: `${samples} transactions per durability and group size (${groupSizes.join(', ')} enqueues of ${messageBytes} B bodies), one at a time on one connection through PostgresBackend, each timed from commit() to its acknowledgement and followed by an untimed transaction settling its messages; 20 untimed warm-up commits first`,
    messageBytes,
    commitMs,
    commitSamplesMs,
    commitModel: { sync: linearFit(means.sync), async: linearFit(means.async) },
  };
}

/** Least squares y = a + b·x; with one point, all of it is the fixed cost. */
export function linearFit(points: readonly [number, number][]): { fixedMs: number; perMessageMs: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (n < 2 || sxx === 0) return { fixedMs: r3(my), perMessageMs: 0 };
  const b = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return { fixedMs: r3(my - b * mx), perMessageMs: r3(b) };
}

function commit(backend: TxBackend, ops: TxOp[]): Promise<void> {
  return new Promise((resolve, reject) => backend.commit(ops, (error) => (error ? reject(error) : resolve())));
}
