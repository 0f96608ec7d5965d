// The client settings a plan writes from its flags: the client document's keys and the homeserver.yaml lines for calls.

import { stringify } from 'yaml';
import { CLIENT_SETTING_KEYS } from '../check-report/client-settings.js';
import { httpsUrlFault, isHostName } from '../check-report/client-settings-values.js';
import { MatrixDelegationError } from '../errors.js';
import { localize } from '../i18n/index.js';
import { PLAN_TEXTS } from './plan-texts.js';
import type { PlanRequest } from './types.js';

/** What the plan adds for the client settings asked. */
export interface PlannedClientSettings {
  /** The keys of `extra_well_known_client_content`, in the forms current clients read. */
  readonly extras: Readonly<Record<string, unknown>>;
  /** homeserver.yaml lines announcing the call server where current Element Call looks for it, or null. */
  readonly synapseLines: string | null;
}

/**
 * The client settings of a plan, each flag checked first so that a mistake names the flag:
 *
 * - `--jitsi-domain` (a host name) becomes `im.vector.riot.jitsi`, the name every Element client reads (Element Web
 *   also reads `io.element.jitsi`, first; Element Android only the older one);
 * - `--e2ee-default` becomes `io.element.e2ee.default`, a JSON boolean;
 * - `--livekit-service-url` (https) becomes `org.matrix.msc4143.rtc_foci` for older clients, and the homeserver's
 *   `matrix_rtc.transports` (with `msc4143_enabled`), the form current Element Call reads (MSC4143).
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` naming the flag for a domain or URL clients could not use.
 * @example
 * ```ts
 * planClientSettings({ serverName: 'example.com', homeserver: 'matrix.example.com', e2eeDefault: true }).extras;
 * // { 'io.element.e2ee': { default: true } }
 * ```
 */
export function planClientSettings(request: PlanRequest): PlannedClientSettings {
  const t = localize(PLAN_TEXTS, request.locale ?? 'en');
  const extras: Record<string, unknown> = {};
  const jitsi = request.jitsiDomain?.trim();
  if (jitsi !== undefined && jitsi !== '') {
    if (!isHostName(jitsi))
      throw new MatrixDelegationError('INVALID_ARGUMENT', t('error.jitsiDomain', { value: jitsi }));
    extras[CLIENT_SETTING_KEYS.jitsi[1]] = { preferredDomain: jitsi };
  }
  if (request.e2eeDefault !== undefined && request.e2eeDefault !== null)
    extras[CLIENT_SETTING_KEYS.e2ee[0]] = { default: request.e2eeDefault };
  const livekit = request.livekitServiceUrl?.trim();
  let synapseLines: string | null = null;
  if (livekit !== undefined && livekit !== '') {
    if (httpsUrlFault(livekit) !== null)
      throw new MatrixDelegationError('INVALID_ARGUMENT', t('error.livekitUrl', { value: livekit }));
    // Element Call appends "/get_token" and "/sfu/get" to the URL as written: a trailing slash would double it.
    const url = livekit.replace(/\/+$/, '');
    const transport = { type: 'livekit', livekit_service_url: url };
    extras[CLIENT_SETTING_KEYS.rtcFoci[0]] = [transport];
    synapseLines = [
      '# MatrixRTC (Element Call): current clients ask the homeserver for its call servers (MSC4143,',
      '# /_matrix/client/v1/rtc/transports); the well-known list is for older ones. Synapse serves it with:',
      stringify(
        { experimental_features: { msc4143_enabled: true }, matrix_rtc: { transports: [transport] } },
        {
          lineWidth: 0,
        },
      ),
    ].join('\n');
  }
  return { extras, synapseLines };
}
