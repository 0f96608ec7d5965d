// The checker options of the tester: the config's network settings, then the caller's overrides.

import type { CheckOptions } from '../../checker/types.js';
import type { TesterConfig } from '../../config/types.js';
import { DEFAULT_LOCALE } from '../../i18n/locale.js';

/**
 * Builds the options of `checkServer` from the tester settings: DNS servers, allowed networks and the extra CA
 * from the config, and `timeoutMs` as the budget of the whole check (the checker shares it out between the
 * resolution and each operation, and reports within it: see `checkServer`). `overrides` (the command line's
 * `--dns-server`, `--allow-network`, `--ca-file`, or a test lab's options) replace the config's values key by key.
 * The checks are in English whatever the overrides say: `/api/report` is English by its format, and one cached
 * result serves every language (`/api/check` in another language diagnoses the report again, `localize-report.ts`).
 *
 * @example
 * ```ts
 * testerCheckOptions(config.tester, { dnsServers: ['127.0.0.1:5353'] });
 * ```
 */
export function testerCheckOptions(settings: TesterConfig, overrides: CheckOptions = {}): CheckOptions {
  const timeoutMs = overrides.timeoutMs ?? settings.timeoutMs;
  return {
    ...(settings.dnsServers.length > 0 ? { dnsServers: [...settings.dnsServers] } : {}),
    ...(settings.allowNetworks.length > 0 ? { allowNetworks: [...settings.allowNetworks] } : {}),
    ...(settings.caPem !== null ? { ca: [settings.caPem] } : {}),
    timeoutMs,
    ...overrides,
    locale: DEFAULT_LOCALE,
  };
}
