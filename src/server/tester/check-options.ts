// The checker options of the tester: the config's network settings, then the caller's overrides.

import type { CheckOptions } from '../../checker/types.js';
import type { TesterConfig } from '../config/types.js';

/** The budget of one remote operation (a TLS handshake, one HTTP request) is at most this, and at most a third of the whole check. */
const MAX_OPERATION_TIMEOUT_MS = 10_000;

/**
 * Builds the options of `checkServer` from the tester settings: DNS servers, allowed networks and the extra CA
 * from the config, the resolution budget from `timeoutMs`, and an operation budget of a third of it (at most
 * 10 s) so that resolution, handshake, version and keys fit in roughly one budget. `overrides` (the command
 * line's `--dns-server`, `--allow-network`, `--ca-file`, or a test lab's options) replace the config's values
 * key by key.
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
    operationTimeoutMs: Math.max(1, Math.min(MAX_OPERATION_TIMEOUT_MS, Math.floor(timeoutMs / 3))),
    ...overrides,
  };
}
