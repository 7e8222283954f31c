import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The engine runs unchanged in real and virtual time only if time, randomness and files reach it
 * through its seams. Outside `engine/adapters/` no engine source may touch them directly.
 */
const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\.now\b|\bnew Date\(/, 'the wall clock'],
  [/\bperformance\.now\b/, 'the wall clock'],
  [/\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b|\bqueueMicrotask\b|\bprocess\.nextTick\b/, 'real timers'],
  [/\bMath\.random\b|\bcrypto\.random|\brandomFillSync\b|\brandomBytes\b/, 'unseeded randomness'],
  [/from ['"](node:)?fs(\/promises)?['"]|require\(['"](node:)?fs/, 'node:fs'],
  [/from ['"](node:)?(child_process|worker_threads|net)['"]/, 'the operating system'],
];

const engineDir = new URL('.', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'adapters' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('engine seams', () => {
  it('no engine source outside adapters/ reads the clock, timers, randomness or files directly', () => {
    const files = sourceFiles(engineDir);
    expect(files.length).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        for (const [pattern, what] of FORBIDDEN) {
          if (pattern.test(code)) violations.push(`${relative(engineDir, file)}:${i + 1} uses ${what}: ${line.trim()}`);
        }
      });
    }
    expect(violations).toEqual([]);
  });

  it('the rule catches what it is meant to catch', () => {
    const caught = (line: string) => FORBIDDEN.some(([pattern]) => pattern.test(line));
    expect(caught('const t = Date.now();')).toBe(true);
    expect(caught("import { open } from 'node:fs';")).toBe(true);
    expect(caught('const jitter = Math.random();')).toBe(true);
    expect(caught('this.clock.setTimer(at, fn);')).toBe(false);
  });
});
