// Test helper: Prometheus's own `promtool check metrics` (Debian's prometheus package) on an exposition text.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's `prometheus` package puts promtool (scripts/setup-system.sh installs it). */
export const PROMTOOL_BINARY = '/usr/bin/promtool';

/** What promtool said about a text: its exit code (0: valid, no lint problem) and its output. */
export interface PromtoolResult {
  readonly code: number | null;
  readonly output: string;
}

/**
 * Runs `promtool check metrics` with `text` on its standard input: it parses the text format and lints it (names,
 * units, HELP, counters ending in `_total`). Fails, never skips, when promtool is missing.
 */
export async function promtoolCheckMetrics(text: string): Promise<PromtoolResult> {
  if (!existsSync(PROMTOOL_BINARY))
    throw new Error(
      `${PROMTOOL_BINARY} is missing: run \`bash scripts/setup-system.sh\` (as root) to install prometheus`,
    );
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL_BINARY, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}
