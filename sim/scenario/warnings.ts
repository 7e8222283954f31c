import { Broker, truncateQuoted } from '../../engine/index.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import { declareTopology } from '../run/topology.ts';
import { jsonPath } from './load.ts';
import type { Scenario } from './schema.ts';

export interface ScenarioWarning {
  path: (string | number)[];
  message: string;
}

/**
 * What a valid scenario most likely does not mean as written: a routing key that reaches no queue
 * (its messages would vanish), faults that cannot do what they seem to (crashes of a broker that
 * keeps nothing, disk faults without a disk, times after the run), defaults that decide the answer
 * silently. Warnings, not errors: the scenario may be deliberate (a lesson on what a crash wipes).
 */
export function scenarioWarnings(scenario: Scenario, raw: unknown): ScenarioWarning[] {
  return [...routingWarnings(scenario), ...faultWarnings(scenario, raw)];
}

/** `warning: file: $.path: message` lines, for stderr. */
export function formatWarnings(label: string, warnings: ScenarioWarning[]): string {
  return warnings.map((w) => `${truncateQuoted(`warning: ${label}: ${jsonPath(w.path)}: ${w.message}`)}\n`).join('');
}

/** Each producer key routed through a scratch broker with the declared topology. */
function routingWarnings(scenario: Scenario): ScenarioWarning[] {
  const broker = new Broker({ clock: new EventLoop(), random: randomStreams(0).stream('probe') });
  try {
    declareTopology(broker, scenario.broker);
  } catch {
    return []; // a topology the engine refuses fails the run with its own error
  }
  const warnings: ScenarioWarning[] = [];
  scenario.producers.forEach((p, i) => {
    const keys = p.routingKeys?.map((k, j) => ({ key: k.key, path: ['producers', i, 'routingKeys', j, 'key'] })) ?? [{ key: p.routingKey!, path: ['producers', i, 'routingKey'] }];
    for (const { key, path } of keys) {
      const result = broker.publish(p.exchange, key, new Uint8Array(0), p.headers !== undefined ? { headers: p.headers } : {});
      if (result.queues.length + result.rejected.length > 0) continue;
      const via = p.exchange === '' ? `the default exchange: no queue is named '${key}'` : `exchange '${p.exchange}': no binding matches`;
      warnings.push({ path, message: `routing key '${key}' reaches no queue through ${via}; these messages will be counted as unroutable` });
    }
  });
  broker.close();
  return warnings;
}

function faultWarnings(scenario: Scenario, raw: unknown): ScenarioWarning[] {
  const warnings: ScenarioWarning[] = [];
  const durable = scenario.broker.durability !== undefined;
  const instantNetwork = Object.values(scenario.network).every((d) => d === undefined);
  const rawFaults = (raw as { faults?: unknown[] } | null)?.faults;
  const after = (sec: number) => sec >= scenario.durationSec;
  scenario.faults.forEach((f, i) => {
    const at = (path: string | number, message: string) => warnings.push({ path: ['faults', i, ...(path === '' ? [] : [path])], message });
    switch (f.kind) {
      case 'broker-crash': {
        const given = rawFaults?.[i] as { mttrSec?: unknown } | undefined;
        if (given !== undefined && given.mttrSec === undefined) at('mttrSec', `not given: the broker restarts after ${f.mttrSec} s on average (the default); say so explicitly`);
        if (!durable) at('', 'the broker is in memory (no broker.durability): each crash wipes every queue and message');
        else {
          scenario.broker.queues.forEach((q) => {
            if (!q.durable) at('', `queue '${q.name}' is not durable: each crash wipes it and every message in it`);
          });
          scenario.producers.forEach((p, j) => {
            if (!p.persistent) at('', `producer ${p.name ?? j} publishes non-persistent messages: each crash loses those the broker holds`);
          });
        }
        if (f.atSec?.some(after)) at('atSec', `crash times at or after durationSec (${scenario.durationSec} s) never fire`);
        break;
      }
      case 'consumer-crash':
        if (f.atSec.some(after)) at('atSec', `crash times at or after durationSec (${scenario.durationSec} s) never fire`);
        break;
      case 'disk-slow':
      case 'disk-stall':
        if (!durable) at('kind', `${f.kind} has no effect: the broker has no disk (no broker.durability)`);
        else if (scenario.broker.durability?.store === 'postgres') at('kind', `${f.kind} has no effect: the postgres store writes no log (the database's latency is postgres.latency)`);
        if (after(f.kind === 'disk-stall' ? f.atSec : f.fromSec)) at('', `starts at or after durationSec (${scenario.durationSec} s): never fires`);
        break;
      case 'database-crash':
        if (scenario.broker.durability?.store !== 'postgres') at('kind', 'has no effect: the broker has no database (broker.durability.store is not "postgres")');
        if (f.atSec.some(after)) at('atSec', `crash times at or after durationSec (${scenario.durationSec} s) never fire`);
        break;
      case 'latency-spike':
        if (instantNetwork) at('factor', 'has no effect: the network has no latency to multiply (set network.*LatencyMs)');
        if (after(f.fromSec)) at('fromSec', `starts at or after durationSec (${scenario.durationSec} s): never fires`);
        break;
    }
  });
  return warnings;
}
