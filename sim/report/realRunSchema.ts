import { z } from 'zod';

const num = z.number().nullable();
const Lateness = z.object({ count: z.number(), meanMs: num, p50Ms: num, p99Ms: num, maxMs: num });

/**
 * What a report of a run outside virtual time adds: which target ran (the engine in wall time, or a
 * RabbitMQ broker), on what machine and disk, and how far the load generator's own timing slipped —
 * so overload of the generator is reported, never hidden.
 */
export const RealRunInfo = z.object({
  mode: z.enum(['real', 'rabbitmq']),
  startedAt: z.string(),
  wallMs: z.number(),
  machine: z.object({
    host: z.string(),
    platform: z.string(),
    cpuModel: z.string(),
    cpus: z.number(),
    memoryMB: z.number(),
    freeMemoryMB: z.number(),
    loadAverage: z.array(z.number()),
    node: z.string(),
  }),
  disk: z.object({ dir: z.string(), fsType: z.string(), blockBytes: z.number(), freeMB: z.number() }).nullable(),
  amqpUrl: z.string().optional(),
  arrivalLateness: Lateness,
  timerOvershoot: Lateness,
  /** Per queue: nominal mean service time from the scenario vs the mean actually realised. */
  serviceTime: z.array(z.object({ queue: z.string(), nominalMeanMs: num, realisedMeanMs: num, count: z.number() })),
  notes: z.array(z.string()),
});
export type RealRunInfo = z.infer<typeof RealRunInfo>;
