import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// A throwaway checkout: the real bin/ and node_modules, and a two-file "CLI" whose output says which
// version of its source ran and whether it came from the bundle or from tsx.
const MAIN = (version: string) => `import { VERSION } from './version.ts';
export async function main(): Promise<number> {
  const { Worker } = await import('node:worker_threads');
  const from = new Error().stack!.includes('.cache/qlab') ? 'bundle' : 'source';
  const worker = new Worker(new URL('../../bin/qlab-worker.js', import.meta.url));
  const workerFrom = await new Promise((resolve) => worker.once('message', resolve));
  await worker.terminate();
  process.stdout.write(\`\${VERSION}${version} \${from} worker:\${workerFrom}\\n\`);
  return 0;
}
`;
const WORKER = `import { parentPort } from 'node:worker_threads';
parentPort!.postMessage(new Error().stack!.includes('.cache/qlab') ? 'bundle' : 'source');
`;

let dir = '';
const file = (path: string) => join(dir, path);
const run = (env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [file('bin/qlab.js')], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
};
const build = () => {
  const r = spawnSync(process.execPath, [file('bin/build.js')], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
};

describe('bin/qlab.js runs the bundle only while it matches the sources', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qlab-build-'));
    cpSync(join(ROOT, 'bin'), file('bin'), { recursive: true, filter: (path) => !path.endsWith('.test.ts') });
    symlinkSync(join(ROOT, 'node_modules'), file('node_modules'), 'dir');
    writeFileSync(file('package.json'), '{ "type": "module" }\n');
    mkdirSync(file('sim/cli'), { recursive: true });
    mkdirSync(file('sim/parallel'), { recursive: true });
    writeFileSync(file('sim/cli/main.ts'), MAIN('.1'));
    writeFileSync(file('sim/cli/version.ts'), `export const VERSION: string = 'v';\n`);
    writeFileSync(file('sim/parallel/workerMain.ts'), WORKER);
  });
  afterAll(async () => {
    const { BUILD_DIR } = await import(join(dir, 'bin', 'compiled.js'));
    rmSync(BUILD_DIR, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the sources through tsx before any build', () => {
    expect(run()).toBe('v.1 source worker:source');
  });

  it('runs the bundle, in the CLI and in worker threads, once built', () => {
    build();
    expect(run()).toBe('v.1 bundle worker:bundle');
  });

  it('falls back to the sources after an edit of the entry, of a module it imports, or a touch', () => {
    writeFileSync(file('sim/cli/main.ts'), MAIN('.2'));
    expect(run()).toBe('v.2 source worker:source');
    build();
    expect(run()).toBe('v.2 bundle worker:bundle');
    writeFileSync(file('sim/cli/version.ts'), `export const VERSION: string = 'w';\n`);
    expect(run()).toBe('w.2 source worker:source');
    build();
    // Same content, new mtime (a checkout or an editor's save): not trusted either.
    const later = new Date(Date.now() + 5_000);
    utimesSync(file('sim/parallel/workerMain.ts'), later, later);
    expect(run()).toBe('w.2 source worker:source');
  });

  it('QLAB_FROM_SOURCE=1 forces the sources', () => {
    build();
    expect(run()).toBe('w.2 bundle worker:bundle');
    expect(run({ QLAB_FROM_SOURCE: '1' })).toBe('w.2 source worker:source');
  });

  it('ignores a build made for another checkout', () => {
    const manifestPath = JSON.parse(spawnSync(process.execPath, ['--input-type=module', '-e', `import('${file('bin/compiled.js')}').then((m) => console.log(JSON.stringify(m.MANIFEST)))`], { encoding: 'utf8' }).stdout);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, root: '/elsewhere' }));
    expect(run()).toBe('w.2 source worker:source');
  });
});
