import { dirname, resolve } from 'node:path';
import { DataFileError, readColumn } from '../fit/readColumn.ts';

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads the data files a scenario names — `arrivals: { process: "trace", file }` and
 * `serviceTimeMs: { dist: "trace", file }` — relative to the scenario file, and returns a copy of
 * the scenario with the values inlined (so runs, workers and reports need no file system), or
 * errors naming the field and the file's line.
 */
export function inlineDataFiles(raw: unknown, scenarioFile: string): { raw: unknown } | { errors: string[] } {
  if (!isObject(raw)) return { raw };
  const copy = structuredClone(raw);
  const errors: string[] = [];
  const base = dirname(scenarioFile);
  const read = (spec: Json, path: string, kind: 'gaps' | 'timestamps'): number[] | undefined => {
    try {
      const column = typeof spec.column === 'string' ? { column: spec.column } : {};
      return readColumn(resolve(base, String(spec.file)), { ...column, kind, scale: spec.unit === 's' ? 1000 : 1 });
    } catch (error) {
      if (!(error instanceof DataFileError)) throw error;
      errors.push(`${scenarioFile}: ${path}.file: ${error.message}`);
      return undefined;
    }
  };
  const producers = Array.isArray(copy.producers) ? copy.producers : [];
  producers.forEach((p, i) => {
    const arrivals = isObject(p) ? p.arrivals : undefined;
    if (!isObject(arrivals) || arrivals.process !== 'trace' || typeof arrivals.file !== 'string') return;
    const values = read(arrivals, `$.producers[${i}].arrivals`, arrivals.timestamps === true ? 'timestamps' : 'gaps');
    if (values === undefined) return;
    for (const key of ['file', 'column', 'timestamps', 'unit']) delete arrivals[key];
    arrivals.interArrivalMs = values;
  });
  const consumers = Array.isArray(copy.consumers) ? copy.consumers : [];
  consumers.forEach((c, i) => {
    const service = isObject(c) ? c.serviceTimeMs : undefined;
    if (!isObject(service) || service.dist !== 'trace' || typeof service.file !== 'string') return;
    const values = read(service, `$.consumers[${i}].serviceTimeMs`, 'gaps');
    if (values === undefined) return;
    for (const key of ['file', 'column', 'unit']) delete service[key];
    service.values = values;
  });
  return errors.length > 0 ? { errors } : { raw: copy };
}
