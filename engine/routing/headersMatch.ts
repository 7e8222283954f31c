import type { HeaderValue } from '../types.ts';

export type XMatch = 'all' | 'any' | 'all-with-x' | 'any-with-x';

/**
 * Headers-exchange matching as RabbitMQ does it: `x-match` in the binding arguments is `all`
 * (the default: every other argument must be present in the headers with an equal value) or `any`
 * (at least one must). Arguments starting with "x-" are ignored unless x-match is `all-with-x` or
 * `any-with-x`. An `all` binding with no arguments matches every message; an `any` one matches none.
 */
export function headersMatch(bindingArgs: Record<string, HeaderValue>, headers: Record<string, HeaderValue> | undefined): boolean {
  const mode = (bindingArgs['x-match'] ?? 'all') as XMatch;
  const includeX = mode === 'all-with-x' || mode === 'any-with-x';
  const any = mode === 'any' || mode === 'any-with-x';
  for (const key in bindingArgs) {
    if (key === 'x-match' || (!includeX && key.startsWith('x-'))) continue;
    const present = headers !== undefined && Object.prototype.hasOwnProperty.call(headers, key) && headers[key] === bindingArgs[key];
    if (any && present) return true;
    if (!any && !present) return false;
  }
  return !any;
}

export function isXMatch(value: unknown): value is XMatch {
  return value === 'all' || value === 'any' || value === 'all-with-x' || value === 'any-with-x';
}
