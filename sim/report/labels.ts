/** Setting names without the prefix they all share (at a `-` boundary): `fsync-always-…` → `always-…`, for tables and chart labels. */
export function shortNames(labels: string[]): string[] {
  if (labels.length < 2) return labels;
  let prefix = labels[0]!;
  for (const l of labels) while (!l.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = prefix.lastIndexOf('-') + 1;
  return cut > 0 && labels.every((l) => l.length > cut) ? labels.map((l) => l.slice(cut)) : labels;
}
