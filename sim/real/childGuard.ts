import type { Scenario } from '../scenario/schema.ts';
import { rabbitRefusals } from '../rabbitmqMode/rabbitTopology.ts';

/** True when real mode must run the broker in a child process: the scenario crashes the broker. */
export function needsBrokerChild(scenario: Scenario): boolean {
  return scenario.faults.some((f) => f.kind === 'broker-crash');
}

/**
 * What the child-process broker run cannot do, each named with why. Its clients are plain ones over
 * the frame protocol (like RabbitMQ mode's over AMQP), so the same limits apply — except that the
 * engine itself does retry, dedup and failing consumers — and the only fault is the broker crash.
 */
export function childBrokerRefusals(scenario: Scenario): string[] {
  const engineHas = /^broker\.queues\[\d+\]\.(retry|dedupWindowMs)|^consumers\[\d+\]\.failureProbability|^producers\[\d+\]\.messageTtlMs|^faults /;
  const refusals = rabbitRefusals(scenario)
    .filter((r) => !engineHas.test(r))
    .map((r) => r.replace(/RabbitMQ mode/g, 'real mode with a broker child').replace(/on RabbitMQ the network is the real one/, 'the broker child is on a real local socket'));
  scenario.producers.forEach((p, i) => {
    if (p.patienceMs !== undefined) refusals.push(`producers[${i}].patienceMs: patience is not built for the broker child's clients`);
  });
  scenario.consumers.forEach((c, i) => {
    if (c.forward !== undefined) refusals.push(`consumers[${i}].forward: pipelines are not built for the broker child's clients`);
    if (c.startAtSec !== undefined || c.schedule !== undefined || c.autoscale !== undefined) refusals.push(`consumers[${i}]: fleets (startAtSec, schedule, autoscale) are not built for the broker child's clients`);
  });
  for (const kind of new Set(scenario.faults.map((f) => f.kind))) {
    if (kind !== 'broker-crash') refusals.push(`faults '${kind}': with a broker child only 'broker-crash' is injected (SIGKILL and restart from its log)`);
  }
  return refusals;
}
