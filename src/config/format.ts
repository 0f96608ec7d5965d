// formatConfigErrors(): the text the CLI prints when a configuration is refused.

import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { CONFIG_TEXTS } from './config-texts.js';
import type { ConfigError } from './types.js';

/**
 * Renders config errors for people: a heading with the source and the count, then per error the key (with
 * its line and column when known), what is wrong and the fix. Ends with a newline. The frame is in `locale`
 * (English by default); the problems and fixes are in the language the config was loaded in (`locale` of
 * `parseConfig` / `loadConfig`), the keys as written.
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
export function formatConfigErrors(
  errors: readonly ConfigError[],
  sourceName?: string,
  locale: Locale = DEFAULT_LOCALE,
): string {
  const t = localize(CONFIG_TEXTS, locale);
  const lines = [t('format.heading', { source: sourceName ?? t('format.configuration'), count: errors.length })];
  for (const error of errors) {
    const where =
      error.line === undefined
        ? ''
        : error.column === undefined
          ? t('format.line', { line: error.line })
          : t('format.lineColumn', { line: error.line, column: error.column });
    lines.push(t('format.error', { key: error.key, where, problem: error.problem }));
    lines.push(t('format.fix', { fix: error.fix }));
  }
  return `${lines.join('\n')}\n`;
}
