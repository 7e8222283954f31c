import { Exchange } from '../../../engine/routing/exchange.ts';
import type { Scenario } from '../../../sim/scenario/schema.ts';
import type { StageSummary } from '../../../sim/run/modelSummary.ts';
import { hasFleet } from '../../../sim/workload/fleet.ts';

export type NodeKind = 'producers' | 'exchange' | 'queue' | 'consumers';

export interface NetNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** Lines under the label: rates, queue length, utilisation, what leaves. */
  detail: string[];
  /** Stage utilisation (consumer groups), for the bar. */
  utilisation?: number;
  column: number;
  row: number;
}

export interface NetEdge {
  from: string;
  to: string;
  /** Short: a share ("75 %"), a rate ("4/s"), a batch ("×3"); empty for none. */
  label: string;
  /** Tooltip: exchange, routing key, probability. */
  title: string;
  /** Goes to an earlier or the same column (feedback): drawn under the nodes. */
  back: boolean;
}

export interface Network {
  nodes: NetNode[];
  edges: NetEdge[];
  columns: number;
  /** Things the picture leaves out, said in words (alternate exchanges, dead-letter hops, unroutable keys). */
  notes: string[];
}

const BUILT_IN: Record<string, 'direct' | 'fanout' | 'topic' | 'headers'> = { 'amq.direct': 'direct', 'amq.fanout': 'fanout', 'amq.topic': 'topic', 'amq.headers': 'headers', 'amq.match': 'headers' };
const percent = (share: number) => `${Number((share * 100).toPrecision(3))} %`;
const num = (v: number) => Number(v.toPrecision(3)).toLocaleString('en-US');

/** Where (exchange, key, headers) routes in the scenario's declared topology: the same Exchange class the engine routes with. */
function router(scenario: Scenario): (exchange: string, key: string, headers?: Record<string, unknown>) => string[] {
  const exchanges = new Map<string, Exchange>();
  for (const [name, type] of Object.entries(BUILT_IN)) exchanges.set(name, new Exchange(name, type, true, undefined));
  for (const e of scenario.broker.exchanges) exchanges.set(e.name, new Exchange(e.name, e.type, e.durable, undefined));
  for (const b of scenario.broker.bindings) exchanges.get(b.exchange)?.bind(b.queue, b.bindingKey, b.args);
  const queues = new Set(scenario.broker.queues.map((q) => q.name));
  return (exchange, key, headers) => {
    if (exchange === '') return queues.has(key) ? [key] : [];
    const out = new Set<string>();
    exchanges.get(exchange)?.route(key, headers as never, out);
    return [...out];
  };
}

/**
 * The scenario's message flow as a graph — producers → exchange → queues → consumer groups →
 * (forward) exchange → queues … — with the report's per-stage metrics on the nodes and the routing
 * shares (producer key weights, forward probabilities) on the edges. Each publisher gets its own
 * exchange node, so the picture reads left to right; a route back to an earlier queue is a back edge.
 * Columns come from a breadth-first walk from the producers.
 */
