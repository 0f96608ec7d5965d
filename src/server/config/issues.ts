// Collects config errors and warnings while validating, so that every problem is reported at once.

import type { ConfigError, ConfigErrorCode, ConfigPathSegment } from './types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
}

/** The error and warning sink passed through the validators. */
export class ConfigIssues {
  readonly errors: ConfigError[] = [];
  readonly warnings: PendingWarning[] = [];
  readonly ignoredSynapseKeys: string[] = [];

  /** Records an error at `path`. */
  error(path: readonly ConfigPathSegment[], code: ConfigErrorCode, problem: string, fix: string): void {
    this.errors.push({ key: formatKeyPath(path), path: [...path], code, problem, fix });
  }

  /** Records a warning at `path`. */
  warn(path: readonly ConfigPathSegment[], message: string): void {
    this.warnings.push({ path: [...path], message });
  }

  /** The number of errors so far (validators compare before and after to know whether a section was valid). */
  get errorCount(): number {
    return this.errors.length;
  }
}
