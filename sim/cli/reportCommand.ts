import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseReport } from '../report/schema.ts';
import { writeFileAtomic } from '../report/write.ts';
import { parseCommandArgs } from './args.ts';
import { checkOutputs, writeOrUsage } from './shared.ts';
import { UsageError } from './usageError.ts';
import { ensureBuilt } from './webBuild.ts';

const HELP = `qlab report --html <report.json> [-o file.html]

Writes one self-contained HTML file — the viewer's script, styles and the report's data inlined — that
opens from disk with no server.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', argv, { html: { type: 'boolean' }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.html) throw new UsageError('qlab report: --html is the only format so far');
  if (positionals.length !== 1) throw new UsageError('qlab report: give one report file');
  const file = positionals[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`qlab report: ${file}: cannot read it`);
  }
  const parsed = parseReport(text, file);
  if (!parsed.ok) throw new UsageError(`qlab report: ${parsed.error}`);
  const out = values.out ?? file.replace(/\.json$/, '') + '.html';
  checkOutputs(out);
  const dist = await ensureBuilt('single');
  const script = readFileSync(join(dist, 'viewer.js'), 'utf8');
  const style = readFileSync(join(dist, 'viewer.css'), 'utf8');
  // </script> inside the data or the bundle would end the script element early.
  const safe = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parsed.report.title)} — queuelab report</title>
<style>${style}</style></head>
<body>
<header><h1>queuelab</h1><nav aria-label="Reports"><label>Report <select id="report-select"></select></label><label>Side by side with <select id="compare-select"><option value="">—</option></select></label></nav></header>
<main id="app" aria-live="polite"><p class="status">Loading…</p></main>
<script>window.__QLAB_REPORTS__ = ${safe(JSON.stringify([{ name: basename(file), text }]))};</script>
<script>${safe(script)}</script>
</body>
</html>
`;
  writeOrUsage(() => writeFileAtomic(out, html));
  process.stdout.write(`wrote ${out} (${Math.round(html.length / 1024)} KiB, opens from disk)\n`);
  return 0;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
