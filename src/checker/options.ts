// Checks the options of checkServer once and completes them with their defaults.

import { DEFAULT_LOCALE, LOCALES, parseLocale, type Locale } from '../i18n/index.js';
import { booleanOption, functionOption, integerOption, invalidOption, timeoutOption } from '../options/validate.js';
import { RESOLVE_DEFAULTS, checkResolveOptions } from '../resolver/options.js';
import type { ResolveSettings } from '../resolver/options.js';
import type { CheckOptions } from './types.js';

/** Defaults of {@link CheckOptions}. */
export const CHECK_DEFAULTS = {
  /**
   * The whole check. With this budget the shares come out at the resolver's and the operations' own limits (15 s
   * for the resolution, 10 s per operation; see `budget.ts`), so a check without `timeoutMs` behaves as it always did.
   */
  timeoutMs: 45_000,
  operationTimeoutMs: 10_000,
  checkDocuments: true,
  maxAddresses: 32,
} as const;

/** {@link CheckOptions} checked and completed. */
export interface CheckSettings {
  /** The resolver's part of the options, checked. */
  readonly resolve: ResolveSettings;
  readonly timeoutMs: number;
  readonly operationTimeoutMs: number;
  readonly checkDocuments: boolean;
  readonly maxAddresses: number;
  /**
   * The most the resolution may take whatever the budget: the resolver's own default (`timeoutMs` of a check is the
   * whole check's budget, not the resolution's, so the resolver's default cannot come from it).
   */
  readonly maxResolutionMs: number;
  readonly now: () => number;
  readonly signal: AbortSignal | undefined;
  /** The language of the hints and the summary. */
  readonly locale: Locale;
}

/**
 * Checks every option of `checkServer` (the resolver's through `checkResolveOptions`) and fills in the defaults.
 * Throws `MatrixDelegationError` `INVALID_ARGUMENT` naming the option and what it accepts.
 *
 * @example
 * ```ts
 * checkCheckOptions({ operationTimeoutMs: -5 }); // throws INVALID_ARGUMENT: operationTimeoutMs must be a whole number of milliseconds from 1 to ...
 * ```
 */
export function checkCheckOptions(value: unknown): CheckSettings {
  const resolve = checkResolveOptions(value);
  const options = resolve.options as CheckOptions;
  return {
    resolve,
    timeoutMs: timeoutOption('timeoutMs', options.timeoutMs, CHECK_DEFAULTS.timeoutMs),
    operationTimeoutMs: timeoutOption(
      'operationTimeoutMs',
      options.operationTimeoutMs,
      CHECK_DEFAULTS.operationTimeoutMs,
    ),
    checkDocuments: booleanOption('checkDocuments', options.checkDocuments, CHECK_DEFAULTS.checkDocuments),
    maxAddresses: integerOption('maxAddresses', options.maxAddresses, CHECK_DEFAULTS.maxAddresses, {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
    }),
    maxResolutionMs: RESOLVE_DEFAULTS.timeoutMs,
    now: functionOption<() => number>('now', options.now) ?? Date.now,
    signal: options.signal,
    locale: localeOption(options.locale),
  };
}

/** `locale`: one of {@link LOCALES} (a tag such as `zh_CN` or `zh-Hans` is taken for the language it names). */
function localeOption(value: unknown): Locale {
  if (value === undefined) return DEFAULT_LOCALE;
  const locale = typeof value === 'string' ? parseLocale(value) : null;
  if (locale === null) throw invalidOption('locale', `one of ${LOCALES.join(', ')}`, value);
  return locale;
}
