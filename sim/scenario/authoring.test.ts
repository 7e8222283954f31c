import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLOCK_EXAMPLES } from './fieldExamples.ts';
import { scenarioReadme, unitOf } from './fieldReference.ts';
import { editDistance, nearest } from './issueHints.ts';
import { scenarioBlocks, scenarioJsonSchema } from './jsonSchema.ts';
import { parseScenario } from './load.ts';
import { Scenario } from './schema.ts';

const mm1 = () => JSON.parse(readFileSync('scenarios/teaching/mm1.json', 'utf8'));
const errorsOf = (edit: (s: Record<string, any>) => void): string[] => {
  const s = mm1();
  edit(s);
  const result = parseScenario(s, 'x.json');
  if (result.ok) throw new Error('expected the edited scenario to be refused');
  return result.errors;
};

describe('the field reference in scenarios/README.md', () => {
  it('is the one generated from the schema (run `npm run scenario-docs` if this fails)', () => {
    expect(readFileSync('scenarios/README.md', 'utf8')).toBe(scenarioReadme());
  });

  it('has a section with a field table and an example for every named block', () => {
    const text = scenarioReadme();
    for (const { id } of [{ id: 'Scenario' }, ...scenarioBlocks()]) {
      const section = text.split(`\n### ${id}\n`)[1]?.split('\n### ')[0];
      expect(section, id).toBeDefined();
      expect(section).toContain('| field | type | unit | default | meaning |');
      expect(section).toContain('Example:');
    }
  });

  it('shows units, defaults and required fields', () => {
    const text = scenarioReadme();
    expect(text).toMatch(/\| `durationSec` \| number > 0[^|]*\| s \| \*\*required\*\* \|/);
    expect(text).toMatch(/\| `prefetch` \| integer[^|]*\|  \| `1` \|/);
    expect(text).toMatch(/\| `ratePerSec` \| number > 0 \| 1\/s \|/);
    expect(unitOf('serviceTimeMs')).toBe('ms');
    expect(unitOf('readMBPerSec')).toBe('MB/s');
    expect(unitOf('tearProbability')).toBe('0–1');
  });

  it('every block example is valid for its block, and the scenario example runs as a whole scenario', () => {
    for (const { id, schema } of scenarioBlocks()) {
      const result = schema.safeParse(BLOCK_EXAMPLES[id]);
      expect(result.success, `${id}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
    expect(Scenario.safeParse(BLOCK_EXAMPLES.Scenario).success).toBe(true);
  });
});

describe('the JSON Schema', () => {
  it('names its definitions after the blocks, never zod\'s __schemaN', () => {
    const schema = scenarioJsonSchema() as { $defs: Record<string, unknown> };
    const names = Object.keys(schema.$defs);
    expect(names).toEqual(expect.arrayContaining(['Distribution', 'Producer', 'Consumer', 'Fault', 'Broker', 'Queue']));
    expect(JSON.stringify(schema)).not.toMatch(/__schema/);
  });
});

describe('scenario errors', () => {
  it('a fault written with "type" instead of "kind" names the field to rename and lists the valid kinds', () => {
    const [error, ...rest] = errorsOf((s) => (s.faults = [{ type: 'broker-crash', atSec: [1] }]));
    expect(rest).toEqual([]);
    expect(error).toContain('$.faults[0].kind');
    expect(error).toContain('did you mean "kind": "broker-crash"');
    expect(error).toContain('"consumer-crash"');
    expect(error).toContain('"partition"');
  });

  it('a misspelt discriminator value suggests the nearest valid one', () => {
    const [error] = errorsOf((s) => (s.consumers[0].serviceTimeMs = { dist: 'lognormall', mean: 1, scv: 2 }));
    expect(error).toMatch(/"lognormall" is not a valid "dist" — did you mean "lognormal"\?/);
    expect(error).toContain('"exponential"');
  });

  it('an unknown field suggests the nearest valid name, and the echo "scv: expected number" is dropped', () => {
    expect(errorsOf((s) => (s.consumers[0].serviceTimeMs = { dist: 'lognormal', mean: 1, scb: 2 }))).toEqual([
      "x.json: $.consumers[0].serviceTimeMs: unknown field 'scb' (did you mean 'scv'?)",
    ]);
    expect(errorsOf((s) => (s.duration = 10))).toEqual(["x.json: $: unknown field 'duration' (did you mean 'durationSec'?)"]);
  });

  it('an unknown field with no near name lists the valid fields instead', () => {
    const [error] = errorsOf((s) => (s.consumers[0].zzzzzzzz = 1));
    expect(error).toMatch(/unknown field 'zzzzzzzz'; valid fields: .*prefetch/);
  });

  it('nearest ignores case and refuses far-fetched matches', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('ScV', ['mean', 'scv'])).toBe('scv');
    expect(nearest('banana', ['mean', 'scv'])).toBeUndefined();
  });
});
