// Test helper: Prometheus's own promtool (Debian's prometheus package): check metrics, config and rules, test rules.

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
export function promtoolCheckMetrics(text: string): Promise<PromtoolResult> {
  return promtool(['check', 'metrics'], { stdin: text });
}

/**
 * Runs promtool with `args` (e.g. `check config prometheus.yml`, `test rules tests.yml`) in `cwd`, with `stdin` on its
 * standard input. Fails, never skips, when promtool is missing.
 */
export async function promtool(
  args: readonly string[],
  options: { readonly cwd?: string; readonly stdin?: string } = {},
): Promise<PromtoolResult> {
  if (!existsSync(PROMTOOL_BINARY))
    throw new Error(
      `${PROMTOOL_BINARY} is missing: run \`bash scripts/setup-system.sh\` (as root) to install prometheus`,
    );
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL_BINARY, [...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(options.stdin ?? '');
  });
}
