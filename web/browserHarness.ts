import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Shared by the browser tests: Debian's headless Chromium, driven by playwright-core. Where none is
 * installed the suites skip with a note — unless QLAB_REQUIRE_BROWSER is set, as .ci/run sets it
 * after installing Chromium, so CI can never skip them silently. Screenshots go to $QLAB_SCREENSHOTS
 * (.ci/run sets it, and the CI workflow uploads that folder), else to test-artifacts/.
 */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (CHROMIUM === undefined && process.env.QLAB_REQUIRE_BROWSER === '1') throw new Error('QLAB_REQUIRE_BROWSER is set but no Chromium is installed (apt-get install chromium)');
if (CHROMIUM === undefined) console.warn('web/*.test.ts: no Chromium found; browser tests skipped (apt-get install chromium)');

export const ARTIFACTS = process.env.QLAB_SCREENSHOTS || join(process.cwd(), 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM!,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
