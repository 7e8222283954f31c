import { mg1Case, mm1Case, mmcCase, priorityCase, type CoverageCase } from './cases.ts';

/**
 * The fast subset run in CI (`npm test`): M/M/1 on both paths (about 40 s on one core), M/G/1 with
 * scv 4 and the 2-class priority queue on the replications path (each about twice one M/M/1 case;
 * the M/G/1 p99 reference takes seconds, the priority one milliseconds: exact, by transform inversion).
 */
export const FAST_CASES: CoverageCase[] = [mm1Case(0.5, 5000, 5), mm1Case(0.5, 20_000, 1), mg1Case(0.5, 4, 10_000, 5), priorityCase(0.5, 0.3, 10_000, 5)];

/** The full study (`npm run coverage-study`): every model on both paths, at the run lengths named. */
export const FULL_CASES: CoverageCase[] = [
  ...FAST_CASES,
  mm1Case(0.8, 20_000, 5),
  mm1Case(0.8, 100_000, 1),
  mmcCase(5, 0.9, 10_000, 5),
  mmcCase(5, 0.9, 50_000, 1),
  mg1Case(0.8, 4, 50_000, 5),
  mg1Case(0.8, 4, 200_000, 1),
  priorityCase(0.8, 0.3, 20_000, 5),
  priorityCase(0.8, 0.3, 100_000, 1),
  mm1Case(0.95, 100_000, 5),
  mm1Case(0.95, 1_000_000, 1),
];
