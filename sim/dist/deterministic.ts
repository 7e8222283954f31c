import { checkParameter, type Distribution } from './distribution.ts';

/** Always `value`: the D in M/D/1. */
export function deterministic(value: number): Distribution {
  checkParameter('deterministic', 'mean', value, 0, true);
  return { kind: 'deterministic', mean: value, scv: 0, sample: () => value };
}
