import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStorage } from '../../engine/index.ts';
import { orderStatistics } from './orderStatistics.ts';
import { summarizeLateness, type LatenessSummary } from '../real/lateness.ts';
import { describeDisk, describeMachine, type DiskDescription, type MachineDescription } from '../real/machine.ts';

export interface DiskCalibrationOptions {
  dir?: string;
  /** Timed appends, and as many syncs (default 200). */
  samples?: number;
  /** Bytes per append: about one log record of a 100-byte message (default 256). */
  recordBytes?: number;
  /** Size of the file read for throughput (default 16 MB). */
  readFileBytes?: number;
  onProgress?: (line: string) => void;
}

/** Calibration samples kept in the file: enough for the shape, small enough to read. */
const KEPT_SAMPLES = 200;

export interface DiskCalibration {
  kind: 'qlab-disk-calibration';
  version: 1;
  measuredAt: string;
  machine: MachineDescription;
  disk: DiskDescription;
  method: string;
  summary: { appendMs: LatenessSummary; syncMs: LatenessSummary; readMs: LatenessSummary; readMBPerSec: number };
  /** Paste as a scenario's broker.disk (or pass the file to qlab gap --disk-calibration): the measured distributions. */
  brokerDisk: {
    writeLatencyMs: { dist: 'empirical'; samples: number[] };
    syncLatencyMs: { dist: 'empirical'; samples: number[] };
    readLatencyMs: { dist: 'empirical'; samples: number[] };
    readMBPerSec: number;
    tearProbability: number;
  };
}

/**
 * Measures this machine's disk as the engine sees it: through FileStorage (the real Storage seam,
 * O_APPEND writes and fdatasync on libuv's thread pool), one operation at a time as the simulated
 * disk models them — append latency, sync latency after one append, small-read latency, and
 * sequential read throughput of a log-sized file (warm page cache: what recovery right after a
 * crash of the process, not of the machine, sees).
 */
export async function calibrateDisk(options: DiskCalibrationOptions = {}): Promise<DiskCalibration> {
  const samples = options.samples ?? 200;
  const recordBytes = options.recordBytes ?? 256;
  const base = options.dir ?? tmpdir();
  const dir = mkdtempSync(join(base, 'qlab-calibrate-'));
  const storage = new FileStorage(dir);
  try {
    const record = new Uint8Array(recordBytes).fill(7);
    await op((done) => storage.append('warm', record, done));
    await op((done) => storage.sync('warm', done));
    const appendMs: number[] = [];
    const syncMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      appendMs.push(await timed((done) => storage.append('log', record.slice(), done)));
      syncMs.push(await timed((done) => storage.sync('log', done)));
      if ((i + 1) % 50 === 0) options.onProgress?.(`disk calibration: ${i + 1}/${samples} append+fdatasync pairs`);
    }
    const readMs: number[] = [];
    for (let i = 0; i < Math.min(samples, 100); i++) readMs.push(await timed((done) => storage.read('log', (error) => done(error))));
    const readMBPerSec = await readThroughput(storage, options.readFileBytes ?? 16 * 2 ** 20);
    await op((done) => storage.close(done));
    return {
      kind: 'qlab-disk-calibration',
      version: 1,
      measuredAt: new Date().toISOString(),
      machine: describeMachine(),
      disk: describeDisk(base),
      method: `${samples} appends of ${recordBytes} B each followed by an fdatasync, one at a time, through FileStorage; ${readMs.length} reads of the ${samples * recordBytes} B log; one sequential read of a ${Math.round((options.readFileBytes ?? 16 * 2 ** 20) / 2 ** 20)} MB file (page cache warm)`,
      summary: { appendMs: summarizeLateness(appendMs), syncMs: summarizeLateness(syncMs), readMs: summarizeLateness(readMs), readMBPerSec },
      brokerDisk: {
        writeLatencyMs: { dist: 'empirical', samples: keep(appendMs) },
        syncLatencyMs: { dist: 'empirical', samples: keep(syncMs) },
        readLatencyMs: { dist: 'empirical', samples: keep(readMs) },
        readMBPerSec,
        tearProbability: 0.5,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readThroughput(storage: FileStorage, bytes: number): Promise<number> {
  const chunk = new Uint8Array(2 ** 20).fill(1);
  for (let written = 0; written < bytes; written += chunk.byteLength) await op((done) => storage.append('big', chunk.slice(), done));
  await op((done) => storage.sync('big', done));
  const ms = await timed((done) => storage.read('big', (error) => done(error)));
  return Math.round((bytes / 2 ** 20 / (ms / 1000)) * 10) / 10;
}

/** Evenly spaced order statistics: the empirical distribution's shape in at most KEPT_SAMPLES values. */
const keep = (values: number[]): number[] => orderStatistics(values, KEPT_SAMPLES).map(r3);

const r3 = (v: number) => Math.round(v * 1000) / 1000;

function op(start: (done: (error: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => start((error) => (error ? reject(error) : resolve())));
}

async function timed(start: (done: (error: Error | null) => void) => void): Promise<number> {
  const t0 = performance.now();
  await op(start);
  return performance.now() - t0;
}
