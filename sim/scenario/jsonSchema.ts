import { z } from 'zod';
import { Scenario } from './schema.ts';

/**
 * The JSON Schema of a scenario file, generated from the zod schema (the input side: fields with
 * defaults are optional). `scenarios/scenario.schema.json` is this, kept in sync by a test, so a
 * scenario's `"$schema"` line gives editors completion and checking.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  // Repeated parts (every distribution) become $defs instead of being written out each time.
  const schema = z.toJSONSchema(Scenario, { io: 'input', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'queuelab scenario',
    description: 'A question about a message-queue design, as data: workload, broker topology, consumers, network, faults and the run.',
  };
}

export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
