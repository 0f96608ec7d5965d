// The checker options of the tester: the config's network settings, then the caller's overrides.

import type { CheckOptions } from '../../checker/types.js';
import type { TesterConfig } from '../../config/types.js';

/**
 * Builds the options of `checkServer` from the tester settings: DNS servers, allowed networks and the extra CA
 * from the config, and `timeoutMs` as the budget of the whole check (the checker shares it out between the
 * resolution and each operation, and reports within it: see `checkServer`). `overrides` (the command line's
 * `--dns-server`, `--allow-network`, `--ca-file`, or a test lab's options) replace the config's values key by key.
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
  };
}
