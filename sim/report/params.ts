/**
 * Scenario parameters addressed by path, as sweeps and plans name them: `consumers[0].count`,
 * `producers[0].arrivals.ratePerSec`, `broker.durability.fsync`.
 */
export type ParamValue = number | string | boolean;

export function parsePath(path: string): (string | number)[] {
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[\d+\])*$/.test(path)) {
    throw new RangeError(`'${path}' is not a field path (like consumers[0].count or broker.durability.fsync)`);
  }
  return [...path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

/** A copy of `raw` with the field at `path` set to `value` (missing objects on the way are created). */
export function setPath(raw: unknown, path: string, value: ParamValue): unknown {
  const copy = structuredClone(raw) as Record<string | number, unknown>;
  const keys = parsePath(path);
  let node: Record<string | number, unknown> = copy;
  keys.slice(0, -1).forEach((key, i) => {
    const next = node[key];
    if (next === undefined || next === null) node[key] = typeof keys[i + 1] === 'number' ? [] : {};
    else if (typeof next !== 'object') throw new RangeError(`cannot set ${path}: ${keys.slice(0, i + 1).join('.')} is not an object`);
    node = node[key] as Record<string | number, unknown>;
  });
  node[keys[keys.length - 1]!] = value;
  return copy;
}

/** `v1,v2,…` or `from:to:step` (inclusive); numbers and true/false are typed, the rest are strings. */
export function parseValues(text: string): ParamValue[] {
  const range = /^(-?[\d.]+(?:e-?\d+)?):(-?[\d.]+(?:e-?\d+)?):([\d.]+(?:e-?\d+)?)$/.exec(text);
  if (range !== null) {
    const [from, to, step] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (!(step > 0) || !(to >= from)) throw new RangeError(`'${text}' must be from:to:step with to ≥ from and step > 0`);
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > 10_000) throw new RangeError(`'${text}' makes ${count} values; at most 10,000`);
    return Array.from({ length: count }, (_, i) => Number((from + i * step).toPrecision(12)));
  }
  const values = text.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) throw new RangeError(`'${text}' has an empty value`);
  return values.map((v) => (v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v));
}

/** Every combination of the parameters' values, first parameter slowest. */
export function grid(params: { path: string; values: ParamValue[] }[]): Record<string, ParamValue>[] {
  return params.reduce<Record<string, ParamValue>[]>(
    (points, p) => points.flatMap((point) => p.values.map((v) => ({ ...point, [p.path]: v }))),
    [{}],
  );
}
