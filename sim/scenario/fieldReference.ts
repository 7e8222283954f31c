import { BLOCK_EXAMPLES, ENGINE_FIELD_TEXTS } from './fieldExamples.ts';
import { scenarioJsonSchema } from './jsonSchema.ts';

/**
 * scenarios/README.md: how to write a scenario, and a field reference generated from the JSON
 * Schema (itself generated from the zod schema and its `.describe()` texts), one table per block
 * with type, unit, default and meaning, and an example per block. A test keeps the file in sync.
 */
type Json = Record<string, unknown> & { properties?: Record<string, Json>; required?: string[]; oneOf?: Json[]; anyOf?: Json[] };

const BLOCK_ORDER = ['Scenario', 'Broker', 'Durability', 'Disk', 'Exchange', 'Queue', 'RetryPolicy', 'Binding', 'Producer', 'Arrivals', 'ConfirmWindow', 'Consumer', 'Network', 'Fault', 'Output', 'Precision', 'Distribution'];

const UNITS: [RegExp, string][] = [
  [/MBPerSec$/, 'MB/s'],
  [/PerSec$/, '1/s'],
  [/Ms$/, 'ms'],
  [/Sec$/, 's'],
  [/Bytes$/, 'bytes'],
  [/[Pp]robability$/, '0–1'],
];

export function unitOf(field: string): string {
  return UNITS.find(([pattern]) => pattern.test(field))?.[1] ?? '';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const anchor = (id: string) => id.toLowerCase();

function range(s: Json): string {
  const lo = s.minimum !== undefined ? `≥ ${s.minimum}` : s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : '';
  const huge = typeof s.maximum === 'number' && s.maximum >= Number.MAX_SAFE_INTEGER;
  const hi = s.maximum !== undefined && !huge ? `≤ ${+(s.maximum as number).toPrecision(6)}` : s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : '';
  return [lo, hi].filter(Boolean).join(', ');
}

export function typeOf(s: Json): string {
  if (typeof s.$ref === 'string') {
    const id = s.$ref.split('/').pop()!;
    return `[${id}](#${anchor(id)})`;
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives !== undefined) return alternatives.map(typeOf).join(' or ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  if (s.type === 'array') {
    const min = typeof s.minItems === 'number' && s.minItems > 0 ? ` (at least ${s.minItems})` : '';
    return `array of ${typeOf(s.items as Json)}${min}`;
  }
  if (s.type === 'object' && s.properties !== undefined) return `{ ${Object.entries(s.properties).map(([k, v]) => `${k}: ${typeOf(v)}`).join(', ')} }`;
  if (s.type === 'object') return `map of name → ${typeOf((s.additionalProperties as Json | undefined) ?? {})}`;
  const bounds = range(s);
  return `${String(s.type ?? 'any')}${bounds ? ` ${bounds}` : ''}`;
}

function fieldTable(block: string, s: Json): string[] {
  const required = new Set(s.required ?? []);
  const rows = Object.entries(s.properties ?? {}).map(([field, p]) => {
    const text = (p.description as string | undefined) ?? ENGINE_FIELD_TEXTS[`${block}.${field}`] ?? '';
    const dflt = p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : required.has(field) ? '**required**' : 'optional';
    return `| \`${field}\` | ${cell(typeOf(p))} | ${unitOf(field)} | ${cell(dflt)} | ${cell(text)} |`;
  });
  return ['| field | type | unit | default | meaning |', '|---|---|---|---|---|', ...rows];
}

function blockSection(id: string, s: Json): string[] {
  const out = [`### ${id}`, ''];
  if (typeof s.description === 'string') out.push(s.description, '');
  const variants = s.oneOf;
  if (variants !== undefined) {
    const discriminator = Object.keys(variants[0]?.properties ?? {})[0]!;
    out.push(`One of the following, chosen by \`${discriminator}\`.`, '');
    for (const v of variants) {
      const which = JSON.stringify((v.properties?.[discriminator] as Json | undefined)?.const);
      out.push(`#### \`"${discriminator}": ${which}\``, '');
      if (typeof v.description === 'string') out.push(v.description, '');
      out.push(...fieldTable(id, v), '');
    }
  } else {
    out.push(...fieldTable(id, s), '');
  }
  out.push('Example:', '', '```json', compactJson(BLOCK_EXAMPLES[id]), '```', '');
  return out;
}

/** JSON indented only where a line would be too long to read, so examples stay short. */
export function compactJson(value: unknown, indent = ''): string {
  const flat = JSON.stringify(value);
  if (flat.length + indent.length <= 96 || value === null || typeof value !== 'object') return flat;
  const inner = `${indent}  `;
  const parts = Array.isArray(value)
    ? value.map((v) => `${inner}${compactJson(v, inner)}`)
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${parts.join(',\n')}\n${indent}${close}`;
}

const INTRO = `# scenarios

A scenario is one question about a message-queue design, as a JSON file: the workload (producers),
the broker topology, the consumers, the network, injected faults and how to run it (duration,
warm-up, replications, seed). \`qlab run <file>\` simulates one; \`qlab validate <file>\` checks it.

## Writing one

- Start from \`qlab new\` (e.g. \`qlab new --rate 50 --service-ms 15 --consumers 1 -o my.json\`): it
  writes a valid, ready-to-run scenario whose \`description\` explains each choice, and prints the
  theory it should match.
- Keep \`"$schema": "../scenario.schema.json"\` (path relative to the file) at the top: editors then
  complete field names and flag mistakes as you type.
- Units are in field names: \`Ms\` milliseconds, \`Sec\` seconds, \`PerSec\` per second, \`Bytes\`.
- Every distribution is written \`{ "dist": …, "mean": …, "scv": … }\` (scv = variance ÷ mean²;
  1 for exponential, 0 for deterministic), so a shape can be swapped keeping the moments.
- Objects are strict: a misspelt field is an error that suggests the nearest valid name
  (\`unknown field 'scb' (did you mean 'scv'?)\`), and a wrong or missing \`kind\`/\`dist\`/\`process\`
  lists the valid values.

Folders: \`teaching/\` (textbook queues against theory), \`capacity/\` (planning questions),
\`reliability/\` (fsync × ack × confirms under crashes), \`regression/\` (fast CI gates).

## Field reference

Generated from the schema (\`sim/scenario/fieldReference.ts\`; regenerate with
\`npm run scenario-docs\`, a test fails when it is stale). "optional" means the field may be left
out and has no default: leaving it out switches the feature off or uses the rule in its meaning.
`;

export function scenarioReadme(): string {
  const schema = scenarioJsonSchema() as Json & { $defs: Record<string, Json> };
  const blocks: Record<string, Json> = { Scenario: { ...schema, description: undefined }, ...schema.$defs };
  const missing = Object.keys(blocks).filter((id) => !BLOCK_ORDER.includes(id));
  const body = [...BLOCK_ORDER, ...missing].filter((id) => blocks[id] !== undefined).flatMap((id) => blockSection(id, blocks[id]!));
  return `${INTRO}\n${body.join('\n')}`;
}
