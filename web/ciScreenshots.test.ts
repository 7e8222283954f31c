import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * CI keeps the browser tests' screenshots: .ci/run points them at $QLAB_SCREENSHOTS and checks every
 * page's is there; .github/workflows/ci.yml runs .ci/run and uploads that folder. Checked here
 * against the files as committed, running their screenshot commands (not .ci/run itself: it runs
 * this whole suite).
 */
const root = fileURLToPath(new URL('../', import.meta.url));
const workflow = readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8');
const ciRun = readFileSync(join(root, '.ci/run'), 'utf8');
const check = readFileSync(join(root, '.ci/screenshots'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'qlab-shots-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const runLines = [...workflow.matchAll(/^\s+(?:- )?run: (.+)$/gm)].map((m) => m[1]!.trim());
const folder = /^\s+QLAB_SCREENSHOTS: (\S+)$/m.exec(workflow)?.[1];
const pages = /pages="([^"]+)"/.exec(check)![1]!.trim().split(/\s+/);
const bash = (script: string, env: Record<string, string> = {}, cwd = root) => spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

/** Every screenshot the browser tests write: literal names, and one per teaching scenario of the layout test. */
function screenshotsWritten(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(join(root, 'web')).filter((f) => f.endsWith('.test.ts'))) {
    const text = readFileSync(join(root, 'web', file), 'utf8');
    for (const m of text.matchAll(/'([a-z0-9-]+)\.png'/g)) names.add(m[1]!);
    const teaching = /const teaching = \[([^\]]+)\]/.exec(text);
    if (teaching && text.includes('`layout-${name}.png`')) for (const m of teaching[1]!.matchAll(/'([a-z0-9-]+)'/g)) names.add(`layout-${m[1]}`);
  }
  return [...names].sort();
}

describe('CI uploads the browser tests\u2019 screenshots', () => {
  it('the workflow runs .ci/run on Debian and uploads the folder it names, even after a failure', () => {
    expect(workflow).toMatch(/container: debian:/);
    expect(runLines).toContain('bash .ci/run');
    expect(folder).toBeDefined();
    const upload = /- if: always\(\)\n\s+uses: actions\/upload-artifact@v4\n\s+with:\n\s+name: viewer-screenshots\n\s+path: (\S+)\n\s+if-no-files-found: error/.exec(workflow);
    expect(upload?.[1]?.replace(/\/$/, '')).toBe(folder);
  });

  it('.ci/run sends the screenshots to $QLAB_SCREENSHOTS and checks them right after npm test', () => {
    const lines = ciRun.split('\n');
    const exported = lines.findIndex((l) => l.startsWith('export QLAB_SCREENSHOTS'));
    const test = lines.indexOf('npm test');
    expect(exported).toBeGreaterThan(-1);
    expect(exported).toBeLessThan(test);
    expect(lines[test + 1]).toBe('.ci/screenshots "$QLAB_SCREENSHOTS"');
  });

  it('the harness writes where .ci/run points it, the folder the workflow uploads', () => {
    // .ci/run's own lines that set the folder, with the workflow's env, then where the harness writes.
    // Run in a scratch directory standing for the checkout: in CI the real folder already holds this run's screenshots.
    const setup = ciRun.split('\n').filter((l) => /QLAB_SCREENSHOTS/.test(l) && !l.startsWith('#') && !l.startsWith('.ci/screenshots')).join('\n');
    const checkout = join(tmp, 'checkout');
    mkdirSync(checkout);
    const r = bash(`${setup}\n${join(root, 'node_modules/.bin/tsx')} -e "import('${join(root, 'web/browserHarness.ts')}').then((m) => console.log(m.ARTIFACTS))"`, { QLAB_SCREENSHOTS: folder! }, checkout);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe(join(checkout, folder!));
    expect(readdirSync(checkout)).toEqual([folder]);
  });

  it('the check lists exactly the pages the browser tests screenshot, fails naming a missing one, passes with all', () => {
    expect([...pages].sort()).toEqual(screenshotsWritten());
    const dir = join(tmp, 'shots');
    mkdirSync(dir);
    const empty = bash(`.ci/screenshots ${dir}`);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain(`no ${dir}/viewer-run.png`);
    expect(empty.stderr).toContain(`${pages.length} of ${pages.length} pages missing`);
    for (const page of pages) copyFileSync(join(root, 'web/screenshots/run-view.png'), join(dir, `${page}.png`));
    rmSync(join(dir, 'playground.png'));
    expect(bash(`.ci/screenshots ${dir}`).stderr).toMatch(/no .*playground\.png\n.*1 of \d+ pages missing/);
    copyFileSync(join(root, 'web/screenshots/playground.png'), join(dir, 'playground.png'));
    const full = bash(`.ci/screenshots ${dir}`);
    expect(full.status, full.stderr).toBe(0);
    expect(full.stdout).toContain(`${pages.length} pages in ${dir}`);
  });
});
