// Where the build (bin/build.js) puts the bundle, and whether it may run: only when it was built
// from this checkout and every source it holds is unchanged (same mtime and size). Anything else
// (no build, an edit since, another checkout sharing node_modules, QLAB_FROM_SOURCE=1) means the
// caller runs the TypeScript sources through tsx instead, so stale code never runs.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
// Keyed by checkout, so checkouts sharing one node_modules (bench --against links it) keep their own.
export const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'qlab', checkoutKey(ROOT));
export const MANIFEST = join(BUILD_DIR, 'manifest.json');

/** The URL of the built `entry` ('main' or 'worker') when the build is fresh, else undefined. */
export function freshBuild(entry) {
  if (process.env.QLAB_FROM_SOURCE === '1') return undefined;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.root !== ROOT) return undefined;
  for (const [path, [mtimeMs, size]] of Object.entries(manifest.sources)) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined || stat.mtimeMs !== mtimeMs || stat.size !== size) return undefined;
  }
  return new URL(`file://${join(BUILD_DIR, `${entry}.js`)}`).href;
}

/** A short stable name for a checkout's path (FNV-1a; node:crypto would cost start-up time). */
function checkoutKey(path) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
