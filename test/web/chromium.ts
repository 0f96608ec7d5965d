// Helpers of the browser tests: where Debian's chromium is, the failure when it is missing, one way to launch it.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where browser tests save their screenshots (`test-results/`, ignored by git). */
export const RESULTS_DIR = join(ROOT, 'test-results');

/** The Chromium binary: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether that binary exists. */
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** What to do when it does not. */
export const INSTALL_HINT = `Chromium not found at ${CHROMIUM}: run \`bash scripts/setup-system.sh\` as root (npm test runs it first), or set CHROMIUM_PATH.`;

/** Command-line flags: headless, no sandbox (CI runs as root), and no network traffic of Chromium's own. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Throws {@link INSTALL_HINT} when Chromium is missing (call it first in a suite's `beforeAll`): a missing browser
 * fails the browser suites, it never skips them.
 */
export function requireChromium(): void {
  if (!HAVE_CHROMIUM) throw new Error(INSTALL_HINT);
}

/**
 * Launches headless Chromium with {@link CHROMIUM_ARGS} after {@link requireChromium}, and creates
 * {@link RESULTS_DIR}. `launch()` always starts from a fresh temporary profile (user-data-dir) and removes it on close.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await (await browser.newContext()).newPage();
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  await mkdir(RESULTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}
