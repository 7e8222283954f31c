import type { Observation } from './case.ts';

/**
 * The differences between what RabbitMQ did (`expected`) and what another run did (`actual`), as
 * readable lines: per observation index, both sides in one-line JSON. Empty when they agree.
 */
export function differences(expected: readonly Observation[], actual: readonly Observation[], labels: [string, string] = ['rabbitmq', 'engine']): string[] {
  const width = Math.max(labels[0].length, labels[1].length) + 1;
  const lines: string[] = [];
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i++) {
    if (sameValue(expected[i], actual[i])) continue;
    const want = expected[i] === undefined ? '(nothing)' : JSON.stringify(expected[i]);
    const got = actual[i] === undefined ? '(nothing)' : JSON.stringify(actual[i]);
    lines.push(`#${i} ${`${labels[0]}:`.padEnd(width)} ${want}`, `#${i} ${`${labels[1]}:`.padEnd(width)} ${got}`);
  }
  return lines;
}

/** Deep equality that ignores key order (the recording's key order is not part of the behaviour). */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/** Equal regardless of key order. */
export function sameObservations(expected: readonly Observation[], actual: readonly Observation[]): boolean {
  return sameValue(expected, actual);
}
