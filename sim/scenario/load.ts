import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { truncateQuoted } from '../../engine/index.ts';
import { Scenario } from './schema.ts';
import { inlineDataFiles } from './dataFiles.ts';

export type LoadResult = { ok: true; scenario: Scenario; raw: unknown } | { ok: false; errors: string[] };

/**
 * Reads and validates a scenario file. Never throws: a missing file, bad JSON or a value the schema
 * refuses comes back as error lines, each naming the file and the JSON path of the offending field
 * with what was expected.
 */
export function loadScenario(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, errors: [`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [truncateQuoted(`${file}: not valid JSON: ${jsonErrorAt(text, error as Error)}`)] };
  }
  // Traces named by file are read now, relative to the scenario, so everything after sees values.
  const inlined = inlineDataFiles(raw, file);
  if ('errors' in inlined) return { ok: false, errors: inlined.errors.map((e) => truncateQuoted(e)) };
  return parseScenario(inlined.raw, file);
}

/** Validates an already-parsed scenario object (a file's content, or one edited by a sweep). */
export function parseScenario(raw: unknown, label: string): LoadResult {
  let result: ReturnType<typeof Scenario.safeParse>;
  try {
    result = Scenario.safeParse(raw);
  } catch (error) {
    // A refinement met something stranger than the schema allows for: still an input error.
    return { ok: false, errors: [truncateQuoted(`${label}: ${(error as Error).message}`)] };
  }
  if (result.success) return { ok: true, scenario: result.data, raw };
  return { ok: false, errors: result.error.issues.map((issue) => truncateQuoted(`${label}: ${jsonPath(issue.path)}: ${describeIssue(issue)}`)) };
}

/** `$.producers[0].arrivals.ratePerSec` */
export function jsonPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_union' && 'discriminator' in issue && typeof (issue as { discriminator?: unknown }).discriminator === 'string') {
    return issue.message;
  }
  return issue.message;
}

function jsonErrorAt(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  if (match === null) return error.message;
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
