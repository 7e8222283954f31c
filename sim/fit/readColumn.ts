import { readFileSync } from 'node:fs';

/** A bad data file: the message names the file and, where there is one, the line. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

export interface ColumnOptions {
  /** Column name (from a header row) or 1-based index; default the first column. */
  column?: string;
  /** Values are timestamps (turned into gaps; they must not decrease) or already gaps/durations. */
  kind: 'gaps' | 'timestamps';
  /** Multiply every value by this (1000 for seconds → ms). */
  scale?: number;
}

/**
 * One numeric column of a CSV (comma, semicolon or tab separated) as non-negative values in ms:
 * blank lines and lines starting with `#` are skipped; a first row whose field is not a number is a
 * header. Every bad row is refused with its line number; timestamps become the gaps between them.
 */
export function readColumn(file: string, options: ColumnOptions): number[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataFileError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`);
  }
  return parseColumn(text, file, options);
}

export function parseColumn(text: string, file: string, options: ColumnOptions): number[] {
  const rows = text.split(/\r?\n/).map((line, i) => ({ line: i + 1, fields: line.split(/[,;\t]/).map((f) => f.trim()) }));
  const data = rows.filter((r) => !(r.fields.length === 1 && r.fields[0] === '') && !r.fields[0]!.startsWith('#'));
  if (data.length === 0) throw new DataFileError(`${file}: no data rows (the file is empty)`);
  let index = 0;
  const header = data[0]!.fields.some((f) => f !== '' && !Number.isFinite(Number(f))) ? data.shift()!.fields : undefined;
  if (options.column !== undefined) {
    const byName = header?.indexOf(options.column) ?? -1;
    const byNumber = /^\d+$/.test(options.column) ? Number(options.column) - 1 : -1;
    index = byName >= 0 ? byName : byNumber;
    if (index < 0) throw new DataFileError(`${file}: no column '${options.column}'${header ? ` (header: ${header.join(', ')})` : ' (no header row: give a 1-based column number)'}`);
  }
  if (data.length === 0) throw new DataFileError(`${file}: no data rows after the header`);
  const scale = options.scale ?? 1;
  const values: number[] = [];
  let previous: { value: number; line: number } | undefined;
  for (const row of data) {
    const field = row.fields[index];
    if (field === undefined || field === '') throw new DataFileError(`${file}:${row.line}: no value in column ${index + 1}`);
    const value = Number(field) * scale;
    if (!Number.isFinite(value)) throw new DataFileError(`${file}:${row.line}: '${field.slice(0, 40)}' is not a number`);
    if (options.kind === 'timestamps') {
      if (previous !== undefined) {
        if (value < previous.value) throw new DataFileError(`${file}:${row.line}: timestamp ${field} is before the one on line ${previous.line} (timestamps must not decrease)`);
        values.push(value - previous.value);
      }
      previous = { value, line: row.line };
    } else {
      if (value < 0) throw new DataFileError(`${file}:${row.line}: ${field} is negative (gaps and durations are ≥ 0)`);
      values.push(value);
    }
  }
  if (values.length === 0) throw new DataFileError(`${file}: one timestamp gives no gap; need at least two rows`);
  return values;
}
