import { z } from 'zod';
import { DistributionSpec } from '../dist/spec.ts';
import { ConfirmWindowSpec } from './confirmWindowSpec.ts';
import { ArrivalSpec, BindingSpec, BrokerSpec, ConsumerSpec, ExchangeSpec, FaultSpec, NetworkSpec, ProducerSpec, QueueSpec, Scenario } from './schema.ts';

/** Strips optional/default wrappers to reach the schema a block is made of. */
function core(schema: z.ZodType): z.ZodType {
  let s = schema as z.ZodType & { _zod: { def: { type: string; innerType?: z.ZodType } } };
  while ((s._zod.def.type === 'optional' || s._zod.def.type === 'default') && s._zod.def.innerType !== undefined) s = s._zod.def.innerType as typeof s;
  return s;
}

/**
 * The blocks of a scenario file with the names they go by in `$defs`, the field reference
 * (scenarios/README.md) and error messages. Every block that appears more than once, or that a
 * reader looks up by itself, has one — instead of zod's generated `__schema66`.
 */
export function scenarioBlocks(): { id: string; schema: z.ZodType }[] {
  const broker = BrokerSpec.shape;
  const output = (Scenario as unknown as z.ZodObject).shape;
  const queueRetry = core((QueueSpec.shape as Record<string, z.ZodType>).retry!);
  return [
    { id: 'Broker', schema: BrokerSpec },
    { id: 'Durability', schema: core(broker.durability) },
    { id: 'Disk', schema: core(broker.disk) },
    { id: 'Exchange', schema: ExchangeSpec },
    { id: 'Queue', schema: QueueSpec },
    { id: 'RetryPolicy', schema: queueRetry },
    { id: 'Binding', schema: BindingSpec },
    { id: 'Producer', schema: ProducerSpec },
    { id: 'Arrivals', schema: ArrivalSpec },
    { id: 'ConfirmWindow', schema: ConfirmWindowSpec },
    { id: 'Consumer', schema: ConsumerSpec },
    { id: 'Network', schema: NetworkSpec },
    { id: 'Fault', schema: FaultSpec },
    { id: 'Output', schema: core(output.output!) },
    { id: 'Precision', schema: core(output.precision!) },
    { id: 'Distribution', schema: DistributionSpec },
  ];
}

/**
 * The JSON Schema of a scenario file, generated from the zod schema (the input side: fields with
 * defaults are optional). `scenarios/scenario.schema.json` is this, kept in sync by a test, so a
 * scenario's `"$schema"` line gives editors completion and checking.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  // Named blocks become $defs (by the names above); everything else is written where it is used.
  // The ids go in zod's global registry, next to the `.describe()` texts the schema keeps there.
  for (const block of scenarioBlocks()) {
    const meta = z.globalRegistry.get(block.schema);
    if (meta?.id !== block.id) z.globalRegistry.add(block.schema, { ...meta, id: block.id });
  }
  const schema = z.toJSONSchema(Scenario, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'queuelab scenario',
    description: 'A question about a message-queue design, as data: workload, broker topology, consumers, network, faults and the run.',
  };
}

export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
