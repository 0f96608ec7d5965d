// formatConfigErrors(): the text the CLI prints when a configuration is refused.

import type { ConfigError } from './types.js';

/**
 * Renders config errors for people: a heading with the source and the count, then per error the key (with
 * its line and column when known), what is wrong and the fix. Ends with a newline.
 *
 * @example
 * ```ts
 * formatConfigErrors([{ key: 'listeners[0].port', path: ['listeners', 0, 'port'], code: 'out-of-range',
 *   problem: '70000 is outside the allowed range', fix: 'use a whole number from 1 to 65535', line: 4, column: 11 }], 'serve.yaml');
 * // serve.yaml: 1 error, the server cannot start:
 * //   listeners[0].port (line 4, column 11): 70000 is outside the allowed range
 * //     fix: use a whole number from 1 to 65535
 * ```
 */
export function formatConfigErrors(errors: readonly ConfigError[], sourceName?: string): string {
  const count = `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}`;
  const lines = [`${sourceName === undefined ? 'configuration' : sourceName}: ${count}, the server cannot start:`];
  for (const error of errors) {
    const where =
      error.line === undefined
        ? ''
        : error.column === undefined
          ? ` (line ${error.line})`
          : ` (line ${error.line}, column ${error.column})`;
    lines.push(`  ${error.key}${where}: ${error.problem}`);
    lines.push(`    fix: ${error.fix}`);
  }
  return `${lines.join('\n')}\n`;
}
