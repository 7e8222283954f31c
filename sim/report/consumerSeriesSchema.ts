import { z } from 'zod';

/**
 * Series the simulated consumers record themselves (sim/run/consumerBuffers.ts), spread into the
 * report's `series`: where the backlog sits outside the broker's ready count. Absent in reports of
 * modes whose clients do not record them, and in older reports.
 */
export const consumerSeriesFields = {
  inConsumerBuffers: z
    .array(z.number())
    .optional()
    .describe('Time-average per bucket of messages delivered to a consumer and not yet in service (in its prefetch buffer or on the deliver link), under manual or auto ack.'),
};
