#!/usr/bin/env node
// The build step (`npm run build`, and `npm ci` through the `prepare` script): esbuild bundles the
// CLI and the worker-thread entry into ESM chunks (split, so each command still loads on demand)
// under node_modules/.cache/qlab/, with a manifest of every source file it read and its mtime.
// bin/qlab.js runs the bundle only while that manifest still matches the sources (bin/compiled.js);
// after any edit it falls back to compiling through tsx, so stale code never runs.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILD_DIR, MANIFEST, ROOT } from './compiled.js';

/**
 * Modules find files beside them with `new URL(…, import.meta.url)` (scenarios/, web/, the worker
 * entry): each file's own source URL is written in, so the bundle resolves them as the source does.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

export async function buildQlab() {
  const startedMs = performance.now();
  const staging = `${BUILD_DIR}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'sim/cli/main.ts', worker: 'sim/parallel/workerMain.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
  // mtime and size of every source the bundle holds: any edit makes the bundle stale.
  const sources = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(ROOT, input);
    const stat = statSync(path);
    sources[path] = [stat.mtimeMs, stat.size];
  }
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify({ root: ROOT, sources }));
  // Swap the whole directory, so a concurrent `qlab` sees the old build, none, or the new one.
  rmSync(BUILD_DIR, { recursive: true, force: true });
  renameSync(staging, BUILD_DIR);
  return { sources: Object.keys(sources).length, ms: performance.now() - startedMs };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { sources, ms } = await buildQlab();
  process.stderr.write(`qlab: built ${sources} sources into ${dirname(MANIFEST)} in ${Math.round(ms)} ms\n`);
}
