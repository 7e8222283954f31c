import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Broker } from '../broker.ts';

const dirs: string[] = [];
const eventsDir = mkdtempSync(join(tmpdir(), 'qlab-sigkill-events-'));
dirs.push(eventsDir);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('opening a log directory', () => {
  it('a path that is a file, or a directory of other files, is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlab-open-'));
    dirs.push(dir);
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    await expect(Broker.open({ dir: file })).rejects.toThrow(/cannot use .*plain-file as a log directory: (EEXIST|ENOTDIR)/);
    await expect(Broker.open({ dir })).rejects.toThrow(/not a queuelab log directory: unexpected file 'plain-file'/);
  });
});

const WORKER = fileURLToPath(new URL('./fixtures/workUntilKilled.ts', import.meta.url));

interface Generation {
  recovered: Set<string>;
  confirmed: string[];
  acked: Set<string>;
}

/**
 * One generation: reopens `dir`, works until `confirms` publishes were confirmed, then is SIGKILLed.
 * What it did is read from its events file after its death, never from its stdout: stdout is a
 * pipe that Node writes asynchronously, so lines still in the child's memory at the kill are lost,
 * and an ack announced there and then made would show up as a confirmed message missing after reopen.
 */
function generation(dir: string, fsync: string, prefix: string, confirms: number): Promise<Generation> {
  const eventsFile = join(eventsDir, `${basename(dir)}-${prefix}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dir, fsync, '32', '4096', prefix, eventsFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let confirmed = 0;
    let stderr = '';
    let killing = false;
    let readingSinceMs = Date.now();
    let stalled = false;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) confirmed++;
      // A little random lag, so kills land at any step (a roll's file creation included), not only after a confirm.
      if (confirmed >= confirms && !killing) {
        killing = true;
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), Math.random() * 20);
      }
      // A parent starved of CPU reads its pipe late: stall now and then, so the child's stdout backs up.
      if (!stalled && Date.now() - readingSinceMs > 700) {
        stalled = true;
        child.stdout.pause();
        setTimeout(() => {
          stalled = false;
          readingSinceMs = Date.now();
          child.stdout.resume();
        }, 300);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(readEvents(eventsFile));
      else reject(new Error(`generation ${prefix} exited on its own (code ${code}): ${stderr}`));
    });
  });
}

/** The child's record, complete up to its death (a line torn by the kill has no newline and no effect yet). */
function readEvents(file: string): Generation {
  const result: Generation = { recovered: new Set(), confirmed: [], acked: new Set() };
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
    const id = line.slice(2);
    if (line.startsWith('r ')) result.recovered.add(id);
    else if (line.startsWith('c ')) result.confirmed.push(id);
    else if (line.startsWith('a ')) result.acked.add(id);
  }
  return result;
}

describe('a broker SIGKILLed mid-stream, publishers and acking consumers running, 4 KiB segments', () => {
  // Each trial: three kill/reopen generations, then a last reopen in this process. A message owed
  // (confirmed, or recovered, and not acked since) must be back after every reopen.
  for (const [fsync, trials] of [
    ['always', 3],
    ['batch', 1],
  ] as const) {
    it(`fsync ${fsync}: every reopen succeeds and every confirmed, unacked message is there (${trials} trial(s) x 3 generations)`, async () => {
      let rolled = 0;
      for (let trial = 0; trial < trials; trial++) {
        const dir = mkdtempSync(join(tmpdir(), `qlab-sigkill-${fsync}-`));
        dirs.push(dir);
        let owed = new Set<string>();
        for (let g = 0; g < 3; g++) {
          const life = await generation(dir, fsync, `t${trial}g${g}`, 400 + 150 * g);
          const missing = [...owed].filter((id) => !life.recovered.has(id));
          expect(missing, `trial ${trial}, generation ${g}: owed messages missing after reopen`).toEqual([]);
          owed = new Set(life.recovered);
          for (const id of life.confirmed) owed.add(id);
          for (const id of life.acked) owed.delete(id);
        }
        const broker = await Broker.open({ dir, fsync, segmentBytes: 4096 });
        const back = new Set<string>();
        for (let d = broker.get('q', { autoAck: true }); d !== undefined; d = broker.get('q', { autoAck: true })) back.add(d.properties.messageId!);
        expect([...owed].filter((id) => !back.has(id)), `trial ${trial}: owed messages missing at the end`).toEqual([]);
        rolled += broker.recoveryReport!.segments;
        await new Promise<void>((resolve, reject) => broker.close((e) => (e ? reject(e) : resolve())));
      }
      // Small segments: the log rolled (and compacted) many times on the way.
      expect(rolled).toBeGreaterThan(trials);
      // Real processes on a loaded machine: 40 s measured at load average 16 on 2 cores.
    }, 180_000);
  }
});
