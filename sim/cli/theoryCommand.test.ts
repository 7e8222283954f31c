import { describe, expect, it } from 'vitest';
import { runQlab } from './runQlab.ts';

// Every expected number below is independent of sim/theory: exact rationals worked out by hand
// (and checked with Python's fractions.Fraction), or logarithms and one root computed with Python's
// decimal module at 50 digits, shown to 17 significant digits. The formula each one comes from is
// named next to it, so a wrong formula in sim/theory cannot also be the expected value.
function expectClose(actual: unknown, expected: number, relative = 1e-12) {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

function theoryJson(args: string[]) {
  const { code, stdout, stderr } = runQlab(['theory', ...args, '--json']);
  expect(code).toBe(0);
  expect(stderr).toBe('');
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

describe('qlab theory', () => {
  it('M/M/c (λ 2.4, μ 1, c 3) gives the Erlang C values and wait quantiles worked out exactly', () => {
    const r = theoryJson(['mmc', '--lambda', '2.4', '--mu', '1', '--c', '3']);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['model', 'inputs', 'stable', 'rho', 'L', 'Lq', 'W', 'Wq', 'P0', 'Pwait']));
    expect(r).toMatchObject({ model: 'mmc', inputs: { lambda: 2.4, mu: 1, c: 3 }, stable: true });
    // a = 12/5, ρ = 4/5: P0 = 1 / (1 + a + a²/2 + a³/(3!(1 − ρ))) = 5/89; Pwait = a³/(3!(1 − ρ))·P0 = 288/445;
    // Lq = Pwait·ρ/(1 − ρ) = 1152/445; Wq = Lq/λ = 96/89; W = Wq + 1/μ = 185/89; L = λW = 444/89.
    expectClose(r.rho, 4 / 5);
    expectClose(r.P0, 5 / 89);
    expectClose(r.Pwait, 288 / 445);
    expectClose(r.Lq, 1152 / 445);
    expectClose(r.Wq, 96 / 89);
    expectClose(r.W, 185 / 89);
    expectClose(r.L, 444 / 89);
    expectClose(r.throughput, 2.4);
    // P(Wq > t) = Pwait·e^(−(cμ − λ)t), so the q-quantile is ln(Pwait/(1 − q))/(cμ − λ) (decimal, 50 digits).
    expectClose(r.percentiles.Wq.p50, 0.43005563088275171);
    expectClose(r.percentiles.Wq.p90, 3.1124521516062523);
    expectClose(r.percentiles.Wq.p99, 6.9500939732629951);
    // P(W > t) = e^(−μt)·[1 + Pwait·(1 − e^(−μt(c − 1 − a)))/(c − 1 − a)] (Gross & Harris, M/M/c
    // sojourn time), its quantiles solved by bisection in decimal to 50 digits.
    expectClose(r.percentiles.W.p50, 1.5788071912932797, 1e-9);
    expectClose(r.percentiles.W.p90, 4.5323534467910616, 1e-9);
    expectClose(r.percentiles.W.p99, 8.4554773654229389, 1e-9);
  });

  it('M/M/1 (λ 1, μ 2) gives the textbook values and exponential quantiles', () => {
    const r = theoryJson(['mm1', '--lambda', '1', '--mu', '2']);
    // ρ = 1/2: L = ρ/(1 − ρ) = 1, Lq = ρ²/(1 − ρ) = 1/2, W = 1/(μ − λ) = 1, Wq = ρ/(μ − λ) = 1/2.
    for (const [field, value] of Object.entries({ rho: 0.5, L: 1, Lq: 0.5, W: 1, Wq: 0.5, P0: 0.5, Pwait: 0.5, throughput: 1 })) expectClose(r[field], value);
    // W ~ Exp(μ − λ = 1): quantiles ln 2, ln 10, ln 100. Wq: atom 1/2 at 0, then ln(0.5/(1 − q)).
    expectClose(r.percentiles.W.p50, 0.69314718055994531);
    expectClose(r.percentiles.W.p90, 2.3025850929940457);
    expectClose(r.percentiles.W.p99, 4.6051701859880914);
    expectClose(r.percentiles.Wq.p50, 0);
    expectClose(r.percentiles.Wq.p90, 1.6094379124341004);
    expectClose(r.percentiles.Wq.p99, 3.9120230054281461);
  });

  it.each([
    // Pollaczek–Khinchine: Lq = ρ²(1 + cs²)/(2(1 − ρ)); with ρ = 1/2: M/D/1 1/4, M/G/1 at cs² = 1/2 3/8.
    ['M/D/1', ['md1', '--lambda', '0.5', '--mu', '1'], { rho: 0.5, Lq: 0.25, Wq: 0.5, W: 1.5, L: 0.75, throughput: 0.5 }],
    ['M/G/1', ['mg1', '--lambda', '0.5', '--mu', '1', '--cs2', '0.5'], { rho: 0.5, Lq: 0.375, Wq: 0.75, W: 1.75, L: 0.875, throughput: 0.5 }],
    // Kingman: Wq ≈ ρ/(1 − ρ)·(ca² + cs²)/2·(1/μ) = 1·(2 + 0.5)/2 = 5/4.
    ['G/G/1', ['gg1', '--lambda', '0.5', '--mu', '1', '--ca2', '2', '--cs2', '0.5'], { rho: 0.5, Wq: 1.25, W: 2.25, Lq: 0.625, L: 1.125 }],
    // Allen–Cunneen: the M/M/c wait above, 96/89, times (ca² + cs²)/2 = 3/4: 72/89.
    ['G/G/c', ['ggc', '--lambda', '2.4', '--mu', '1', '--c', '3', '--cs2', '0.5'], { Wq: 72 / 89, W: 161 / 89, Lq: (72 / 89) * 2.4, L: (161 / 89) * 2.4, Pwait: 288 / 445 }],
    // M/M/2/5 at λ 2, μ 1: birth–death weights 1, 2, 2, 2, 2, 2 over 11: P0 = 1/11, P(block) = 2/11,
    // L = 30/11, Lq = 12/11, throughput λ(1 − 2/11) = 18/11, W = L/throughput = 5/3, Wq = 2/3.
    ['M/M/c/K', ['mmck', '--lambda', '2', '--mu', '1', '--c', '2', '--K', '5'], { P0: 1 / 11, Pblock: 2 / 11, L: 30 / 11, Lq: 12 / 11, W: 5 / 3, Wq: 2 / 3, throughput: 18 / 11 }],
  ] as const)('%s gives the closed-form values', (_name, args, expected) => {
    const r = theoryJson([...args]);
    expect(r.stable).toBe(true);
    for (const [field, value] of Object.entries(expected)) expectClose(r[field], value);
    if (args[0] === 'gg1' || args[0] === 'ggc') expect(r.approximation).toMatch(args[0] === 'gg1' ? /Kingman/ : /Allen–Cunneen/);
  });

  it.each([
    // Cobham, non-preemptive: R = Σλᵢ·E[Sᵢ²]/2 = (0.2 + 0.3)·2/2 = 1/2; Wq_k = R/((1 − σ_{k−1})(1 − σ_k)):
    // class 0: 0.5/0.8 = 5/8, class 1: 0.5/(0.8·0.5) = 5/4.
    ['priority-np', [{ W: 1.625, Wq: 0.625, L: 0.325, Lq: 0.125 }, { W: 2.25, Wq: 1.25, L: 0.675, Lq: 0.375 }]],
    // Preemptive resume: W_k = E[S_k]/(1 − σ_{k−1}) + R_k/((1 − σ_{k−1})(1 − σ_k)), R_k over classes ≤ k:
    // class 0 is an M/M/1 at λ 0.2: 1/(1 − 0.2) = 5/4; class 1: 1/0.8 + 0.5/(0.8·0.5) = 5/2.
    ['priority-pr', [{ W: 1.25, Wq: 0.25, L: 0.25, Lq: 0.05 }, { W: 2.5, Wq: 1.5, L: 0.75, Lq: 0.45 }]],
  ] as const)('%s reports each class with the textbook per-class waits', (model, classes) => {
    const r = theoryJson([model, '--lambda', '0.2,0.3', '--mu', '1,1', '--cs2', '1,1']);
    expect(r.classes).toHaveLength(2);
    classes.forEach((expected, k) => {
      for (const [field, value] of Object.entries(expected)) expectClose(r.classes[k][field], value);
    });
    // Equal exponential service: the classes together are an M/M/1 at ρ = 1/2 (conservation law).
    expectClose(r.L, 1);
    expectClose(r.Wq, 1);
  });

  it('prints a readable table with units, and labels approximations', () => {
    const { stdout } = runQlab(['theory', 'ggc', '--lambda', '2.4', '--mu', '1', '--c', '3', '--cs2', '0.5']);
    expect(stdout).toMatch(/APPROXIMATION: Allen–Cunneen/);
    expect(stdout).toMatch(/mean wait in queue\s+[\d.]+ (ms|s)/);
  });

  it('says an unstable system is unstable instead of printing infinities', () => {
    const { code, stdout } = runQlab(['theory', 'mm1', '--lambda', '2', '--mu', '1', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ stable: false, rho: 2, W: null });
  });

  it.each([
    [['mm2', '--lambda', '1', '--mu', '2'], /unknown model 'mm2'/],
    [['mm1', '--mu', '2'], /^--lambda is required/],
    [['mm1', '--lambda', '-1', '--mu', '2'], /^--lambda/],
    [['mm1', '--lambda', '0', '--mu', '2'], /^--lambda must be > 0/],
    [['mmc', '--lambda', '1', '--mu', '2', '--c', '0'], /^--c must be a whole number ≥ 1/],
    [['mmck', '--lambda', '1', '--mu', '2', '--c', '3', '--K', '2'], /^--K must be a whole number ≥ c/],
    [['mm1', '--lambda', '1', '--mu', '2', '--c', '2'], /^--c does not apply to mm1/],
    [['mm1', '--lambda', '1', '--mu', '2', '--bogus'], /Unknown option '--bogus'/],
  ])('bad input %j exits 2 with one line naming the flag', (args, message) => {
    const { code, stdout, stderr } = runQlab(['theory', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

describe('qlab', () => {
  it('--help lists the commands and exits 0', () => {
    const { code, stdout } = runQlab(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/theory/);
  });
  it('an unknown command exits 2', () => {
    const { code, stderr } = runQlab(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
