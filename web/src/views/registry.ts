import type { Report } from '../../../sim/report/schema.ts';

/**
 * The views a report page can show. Each view says which reports it applies to and draws itself
 * into its own section; the page draws every applicable view in `order`. A new view (a trade-off
 * chart, a network view, simulation against reality…) is one file that calls `registerView`,
 * imported once from views/index.ts — nothing else changes.
 */
export interface ViewContext {
  /** Index of the run whose details are shown (deep-linked as `&run=i`). */
  runIndex: number;
  /** Switch the run whose details are shown (updates the URL). */
  selectRun: (index: number) => void;
}

export interface ReportView {
  id: string;
  order: number;
  applies: (report: Report) => boolean;
  render: (parent: HTMLElement, report: Report, context: ViewContext) => void;
}

const views: ReportView[] = [];

export function registerView(view: ReportView): void {
  if (views.some((v) => v.id === view.id)) throw new Error(`a view '${view.id}' is already registered`);
  views.push(view);
}

export function viewsFor(report: Report): ReportView[] {
  return views.filter((v) => v.applies(report)).sort((a, b) => a.order - b.order);
}
