import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * sim/ drives the engine through its public API only: `engine/index.ts` and the seam interfaces
 * it implements (`clock.ts`, `random.ts`, `storage.ts`). Reaching into engine internals would let
 * the simulation depend on things a real user of the engine cannot see.
 */
const ALLOWED = new Set(['index.ts', 'clock.ts', 'random.ts', 'storage.ts']);
// The PostgreSQL store's own entry, for Node-only commands (it loads the pg client; engine/adapters/postgres/isolation.test.ts keeps it out of the simulator and the browser).
ALLOWED.add('adapters/postgres/index.ts');
const simDir = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('sim architecture', () => {
  it('imports from engine/ only its public index and seam interfaces', () => {
    const violations: string[] = [];
    for (const file of sources(simDir)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/from '((?:\.\.\/)+engine\/([^']+))'/g)) {
        if (!ALLOWED.has(match[2]!)) violations.push(`${relative(simDir, file)} imports ${match[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
