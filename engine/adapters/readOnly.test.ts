import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Broker } from '../broker.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const isRoot = process.getuid?.() === 0;

/** Mounts a read-only tmpfs (root with mount rights only); undefined where that is not possible. */
function readOnlyMount(): string | undefined {
  if (!isRoot) return undefined;
  const at = mkdtempSync(join(tmpdir(), 'qlab-ro-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', at], { stdio: 'ignore' });
    return at;
  } catch {
    rmSync(at, { recursive: true, force: true });
    return undefined;
  }
}

describe('opening a log directory that cannot be written', () => {
  // Root bypasses permission bits, so EACCES can only be seen as another user; the same failure
  // path is covered through the Storage seam in engine/durable/storageFailure.test.ts.
  it.skipIf(isRoot)('an unwritable directory fails at open with EACCES', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlab-eacces-'));
    dirs.push(dir);
    chmodSync(dir, 0o555);
    await expect(Broker.open({ dir })).rejects.toThrow(/cannot write to the log: .*EACCES/);
    chmodSync(dir, 0o755);
  });

  // Mounted inside the test, so a run that filters this test out never leaves a mount behind.
  it.skipIf(!isRoot)('a directory on a read-only file system fails at open with EROFS, and so does a missing one', async (context) => {
    const mount = readOnlyMount();
    if (mount === undefined) return context.skip();
    try {
      await expect(Broker.open({ dir: mount! })).rejects.toThrow(/cannot write to the log: .*EROFS/);
      await expect(Broker.open({ dir: join(mount!, 'missing', 'log') })).rejects.toThrow(/cannot use .*missing\/log as a log directory: EROFS .* is on a read-only file system/);
    } finally {
      execFileSync('umount', [mount!]);
      rmSync(mount!, { recursive: true, force: true });
    }
  });

  it('a missing directory is created', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'qlab-create-'));
    dirs.push(parent);
    mkdirSync(join(parent, 'a'));
    const broker = await Broker.open({ dir: join(parent, 'a', 'b', 'log') });
    await new Promise<void>((resolve, reject) => broker.close((e) => (e ? reject(e) : resolve())));
  });
});
