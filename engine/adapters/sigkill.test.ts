import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Broker } from '../broker.ts';

const CHILD = fileURLToPath(new URL('./fixtures/publishUntilKilled.ts', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the publisher until it has reported `count` confirms, then SIGKILLs it; returns the confirmed ids. */
function publishThenKill(dir: string, fsync: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, fsync, '64'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const confirmed: string[] = [];
    let partial = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      confirmed.push(...lines);
      if (confirmed.length >= count && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(confirmed);
      else reject(new Error(`publisher exited on its own (code ${code}): ${stderr}`));
    });
  });
}

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

describe('a publisher killed with SIGKILL mid-stream', () => {
  for (const fsync of ['always', 'batch']) {
    it(`fsync ${fsync}: every message it saw confirmed is on disk when the directory is reopened`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `qlab-sigkill-${fsync}-`));
      dirs.push(dir);
      const confirmed = await publishThenKill(dir, fsync, 3000);
      expect(confirmed.length).toBeGreaterThanOrEqual(3000);
      const broker = await Broker.open({ dir, fsync: fsync as 'always' | 'batch' });
      const recovered = new Set<string>();
      for (let d = broker.get('q', { autoAck: true }); d !== undefined; d = broker.get('q', { autoAck: true })) {
        recovered.add(d.properties.messageId!);
      }
      const missing = confirmed.filter((id) => !recovered.has(id));
      expect(missing).toEqual([]);
      expect(broker.recoveryReport!.messages).toBeGreaterThanOrEqual(confirmed.length);
      await new Promise<void>((resolve, reject) => broker.close((e) => (e ? reject(e) : resolve())));
    });
  }
});
