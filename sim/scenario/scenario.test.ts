import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchemaText } from './jsonSchema.ts';
import { loadScenario, parseScenario } from './load.ts';

const dir = new URL('../../scenarios/', import.meta.url).pathname;
const library = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(dir, d.name)).filter((f) => f.endsWith('.json')).map((f) => join(dir, d.name, f))); // data files (traces) sit beside them

describe('scenario files', () => {
  it('scenarios/scenario.schema.json is the schema generated from the zod schema (run the generator if this fails)', () => {
    expect(readFileSync(join(dir, 'scenario.schema.json'), 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('every scenario in the library is valid and says what it teaches or answers', () => {
    expect(library.length).toBeGreaterThanOrEqual(20);
    for (const file of library) {
      const loaded = loadScenario(file);
      expect(loaded.ok, loaded.ok ? file : loaded.errors.join('\n')).toBe(true);
      if (loaded.ok) expect(loaded.scenario.description.length).toBeGreaterThan(20);
    }
  });

  it('errors name the JSON path of the field and what was expected', () => {
    const bad = parseScenario(
      { name: 'x', durationSec: -5, producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 'fast' } }], broker: { queues: [{ name: 'q', maxPriorty: 3 }] } },
      'bad.json',
    );
    expect(bad.ok).toBe(false);
    const errors = bad.ok ? [] : bad.errors;
    expect(errors).toContainEqual(expect.stringMatching(/^bad\.json: \$\.durationSec: .*>0/));
    expect(errors).toContainEqual(expect.stringMatching(/^bad\.json: \$\.producers\[0\]\.arrivals\.ratePerSec: .*expected number/));
    expect(errors).toContainEqual(expect.stringMatching(/^bad\.json: \$\.broker\.queues\[0\]: unknown field 'maxPriorty'/));
  });

  it('cross-field checks name the field too: a consumer on a missing queue, an unusable distribution', () => {
    const bad = parseScenario(
      {
        name: 'x',
        durationSec: 10,
        producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 1 } }],
        broker: { queues: [{ name: 'q' }] },
        consumers: [{ queue: 'nope', serviceTimeMs: { dist: 'weibull', mean: 1, scv: 1e20 } }],
      },
      's.json',
    );
    const errors = bad.ok ? [] : bad.errors;
    expect(errors).toContainEqual(expect.stringMatching(/\$\.consumers\[0\]\.queue: no queue 'nope'/));
    expect(errors).toContainEqual(expect.stringMatching(/\$\.consumers\[0\]\.serviceTimeMs: weibull: scv must be between/));
  });

  it('a missing file and broken JSON are errors with the file name, not exceptions', () => {
    expect(loadScenario('/no/such/file.json')).toEqual({ ok: false, errors: ['/no/such/file.json: no such file'] });
    const broken = loadScenario(join(dir, 'README.md'));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors[0]).toMatch(/README\.md: not valid JSON: Unexpected token/);
  });

  it('a JSON syntax error says the line and column where the parser reports a position', () => {
    const file = join(tmpdir(), `qlab-broken-${process.pid}.json`);
    writeFileSync(file, '{\n  "name": "x",\n  "durationSec": 10 20\n}');
    const result = loadScenario(file);
    rmSync(file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/not valid JSON: Expected ',' or '}' after property value at line 3, column 21/);
  });
});

describe('fuzzing the loader', () => {
  const valid = JSON.parse(readFileSync(join(dir, 'reliability/fsync-always-manual-ack-confirms.json'), 'utf8'));
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(valid, []);
  const weird = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 1e-320, 2 ** 53 + 2, '', 'NaN', null, [], {}, true),
  );
  const mutate = (path: (string | number)[], value: unknown, remove: boolean) => {
    const copy = structuredClone(valid);
    if (path.length === 0) return value;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key];
    if (remove) delete node[path[path.length - 1]!];
    else node[path[path.length - 1]!] = value;
    return copy;
  };

  it('random JSON never throws: always a result, errors always carry a JSON path', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const result = parseScenario(raw, 'f.json');
        if (!result.ok) for (const e of result.errors) expect(e).toMatch(/^f\.json: (\$|.*)/);
      }),
      { seed: 77, numRuns: 500 },
    );
  });

  it('mutated valid scenarios (wrong types, huge and negative numbers, missing fields) never throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), weird, fc.boolean(), (path, value, remove) => {
        const result = parseScenario(mutate(path, value, remove), 'm.json');
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(e).toMatch(/^m\.json: \$/);
        }
      }),
      { seed: 78, numRuns: 1500 },
    );
  });
});
