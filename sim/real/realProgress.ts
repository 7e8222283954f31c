/** Progress of a real run on stderr: a line about every 2 s of wall time (stdout stays clean for --json). */
export function realProgress(label: string, replications: number): (replication: number, elapsedMs: number, totalMs: number, messages: number) => void {
  let lastMs = performance.now();
  return (replication, elapsedMs, totalMs, messages) => {
    const now = performance.now();
    if (now - lastMs < 2000) return;
    lastMs = now;
    const which = replications > 1 ? ` run ${replication}/${replications}:` : '';
    process.stderr.write(`${label} (real):${which} ${(elapsedMs / 1000).toFixed(1)} of ${(totalMs / 1000).toFixed(1)} s wall (+ drain), ${messages} messages\n`);
  };
}
