import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const QLAB = fileURLToPath(new URL('../../bin/qlab.js', import.meta.url));

/** Runs the real CLI in a child process, as a user would, for the CLI's tests. */
export function runQlab(args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
  const result = spawnSync(process.execPath, [QLAB, ...args], {
    encoding: 'utf8',
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 120_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
