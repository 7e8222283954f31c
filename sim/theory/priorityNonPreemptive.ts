import { priorityLoads, type PriorityInputs } from './priorityClasses.ts';
import { unstable, type ClassResult, type TheoryResult } from './result.ts';

/**
 * M/G/1 with non-preemptive priority classes (Cobham 1954), class 0 the highest: a message in
 * service is never interrupted. With W₀ = Σᵢ λᵢE[Sᵢ²]/2 the mean residual work over all classes,
 *   Wq_k = W₀ / ((1 − σ_{k−1})(1 − σ_k)),  W_k = Wq_k + 1/μ_k.
 * This is what a broker's priority queue gives with prefetch 1: the highest-priority ready message
 * goes next, but never pre-empts one already delivered.
 */
export function priorityNonPreemptive(inputs: PriorityInputs): TheoryResult {
  const loads = priorityLoads(inputs);
  return prioritySystem('priority-np', inputs, loads, (load) => {
    const residualAll = loads.reduce((sum, l) => sum + l.residual, 0);
    const Wq = residualAll / ((1 - load.sigmaAbove) * (1 - load.sigma));
    return { Wq, W: Wq + 1 / load.mu };
  });
}

/** Totals over classes: L and Lq add up; W and Wq are arrival-weighted means. */
export function prioritySystem(
  model: string,
  inputs: PriorityInputs,
  loads: ReturnType<typeof priorityLoads>,
  perClass: (load: ReturnType<typeof priorityLoads>[number]) => { W: number; Wq: number },
): TheoryResult {
  const rho = loads[loads.length - 1]!.sigma;
  const echoed = { lambda: inputs.lambda, mu: inputs.mu, cs2: inputs.cs2 ?? inputs.lambda.map(() => 1) };
  if (rho >= 1) {
    return unstable(model, echoed, rho, { classes: loads.map((l) => ({ lambda: l.lambda, W: null, Wq: null, L: null, Lq: null })) });
  }
  const classes: ClassResult[] = loads.map((load) => {
    const { W, Wq } = perClass(load);
    return { lambda: load.lambda, W, Wq, L: load.lambda * W, Lq: load.lambda * Wq };
  });
  const lambda = loads.reduce((sum, l) => sum + l.lambda, 0);
  const L = classes.reduce((sum, c) => sum + c.L!, 0);
  const Lq = classes.reduce((sum, c) => sum + c.Lq!, 0);
  return { model, inputs: echoed, stable: true, rho, L, Lq, W: L / lambda, Wq: Lq / lambda, P0: 1 - rho, throughput: lambda, classes };
}
