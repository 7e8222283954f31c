import { truncateQuoted } from '../../engine/index.ts';

/**
 * A broken invariant in a simulated run: the engine or the simulator did something that must never
 * happen. The message carries the seed and the virtual time, so the run can be replayed exactly
 * (`qlab run <scenario> --seed <seed> --replications 1`) and stopped just before.
 */
export class SimulationInvariantError extends Error {
  override name = 'SimulationInvariantError';

  constructor(
    readonly invariant: string,
    readonly seed: number,
    readonly atMs: number,
  ) {
    super(`invariant broken at virtual time ${atMs.toFixed(3)} ms (seed ${seed}): ${truncateQuoted(invariant)}`);
  }
}
