import type { ReplicationTask } from '../parallel/task.ts';
import type { Scenario } from '../scenario/schema.ts';
import { expectedArrivals } from '../workload/expectedArrivals.ts';
import { num } from './format.ts';
import { UsageError } from './usageError.ts';

/** Refuse work above this many simulated messages unless told otherwise (about 20 min on one core). */
export const DEFAULT_MAX_MESSAGES = 1e8;

export interface Budget {
  maxMessages: number;
  force: boolean;
}

export interface WorkEstimate {
  messages: number;
  events: number;
}

/**
 * The work one replication will do, before doing it: expected messages = Σ count × the producer's
 * rate integrated over durationSec (a schedule's segments as they fall in the run), and events ≈ messages × events per message (2 for an in-memory broker with an instant
 * network, more for disk I/O and each network hop). A rough figure, for refusing absurd work early.
 */
export function estimateReplication(scenario: Scenario): WorkEstimate {
  let messages = 0;
  for (const p of scenario.producers) messages += p.count * expectedArrivals(p.arrivals, scenario.durationSec);
  const network = Object.values(scenario.network).filter((d) => d !== undefined).length;
  const eventsPerMessage = 2 + (scenario.broker.durability !== undefined ? 4 : 0) + network;
  return { messages, events: messages * eventsPerMessage };
}

export function estimateTasks(tasks: ReplicationTask[]): WorkEstimate {
  let messages = 0;
  let events = 0;
  for (const t of tasks) {
    const e = estimateReplication(t.scenario);
    messages += e.messages;
    events += e.events;
  }
  return { messages, events };
}

const big = (n: number) => (!Number.isFinite(n) ? 'unboundedly many' : n >= 1e9 ? n.toExponential(1) : num(n));

/** Refuses (a usage error, exit 2) work whose estimate is over the budget, saying how much and what to change. */
export function checkBudget(label: string, tasks: ReplicationTask[], budget: Budget): WorkEstimate {
  const estimate = estimateTasks(tasks);
  if (budget.force || estimate.messages <= budget.maxMessages) return estimate;
  throw new UsageError(
    `${label}: refusing to simulate about ${big(estimate.messages)} messages (≈ ${big(estimate.events)} events, ${tasks.length} replication${tasks.length === 1 ? '' : 's'}): ` +
      `over the budget of ${big(budget.maxMessages)} messages. Expected messages = Σ producer count × rate × durationSec × replications; ` +
      `lower one of them, or raise the budget with --max-messages N (or --force).`,
  );
}
