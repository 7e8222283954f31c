import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The `pg` client is a Node program's dependency: the browser bundle (web/, Vite) and the engine's
 * virtual-time paths (the simulator, its worker threads) must never load it, or the viewer breaks
 * and a simulation would depend on a database driver. Only engine/adapters/postgres/ imports `pg`,
 * and nothing the browser or the simulator loads reaches that directory, statically or through a
 * dynamic import().
 */
const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const POSTGRES_DIR = join(ROOT, 'engine/adapters/postgres');
const PG_IMPORT = /(?:from\s+|import\s*\(\s*|require\(\s*)['"]pg(?:\/[^'"]*)?['"]/;
const RELATIVE_IMPORT = /(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sources(path);
    return /\.(ts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

/** Every source file reachable from `entries` through relative imports (static and dynamic). */
export function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(RELATIVE_IMPORT)) stack.push(resolve(dirname(file), match[1]!));
  }
  return seen;
}

const inPostgresDir = (file: string) => file.startsWith(`${POSTGRES_DIR}/`);

describe('the pg client stays in engine/adapters/postgres', () => {
  it('no source outside engine/adapters/postgres imports pg', () => {
    const files = ['engine', 'sim', 'web', 'bin'].flatMap((d) => sources(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((f) => !inPostgresDir(f) && PG_IMPORT.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('neither the browser bundle nor the virtual-time paths reach engine/adapters/postgres', () => {
    const webEntries = sources(join(ROOT, 'web/src')).filter((f) => !f.endsWith('.test.ts'));
    const engineEntries = sources(join(ROOT, 'engine')).filter((f) => !f.endsWith('.test.ts') && !inPostgresDir(f));
    const simEntries = ['sim/run/simulate.ts', 'sim/parallel/workerMain.ts', 'engine/index.ts'].map((p) => join(ROOT, p));
    for (const entry of simEntries) expect(existsSync(entry), entry).toBe(true);
    const reached = reachable([...webEntries, ...engineEntries, ...simEntries]);
    expect(reached.size).toBeGreaterThan(50);
    expect([...reached].filter(inPostgresDir).map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('the rules catch what they are meant to catch', () => {
    expect(PG_IMPORT.test("import pg from 'pg';")).toBe(true);
    expect(PG_IMPORT.test("const { Client } = await import('pg');")).toBe(true);
    expect(PG_IMPORT.test("import x from 'pg-types';")).toBe(false);
    expect(PG_IMPORT.test("import { x } from './pg.ts';")).toBe(false);
    const reached = reachable([join(POSTGRES_DIR, 'isolation.test.ts')]);
    expect(reached.size).toBe(1);
    expect(reachable([join(ROOT, 'engine/index.ts')]).has(join(ROOT, 'engine/broker.ts'))).toBe(true);
  });
});
