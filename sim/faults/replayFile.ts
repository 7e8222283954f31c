import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { explicitScenario } from './explicit.ts';
import type { FaultEvent } from './faultLog.ts';

/**
 * A replay file: one failing replication, exactly. The scenario is the one that ran with its random
 * fault times written out (`explicitScenario`), the seed is the replication's, and the schedule is
 * what it drew, so a replay can check it met the same faults at the same instants.
 */
export const ReplayFile = z.object({
  kind: z.literal('qlab-replay'),
  version: z.literal(1),
  seed: z.number().int().nonnegative(),
  failure: z.string().optional(),
  faultSchedule: z.array(z.object({ fault: z.number(), kind: z.string(), atMs: z.number(), downMs: z.number().optional() })),
  scenario: z.record(z.string(), z.unknown()),
});
export type ReplayFile = z.infer<typeof ReplayFile>;

export function replayOf(raw: unknown, seed: number, schedule: FaultEvent[], failure?: string): ReplayFile {
  return { kind: 'qlab-replay', version: 1, seed, ...(failure !== undefined ? { failure } : {}), faultSchedule: schedule, scenario: explicitScenario(raw, schedule, seed) };
}

/** Reads a replay file, or says in one line why it is not one. */
export function readReplay(file: string): { ok: true; replay: ReplayFile } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, error: `${file}: ${code === 'ENOENT' ? 'no such file' : code !== undefined ? 'cannot read it' : 'not JSON'}` };
  }
  const parsed = ReplayFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${file}: not a qlab replay file (${issue.path.join('.') || 'root'}: ${issue.message})` };
  }
  return { ok: true, replay: parsed.data };
}

/** True if a file looks like a replay file rather than a scenario (for commands that take either). */
export function isReplayFile(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { kind?: unknown }).kind === 'qlab-replay';
}

/** The first place two schedules differ, or undefined if they are the same. */
export function scheduleDifference(expected: readonly FaultEvent[], actual: readonly FaultEvent[]): string | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const a = expected[i];
    const b = actual[i];
    if (a === undefined || b === undefined || a.kind !== b.kind || a.fault !== b.fault || a.atMs !== b.atMs || a.downMs !== b.downMs) {
      return `fault event ${i}: expected ${a === undefined ? 'none' : JSON.stringify(a)}, got ${b === undefined ? 'none' : JSON.stringify(b)}`;
    }
  }
  return undefined;
}
