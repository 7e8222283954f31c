/**
 * The engine's only source of randomness (retry jitter, tie-breaking): injected so the simulator can
 * give it a seeded stream of its own and replay a run bit for bit.
 */
export interface Random {
  /** A uniform draw in [0, 1). */
  next(): number;
}
