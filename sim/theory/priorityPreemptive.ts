import { priorityLoads, type PriorityInputs } from './priorityClasses.ts';
import { prioritySystem } from './priorityNonPreemptive.ts';
import type { TheoryResult } from './result.ts';

/**
 * M/G/1 with preemptive-resume priority classes, class 0 the highest: a higher-priority arrival
 * interrupts service, which later resumes where it stopped. Lower classes are invisible to class k:
 *   W_k = (1/μ_k)/(1 − σ_{k−1}) + R_k / ((1 − σ_{k−1})(1 − σ_k)),  R_k = Σ_{i≤k} λᵢE[Sᵢ²]/2,
 * and Wq_k = W_k − 1/μ_k counts every delay, interruptions included.
 */
export function priorityPreemptive(inputs: PriorityInputs): TheoryResult {
  const loads = priorityLoads(inputs);
  return prioritySystem('priority-pr', inputs, loads, (load) => {
    const k = loads.indexOf(load);
    const residualUpTo = loads.slice(0, k + 1).reduce((sum, l) => sum + l.residual, 0);
    const W = 1 / load.mu / (1 - load.sigmaAbove) + residualUpTo / ((1 - load.sigmaAbove) * (1 - load.sigma));
    return { W, Wq: W - 1 / load.mu };
  });
}
