import { csv, download } from '../export.ts';
import { element, fmt } from '../panels.ts';

export interface Trial {
  settings: string;
  rho: number;
  state: string;
  WqSim: string;
  WqTheory: string;
  L: number | null;
  lambdaW: number | null;
}

const HEAD = ['#', 'settings', 'ρ', 'state', 'Wq simulated [95 %]', 'Wq theory', 'L', 'λ·W'];

/** The student's lab notebook: one row per recorded trial, downloadable as CSV. */
export function trialsTable(parent: HTMLElement): { add: (t: Trial) => void } {
  const trials: Trial[] = [];
  const table = element('table', { class: 'trials' }) as HTMLTableElement;
  const header = element('tr');
  header.append(...HEAD.map((h) => element('th', {}, h)));
  table.append(header);
  const save = element('button', { type: 'button', disabled: '' }, 'Download trials (CSV)') as HTMLButtonElement;
  save.addEventListener('click', () =>
    download('trials.csv', new Blob([csv([HEAD, ...trials.map((t, i) => [i + 1, t.settings, t.rho, t.state, t.WqSim, t.WqTheory, t.L, t.lambdaW])])], { type: 'text/csv' })),
  );
  parent.append(table, save);
  return {
    add(t) {
      trials.push(t);
      const tr = element('tr');
      for (const cell of [String(trials.length), t.settings, fmt(t.rho, 3), t.state, t.WqSim, t.WqTheory, fmt(t.L), fmt(t.lambdaW)]) tr.append(element('td', {}, cell));
      table.append(tr);
      save.disabled = false;
    },
  };
}
