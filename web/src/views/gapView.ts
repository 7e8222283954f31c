import { gapPanel } from '../gapPanel.ts';
import { registerView } from './registry.ts';

// `qlab gap` reports: the simulation against each real run (tables, machine, overlaid wait CDFs).
registerView({
  id: 'gap',
  order: 15,
  applies: (report) => report.gap !== undefined,
  render: (parent, report) => gapPanel(parent, report),
});
