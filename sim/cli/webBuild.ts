import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const SOURCES = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'playground.html'), fileURLToPath(new URL('../', import.meta.url)), fileURLToPath(new URL('../../engine/', import.meta.url))];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/**
 * One build at a time across processes (the browser test files run in parallel, `qlab view` may
 * run beside them): Vite empties the output folder first, so a second build would pull the files
 * from under the first one's server. A lock folder, taken atomically; one left by a killed build is
 * broken after two minutes.
 */
async function withBuildLock<T>(which: string, work: () => Promise<T>): Promise<T> {
  const lock = join(WEB, `.build-${which}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds the viewer with Vite if it is missing or older than its sources; `single` is the one-file variant. */
export async function ensureBuilt(which: 'app' | 'single'): Promise<string> {
  return withBuildLock(which, () => buildIfStale(which));
}

async function buildIfStale(which: 'app' | 'single'): Promise<string> {
  const out = join(WEB, which === 'app' ? 'dist' : 'dist-single');
  const marker = join(out, which === 'app' ? 'index.html' : 'viewer.js');
  if (existsSync(marker) && statSync(marker).mtimeMs >= Math.max(...SOURCES.map(newest))) return out;
  process.stderr.write(`building the viewer (${which === 'app' ? 'web/dist' : 'web/dist-single'})…\n`);
  const { build } = await import('vite');
  await build({ configFile: join(WEB, which === 'app' ? 'vite.config.ts' : 'vite.single.config.ts'), logLevel: 'error' });
  return out;
}
