import { tradeoffChart } from '../charts/tradeoffChart.ts';
import { steadiness } from '../figures.ts';
import { panel } from '../panel.ts';
import { fmt, tableOf } from '../panels.ts';
import { registerView } from './registry.ts';

registerView({
  id: 'compare',
  order: 10,
  applies: (report) => report.kind === 'compare',
  render(parent, report) {
    const runs = report.runs;
    const p = panel(parent, 'Reliability comparison', 'chart-reliability');
    tradeoffChart(p, runs);
    p.append(
      tableOf([
        ['#', 'setting', 'state', 'throughput (msg/s)', 'wait p99', 'lost (confirmed)', 'lost (unconfirmed)', 'duplicated', 'crashes'],
        ...runs.map((r, i) => [
          String(i + 1),
          r.label,
          steadiness(r).label,
          fmt(r.result.summary.throughput.mean),
          `${fmt(r.result.summary.wait.p99.mean)} ms`,
          fmt(r.result.accounting.lost),
          fmt(r.result.accounting.lostUnconfirmed),
          fmt(r.result.accounting.duplicated),
          fmt(r.result.summary.recovery.crashes),
        ]),
      ]),
    );
  },
});
