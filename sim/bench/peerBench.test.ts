import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freshMm1, simpyPeerFigures } from './peerBench.ts';

const simpyInstalled = spawnSync('/usr/bin/python3', ['-c', 'import SimPy.Simulation'], { stdio: 'ignore' }).status === 0;

describe('the SimPy peer of qlab bench', () => {
  it('a fresh-process run reports the messages it simulated and the whole process CPU time', () => {
    const out = JSON.parse(freshMm1(2_000)) as { messages: number; processCpuSeconds: number };
    expect(out.messages).toBe(2_000);
    expect(out.processCpuSeconds).toBeGreaterThan(0);
  });

  it.skipIf(!simpyInstalled)('measures both sides and reports each ratio as ours over SimPy\'s', () => {
    const lines: string[] = [];
    const figures = simpyPeerFigures(2_000, 2_000, (line) => lines.push(line))!;
    const value = (name: string) => figures.find((f) => f.name === name)!.value;
    for (const f of figures) expect(f.value).toBeGreaterThan(0);
    expect(value('peer.ratio-vs-simpy.warm')).toBeCloseTo(value('peer.sim-mm1.warm') / value('peer.simpy-mm1.warm'), 9);
    expect(value('peer.ratio-vs-simpy.first')).toBeCloseTo(value('peer.sim-mm1.first') / value('peer.simpy-mm1.first'), 9);
    expect(lines.join('\n')).toMatch(/SimPy 2\.3\.1.*warm .*×.*first run of 2000/);
  });
});