export function networkOf(scenario: Scenario, stages: readonly StageSummary[]): Network {
  const route = router(scenario);
  const stageOf = new Map(stages.map((s) => [s.queue, s]));
  const nodes = new Map<string, NetNode>();
  const edges: NetEdge[] = [];
  const notes: string[] = [];
  const add = (node: Omit<NetNode, 'row'>) => {
    if (!nodes.has(node.id)) nodes.set(node.id, { ...node, row: 0 });
    return nodes.get(node.id)!;
  };
  const exchangeName = (name: string) => (name === '' ? '(default)' : name);
  const queue: string[] = []; // breadth-first work list of queue names
  const reach = (from: NetNode, exchange: string, targets: { key: string; share: number; headers?: Record<string, unknown> }[], batch: number) => {
    const hop = add({ id: `ex:${from.id}`, kind: 'exchange', label: exchangeName(exchange), detail: [], column: from.column + 1 });
    edges.push({ from: from.id, to: hop.id, label: batch > 1 ? `×${batch}` : '', title: `${from.label} publishes to exchange ${exchangeName(exchange)}${batch > 1 ? `, ${batch} messages each time` : ''}`, back: false });
    for (const t of targets) {
      const reached = route(exchange, t.key, t.headers);
      if (reached.length === 0) notes.push(`${from.label}: key '${t.key}' on exchange ${exchangeName(exchange)} reaches no queue (unroutable).`);
      for (const q of reached) {
        const existing = nodes.get(`q:${q}`);
        const node = existing ?? add({ id: `q:${q}`, kind: 'queue', label: q, detail: queueDetail(stageOf.get(q)), column: hop.column + 1 });
        if (existing === undefined) queue.push(q);
        edges.push({ from: hop.id, to: node.id, label: t.share < 1 - 1e-9 ? percent(t.share) : '', title: `key '${t.key}' → queue ${q}: ${percent(t.share)}`, back: node.column <= hop.column });
      }
    }
  };
  scenario.producers.forEach((p, i) => {
    const rate = 'ratePerSec' in p.arrivals && typeof p.arrivals.ratePerSec === 'number' ? `${num(p.arrivals.ratePerSec)}/s` : '';
    const detail = `${p.count > 1 ? `${p.count} × ` : ''}${rate} ${p.arrivals.process}`.trim();
    const source = add({ id: `p:${i}`, kind: 'producers', label: scenario.producers.length > 1 ? `producers[${i}]` : 'producers', detail: [detail], column: 0 });
    const keys = p.routingKeys ?? [{ key: p.routingKey!, weight: 1 }];
    const total = keys.reduce((s, k) => s + k.weight, 0);
    reach(source, p.exchange, keys.map((k) => ({ key: k.key, share: k.weight / total, headers: p.headers })), 1);
  });
  for (let k = 0; k < queue.length; k++) {
    const q = nodes.get(`q:${queue[k]}`)!;
    scenario.consumers.forEach((c, i) => {
      if (c.queue !== queue[k]) return;
      const stage = stageOf.get(c.queue);
      const forwarded = c.forward?.routes.reduce((s, r) => s + r.probability, 0) ?? 0;
      // A fleet's count changes over time, and the stage's utilisation is per its nominal count: no ρ for it here.
      const fleet = hasFleet(c);
      const rho = fleet ? null : stage?.utilization.mean;
      const detail = [fleet ? 'ρ — (count varies)' : rho == null ? 'ρ —' : `ρ ${percent(rho)}`, forwarded > 1 - 1e-9 ? 'all forwarded' : `${percent(1 - forwarded)} done`];
      const count = c.autoscale !== undefined ? `${c.autoscale.min}–${c.autoscale.max}` : fleet ? 'varies' : String(c.count);
      const group = add({ id: `c:${i}`, kind: 'consumers', label: `consumers[${i}] × ${count}`, detail, column: q.column + 1, ...(rho != null ? { utilisation: rho } : {}) });
      edges.push({ from: q.id, to: group.id, label: '', title: `queue ${c.queue} → consumers[${i}]`, back: false });
      if (c.forward !== undefined) reach(group, c.forward.exchange, c.forward.routes.map((r) => ({ key: r.routingKey, share: r.probability })), c.forward.messages);
    });
  }
  for (const q of scenario.broker.queues) if (q.deadLetterExchange !== undefined && nodes.has(`q:${q.name}`)) notes.push(`Dead-lettering from ${q.name} is not drawn.`);
  const list = [...nodes.values()];
  const rows = new Map<number, number>();
  for (const n of list) {
    n.row = rows.get(n.column) ?? 0;
    rows.set(n.column, n.row + 1);
  }
  return { nodes: list, edges, columns: Math.max(...list.map((n) => n.column)) + 1, notes };
}

function queueDetail(stage: StageSummary | undefined): string[] {
  if (stage === undefined) return ['no stage metrics'];
  const lq = stage.queueLength.mean;
  const lambda = stage.arrivalsPerSec.mean;
  return [`Lq ${lq === null ? '—' : num(lq)}`, `λ ${lambda === null ? '—' : num(lambda)}/s`];
}
