import { parseReport, type Report } from '../../sim/report/schema.ts';

export interface LoadedReport {
  name: string;
  /** When the file was last written (from the `qlab view` server; unknown in a self-contained HTML file). */
  modifiedMs?: number;
  report?: Report;
  error?: string;
}

declare global {
  interface Window {
    /** Set by `qlab report --html`: the report text inlined in the page. */
    __QLAB_REPORTS__?: { name: string; text: string }[];
  }
}

/**
 * The reports to show: inlined in the page (a self-contained HTML file) or listed by the `qlab view`
 * server. Each is checked with the same zod schema the CLI uses; a bad or old file becomes an
 * error message to show, never a blank chart.
 */
export async function loadReports(): Promise<LoadedReport[]> {
  const inline = window.__QLAB_REPORTS__;
  if (inline !== undefined) return inline.map(({ name, text }) => check(name, text));
  const response = await fetch('./api/reports');
  if (!response.ok) throw new Error(`the server listed no reports (${response.status})`);
  const names = (await response.json()) as string[];
  const dates: Record<string, number> = await fetch('./api/report-dates').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  return Promise.all(
    names.map(async (name) => {
      const file = await fetch(`./api/report?name=${encodeURIComponent(name)}`);
      return { ...check(name, await file.text()), modifiedMs: dates[name] };
    }),
  );
}

function check(name: string, text: string): LoadedReport {
  const parsed = parseReport(text, name);
  return parsed.ok ? { name, report: parsed.report } : { name, error: parsed.error };
}
