import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The engine's files form layers (queue state below consumers, the broker's parts over one shared
 * core), so no file imports itself back through others — type-only imports included, since a type
 * cycle is a design cycle too. engine/durable/ is excluded while its own known cycle
 * (liveMessages ↔ recovery) is being broken on another branch.
 */
const engineDir = new URL('.', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gms)].map((m) => m[1]!);
  return found.map((spec) => resolve(dirname(file), spec));
}

/** Every cycle's files, found by depth-first search over the import graph. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (state.get(next) === undefined && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (state.get(node) === undefined) visit(node);
  return cycles;
}

describe('engine imports', () => {
  it('no engine file outside durable/ is part of an import cycle', () => {
    const files = sourceFiles(engineDir).filter((f) => !relative(engineDir, f).startsWith('durable/'));
    expect(files.length).toBeGreaterThan(20);
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const cycles = importCycles(graph).map((cycle) => cycle.map((f) => relative(engineDir, f)).join(' → '));
    expect(cycles).toEqual([]);
  });

  it('the search finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c']]);
  });
});
