// Collects config errors and warnings while validating, so that every problem is reported at once.

import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { CONFIG_TEXTS } from './config-texts.js';
import type { ConfigError, ConfigErrorCode, ConfigPathSegment } from './types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The key of an error about the configuration as a whole (empty, not a mapping). */
export const ROOT_KEY = '(root)';

/**
 * The display form of a key path: `listeners[0].port`, `extra_well_known_client_content["m.homeserver"]`.
 * Keys that are not plain identifiers are quoted so that a dot inside a key is not read as nesting.
 *
 * @example
 * ```ts
 * formatKeyPath(['listeners', 0, 'bind_addresses', 1]); // 'listeners[0].bind_addresses[1]'
 * ```
 */
export function formatKeyPath(path: readonly ConfigPathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** A warning before it is located and turned into text. */
export interface PendingWarning {
  readonly path: readonly ConfigPathSegment[];
  readonly message: string;
  /** For an unknown key: the known key it is probably a misspelling of. */
  readonly suggestion?: string;
}

/**
 * The error and warning sink passed through the validators, with the language the validators write their problems,
 * fixes and warnings in (`code` and `key` are the same in every language).
 */
export class ConfigIssues {
  readonly errors: ConfigError[] = [];
  readonly warnings: PendingWarning[] = [];
  readonly ignoredSynapseKeys: string[] = [];
  /** The language of the problems, fixes and warnings [en]. */
  readonly locale: Locale;

  constructor(locale: Locale = DEFAULT_LOCALE) {
    this.locale = locale;
  }

  /**
   * Records an error at `path`. A missing key whose misspelling was found next to it (`server_nmae`) gets the
   * rename as its fix: the "unknown key" warning alone would be lost, as a refused config shows only errors.
   */
  error(path: readonly ConfigPathSegment[], code: ConfigErrorCode, problem: string, fix: string): void {
    let finalFix = fix;
    const last = path[path.length - 1];
    if (code === 'required' && typeof last === 'string') {
      const parent = formatKeyPath(path.slice(0, -1));
      const typo = this.warnings.find((w) => w.suggestion === last && formatKeyPath(w.path.slice(0, -1)) === parent);
      const typoKey = typo?.path[typo.path.length - 1];
      if (typoKey !== undefined)
        finalFix = localize(CONFIG_TEXTS, this.locale)('issues.rename', {
          from: JSON.stringify(String(typoKey)),
          to: JSON.stringify(last),
        });
    }
    this.errors.push({
      key: path.length === 0 ? ROOT_KEY : formatKeyPath(path),
      path: [...path],
      code,
      problem,
      fix: finalFix,
    });
  }

  /** Records a warning at `path`; `suggestion` is the known key an unknown one resembles. */
  warn(path: readonly ConfigPathSegment[], message: string, suggestion?: string): void {
    this.warnings.push({ path: [...path], message, ...(suggestion === undefined ? {} : { suggestion }) });
  }

  /** The number of errors so far (validators compare before and after to know whether a section was valid). */
  get errorCount(): number {
    return this.errors.length;
  }
}
