import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workflow = readFileSync(join(root, '.github/workflows/scenario-gate.yml'), 'utf8');
const out = mkdtempSync(join(tmpdir(), 'qlab-ci-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The `run:` commands of the workflow, in order (one-line runs only: that is how the file is written). */
const runLines = [...workflow.matchAll(/^\s+(?:- )?run: (.+)$/gm)].map((m) => m[1]!.trim());

describe('the CI workflow in the repository', () => {
  it('installs with npm ci, gates on the regression scenarios against the committed baseline, and uploads the HTML report', () => {
    expect(runLines[0]).toMatch(/^npm ci\b/);
    expect(runLines.some((l) => /qlab\.js check scenarios\/regression\/\*\.json --baseline \.ci\/regression-baseline\.json/.test(l))).toBe(true);
    expect(workflow).toMatch(/uses: actions\/upload-artifact@v4[\s\S]*path: reports\/ci\/regression\.html/);
    expect(workflow).toMatch(/OUT: reports\/ci/);
  });

  it('its commands pass on the unchanged tree and produce the HTML report', () => {
    // npm ci is the one command not run here: it would replace this checkout's node_modules.
    for (const line of runLines.slice(1)) {
      const r = spawnSync('bash', ['-c', line], { cwd: root, encoding: 'utf8', env: { ...process.env, OUT: out }, timeout: 600_000 });
      expect(r.status, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    expect(existsSync(join(out, 'regression.html'))).toBe(true);
    expect(readFileSync(join(out, 'regression.html'), 'utf8')).toMatch(/check: 3 scenarios/);
  }, 900_000);
});
