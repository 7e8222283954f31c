import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { truncateQuoted } from '../../engine/index.ts';
import { discriminatorMessage, fieldsOf, nearest, schemaAt, unknownFieldMessage } from './issueHints.ts';
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
  const issues = withoutTypoEchoes(result.error.issues, raw);
  return { ok: false, errors: issues.map((issue) => truncateQuoted(`${label}: ${jsonPath(issue.path)}: ${describeIssue(issue, raw)}`)) };
}

/** `$.producers[0].arrivals.ratePerSec` */
export function jsonPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === 'unrecognized_keys') return unknownFieldMessage(issue.keys, fieldsOf(schemaAt(Scenario, raw, issue.path)));
  const union = issue as { code: string; discriminator?: unknown; options?: unknown[] };
  if (union.code === 'invalid_union' && typeof union.discriminator === 'string' && Array.isArray(union.options)) {
    return discriminatorMessage(union.discriminator, union.options, valueAt(raw, issue.path.slice(0, -1)));
  }
  return issue.message;
}

/**
 * A misspelt required field gives two issues: "'scb' unknown" and "scv: expected number, received
 * undefined". The first, with its "did you mean 'scv'?", says it all; the second is dropped.
 */
function withoutTypoEchoes(issues: readonly z.core.$ZodIssue[], raw: unknown): z.core.$ZodIssue[] {
  const explained = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const valid = fieldsOf(schemaAt(Scenario, raw, issue.path));
    for (const key of issue.keys) {
      const guess = nearest(key, valid);
      if (guess !== undefined) explained.add(jsonPath([...issue.path, guess]));
    }
  }
  return issues.filter((issue) => !(issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined && explained.has(jsonPath(issue.path))));
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as string] : undefined;
  return value;
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
