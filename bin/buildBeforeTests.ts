// vitest global set-up: rebuild the bundle when a source changed since the last build, so the many
// tests that spawn bin/qlab.js start it from the bundle rather than compiling through tsx in every
// child. Correctness does not depend on it: bin/qlab.js never runs a stale bundle (bin/compiled.js).
// @ts-expect-error plain JavaScript module without types
import { buildQlab } from './build.js';
// @ts-expect-error plain JavaScript module without types
import { freshBuild } from './compiled.js';

export default async function setup(): Promise<void> {
  const skip = process.env.QLAB_MUTATION === '1' || process.env.QLAB_FROM_SOURCE === '1';
  if (skip || freshBuild('main') !== undefined) return;
  const { sources, ms } = await buildQlab();
  process.stderr.write(`qlab: sources changed since the last build; rebuilt ${sources} in ${Math.round(ms)} ms\n`);
}
