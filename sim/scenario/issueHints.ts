import type { z } from 'zod';

/**
 * Friendlier wording for the two mistakes people make most when writing a scenario by hand: a
 * misspelt field (`scb` for `scv`) and a wrong or missing discriminator (`"type"` where a fault
 * says `"kind"`). Pure functions over a zod issue, the schema and the raw input.
 */

type Def = { type: string; innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[]; discriminator?: string; in?: z.ZodType; values?: unknown[] };
const def = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate closest to `word`, if it is close enough to be a plausible typo (or a prefix/suffix variant). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (best === undefined) return undefined;
  const related = best.toLowerCase().startsWith(word.toLowerCase()) || word.toLowerCase().startsWith(best.toLowerCase());
  return bestDistance <= Math.max(2, Math.floor(best.length / 3)) || related ? best : undefined;
}

/** The object schema that validated `path` in `raw` (following arrays, wrappers and the union option the data picked). */
export function schemaAt(root: z.ZodType, raw: unknown, path: readonly PropertyKey[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  let value: unknown = raw;
  for (let i = 0; ; i++) {
    schema = unwrap(schema, value);
    if (schema === undefined || i === path.length) return schema;
    const key = path[i]!;
    const d = def(schema);
    if (d.type === 'array') schema = d.element;
    else if (d.type === 'object') schema = d.shape?.[String(key)];
    else if (d.type === 'record') schema = (d as { valueType?: z.ZodType }).valueType;
    else return undefined;
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as string] : undefined;
  }
}

function unwrap(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  while (schema !== undefined) {
    const d = def(schema);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'readonly') schema = d.innerType;
    else if (d.type === 'pipe') schema = d.in;
    else if (d.type === 'union') schema = pickOption(d, value);
    else return schema;
  }
  return undefined;
}

function pickOption(d: Def, value: unknown): z.ZodType | undefined {
  const options = d.options ?? [];
  if (d.discriminator === undefined || value === null || typeof value !== 'object') return options.find((o) => def(o).type === 'object');
  const wanted = (value as Record<string, unknown>)[d.discriminator];
  return options.find((o) => {
    const literal = def(o).shape?.[d.discriminator!];
    return literal !== undefined && (def(literal).values ?? []).includes(wanted);
  });
}

/** The field names an object schema accepts. */
export function fieldsOf(schema: z.ZodType | undefined): string[] {
  return schema !== undefined && def(schema).type === 'object' ? Object.keys(def(schema).shape ?? {}) : [];
}

/** `unknown field 'scb' (did you mean 'scv'?)` */
export function unknownFieldMessage(keys: readonly string[], valid: readonly string[]): string {
  const parts = keys.map((k) => {
    const guess = nearest(k, valid.filter((v) => v !== k));
    return guess === undefined ? `'${k}'` : `'${k}' (did you mean '${guess}'?)`;
  });
  const list = valid.length > 0 && parts.every((p) => !p.includes('did you mean')) ? `; valid fields: ${valid.join(', ')}` : '';
  return `unknown field${keys.length > 1 ? 's' : ''} ${parts.join(', ')}${list}`;
}

/** For a discriminated union the data did not match: what was given, the nearest valid value, all valid values. */
export function discriminatorMessage(discriminator: string, options: readonly unknown[], container: unknown): string {
  const valid = options.map(String);
  const list = `valid values: ${valid.map((v) => `"${v}"`).join(', ')}`;
  const given = container !== null && typeof container === 'object' ? (container as Record<string, unknown>)[discriminator] : undefined;
  if (given === undefined && container !== null && typeof container === 'object') {
    // The value is there under another name ("type": "broker-crash"): name the field to rename.
    const misplaced = Object.entries(container).find(([, v]) => typeof v === 'string' && valid.includes(v));
    if (misplaced !== undefined) return `missing "${discriminator}": found "${misplaced[0]}": "${misplaced[1]}" — did you mean "${discriminator}": "${misplaced[1]}"? (${list})`;
    return `missing "${discriminator}" (${list})`;
  }
  const guess = typeof given === 'string' ? nearest(given, valid) : undefined;
  return `${JSON.stringify(given)} is not a valid "${discriminator}"${guess === undefined ? '' : ` — did you mean "${guess}"?`} (${list})`;
}
