import { z } from 'zod';

/** Fields of a trace read from a data file (arrivals): the loader replaces them with the values. */
export const DATA_FILE_FIELDS = {
  file: z.string().min(1).optional().describe('CSV file of recorded gaps or timestamps (relative to the scenario file), read when the scenario is loaded: see `qlab fit --help` for the format.'),
  column: z.string().optional().describe('Column name or 1-based number (default: the first).'),
  timestamps: z.boolean().optional().describe('The column holds arrival timestamps (must not decrease), turned into gaps; default: gaps.'),
  unit: z.enum(['ms', 's']).optional().describe('Unit of the values in the file (default ms).'),
};
