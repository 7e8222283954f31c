import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Scenario } from '../../../sim/scenario/schema.ts';
import { networkOf } from './networkModel.ts';

const fixture = Scenario.parse(JSON.parse(readFileSync('web/fixtures/pipeline.json', 'utf8')));
const interval = (mean: number) => ({ mean, ci95: null });
const stage = (queue: string, utilization: number, queueLength: number) =>
  ({ queue, consumers: 1, arrivalsPerSec: interval(1), throughputPerSec: interval(1), waitMs: interval(1), sojournMs: interval(1), queueLength: interval(queueLength), inSystem: interval(1), utilization: interval(utilization) }) as never;

describe('the pipeline as a graph', () => {
  const net = networkOf(fixture, [stage('parse', 0.5, 1.25), stage('bulk', 0.1, 0), stage('enrich', 0.95, 3)]);
  const edge = (from: string, to: string) => net.edges.filter((e) => e.from === from && e.to === to);

  it('routes producer keys through the declared direct exchange, with the weights as shares', () => {
    expect(edge('p:0', 'ex:p:0')).toHaveLength(1);
    expect(net.nodes.find((n) => n.id === 'ex:p:0')!.label).toBe('in');
    expect(edge('ex:p:0', 'q:parse')[0]!.label).toBe('75 %');
    expect(edge('ex:p:0', 'q:bulk')[0]!.label).toBe('25 %');
  });

  it('lays out producers → exchange → queue → consumers → exchange → queue left to right, feedback as a back edge', () => {
    const column = (id: string) => net.nodes.find((n) => n.id === id)!.column;
    expect(['p:0', 'ex:p:0', 'q:parse', 'c:0', 'ex:c:0', 'q:enrich', 'c:2', 'ex:c:2'].map(column)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(column('q:bulk')).toBe(2);
    const feedback = edge('ex:c:2', 'q:parse');
    expect(feedback).toHaveLength(1);
    expect(feedback[0]).toMatchObject({ back: true, label: '20 %' });
    expect(net.edges.filter((e) => e.back)).toHaveLength(1);
    expect(net.columns).toBe(8);
    // Rows within a column are distinct.
    const places = net.nodes.map((n) => `${n.column}/${n.row}`);
    expect(new Set(places).size).toBe(places.length);
  });

  it('puts each stage\u2019s utilisation, queue length and what leaves on its boxes; a certain route has no share label', () => {
    const enrich = net.nodes.find((n) => n.id === 'c:2')!;
    expect(enrich.label).toBe('consumers[2] × 2');
    expect(enrich.utilisation).toBe(0.95);
    expect(enrich.detail).toEqual(['ρ 95 %', '80 % done']);
    expect(net.nodes.find((n) => n.id === 'c:1')!.detail).toEqual(['ρ 10 %', 'all forwarded']);
    expect(net.nodes.find((n) => n.id === 'q:parse')!.detail[0]).toBe('Lq 1.25');
    expect(edge('ex:c:1', 'q:enrich')[0]!.label).toBe('');
    expect(edge('ex:c:0', 'q:enrich')[0]!.label).toBe('90 %');
  });

  it('fans out through a fanout exchange to every bound queue, batches are marked, and unroutable keys are said in words', () => {
    const s = Scenario.parse({
      name: 'fan',
      durationSec: 10,
      producers: [{ exchange: 'all', routingKey: 'x', arrivals: { process: 'poisson', ratePerSec: 1 } }],
      broker: {
        exchanges: [{ name: 'all', type: 'fanout' }],
        queues: [{ name: 'a' }, { name: 'b' }],
        bindings: [{ queue: 'a', exchange: 'all' }, { queue: 'b', exchange: 'all' }],
      },
      consumers: [
        { queue: 'a', serviceTimeMs: { dist: 'exponential', mean: 10 }, forward: { routes: [{ routingKey: 'nowhere', probability: 0.5 }], messages: 3 } },
        { queue: 'b', serviceTimeMs: { dist: 'exponential', mean: 10 } },
      ],
    });
    const fan = networkOf(s, []);
    expect(fan.edges.filter((e) => e.from === 'ex:p:0').map((e) => e.to)).toEqual(['q:a', 'q:b']);
    expect(fan.edges.find((e) => e.from === 'c:0')!.label).toBe('×3');
    expect(fan.notes.join(' ')).toMatch(/key 'nowhere' on exchange \(default\) reaches no queue/);
    expect(fan.nodes.find((n) => n.id === 'q:a')!.detail).toEqual(['no stage metrics']);
  });

  it('an autoscaled group shows its range and no utilisation (its count changes; the stage\u2019s ρ is per its nominal count)', () => {
    const s = Scenario.parse({
      ...JSON.parse(readFileSync('web/fixtures/pipeline.json', 'utf8')),
      consumers: [
        { queue: 'parse', serviceTimeMs: { dist: 'exponential', mean: 100 } },
        { queue: 'bulk', serviceTimeMs: { dist: 'exponential', mean: 100 }, autoscale: { min: 1, max: 4, targetBacklogPerConsumer: 1, intervalSec: 5, cooldownSec: 10 } },
      ],
    });
    const node = networkOf(s, [stage('bulk', 1.54, 3)]).nodes.find((n) => n.id === 'c:1')!;
    expect(node.label).toBe('consumers[1] × 1–4');
    expect(node.detail[0]).toBe('ρ — (count varies)');
    expect(node.utilisation).toBeUndefined();
  });
});
