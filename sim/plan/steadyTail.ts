import { erlangC } from '../theory/erlang.ts';
import { rhoOf, type Load } from './screen.ts';

/** The steady-state wait at c consumers by Allen–Cunneen: P(wait > w) = C(c, a)·e^(−θw), θ = (cμ − λ)/((ca² + cs²)/2). */
export interface WaitTail {
  meanSec: number;
  exceeding: (waitSec: number) => number;
  quantileSec: (q: number) => number;
}

/** Undefined when ρ ≥ 1 (no steady state). */
export function steadyWaitTail(load: Load, c: number): WaitTail | undefined {
  if (rhoOf(load, c) >= 1) return undefined;
  const factor = Math.max((load.ca2 + load.cs2) / 2, 1e-9);
  const pWait = erlangC(c, load.lambdaPerSec / load.muPerSec);
  const thetaPerSec = (c * load.muPerSec - load.lambdaPerSec) / factor;
  return {
    meanSec: pWait / thetaPerSec,
    exceeding: (w) => pWait * Math.exp(-thetaPerSec * w),
    quantileSec: (q) => (1 - q >= pWait ? 0 : Math.log(pWait / (1 - q)) / thetaPerSec),
  };
}
