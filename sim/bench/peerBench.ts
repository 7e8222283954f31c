import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { simulate } from '../run/simulate.ts';
import type { BenchResult } from './benchmark.ts';
import { mm1Scenario } from './simBench.ts';

const PYTHON = '/usr/bin/python3';
const SIMPY_SCRIPT = fileURLToPath(new URL('./peer/simpy_mm1.py', import.meta.url));
const QLAB = fileURLToPath(new URL('../../bin/qlab.js', import.meta.url));

/** CPU seconds of this process so far (user + system), start-up included. */
function processCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** CPU seconds for one in-process M/M/1 run of `messages` through the engine (ρ = 0.8, prefetch 1). */
export function mm1CpuSeconds(messages: number): number {
  const scenario = mm1Scenario(false, messages);
  const before = processCpuSeconds();
  simulate(scenario, { replications: 1 });
  return processCpuSeconds() - before;
}

/** `qlab bench --fresh-mm1 N` (internal): one run in this fresh process; prints its whole CPU time. */
export function freshMm1(messages: number): string {
  simulate(mm1Scenario(false, messages), { replications: 1 });
  return JSON.stringify({ messages, processCpuSeconds: processCpuSeconds() });
}

interface SimpyRound {
  customers: number;
  seconds: number;
  cpuSeconds: number;
  processCpuSeconds: number;
}

function simpy(customers: number, rounds: number): SimpyRound[] | undefined {
  const r = spawnSync(PYTHON, [SIMPY_SCRIPT, String(customers), String(rounds)], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (r.status !== 0) return undefined;
  return r.stdout.trim().split('\n').map((line) => JSON.parse(line) as SimpyRound);
}

const figure = (name: string, unit: string, value: number): BenchResult => ({ name, unit, value, rme: 0.1, samples: 1 });

/**
 * M/M/1 at ρ = 0.8 against SimPy 2.3.1 (Debian's python3-simpy), measured in this session: warm
 * (the second of two in-process runs of `warmMessages`, each side) and first run (a fresh process
 * running `firstMessages`, start-up included). Rates are customers per CPU second, so the other
 * work on a shared machine does not tilt the ratio. Undefined when SimPy is not installed.
 */
export function simpyPeerFigures(warmMessages: number, firstMessages: number, log: (line: string) => void): BenchResult[] | undefined {
  if (spawnSync(PYTHON, ['-c', 'import SimPy.Simulation'], { stdio: 'ignore' }).status !== 0) return undefined;
  const warmPeer = simpy(warmMessages, 2)?.[1];
  const firstPeer = simpy(firstMessages, 1)?.[0];
  if (warmPeer === undefined || firstPeer === undefined) return undefined;
  mm1CpuSeconds(warmMessages);
  const warmOurs = warmMessages / mm1CpuSeconds(warmMessages);
  const fresh = spawnSync(process.execPath, [QLAB, 'bench', '--fresh-mm1', String(firstMessages)], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (fresh.status !== 0) throw new Error(`bench: the fresh-process M/M/1 run failed: ${fresh.stderr.trim().split('\n').pop()}`);
  const firstOurs = firstMessages / (JSON.parse(fresh.stdout.trim().split('\n').pop()!) as { processCpuSeconds: number }).processCpuSeconds;
  const warmSimpy = warmPeer.customers / warmPeer.cpuSeconds;
  const firstSimpy = firstPeer.customers / firstPeer.processCpuSeconds;
  log(`peer SimPy 2.3.1, M/M/1 ρ = 0.8, customers per CPU second: warm ${Math.round(warmOurs)} against ${Math.round(warmSimpy)} (${(warmOurs / warmSimpy).toFixed(1)}×); first run of ${firstMessages} in a fresh process ${Math.round(firstOurs)} against ${Math.round(firstSimpy)} (${(firstOurs / firstSimpy).toFixed(1)}×)`);
  return [
    figure('peer.simpy-mm1.warm', 'customers/CPU s', warmSimpy),
    figure('peer.simpy-mm1.first', 'customers/CPU s', firstSimpy),
    figure('peer.sim-mm1.warm', 'customers/CPU s', warmOurs),
    figure('peer.sim-mm1.first', 'customers/CPU s', firstOurs),
    figure('peer.ratio-vs-simpy.warm', '×', warmOurs / warmSimpy),
    figure('peer.ratio-vs-simpy.first', '×', firstOurs / firstSimpy),
  ];
}
