// The client settings of a client well-known document: every known key checked, the servers they name asked.

import type { ClientSettingsReport } from '../../check-report/client-settings.js';
import { checkAuthentication } from './authentication.js';
import { checkE2ee } from './e2ee.js';
import { SettingProblems } from './faults.js';
import { checkJitsi } from './jitsi.js';
import { classifyKeys } from './keys.js';
import type { SettingsContext } from './request.js';
import { checkRtc } from './rtc.js';
import { checkTileServer } from './tile-server.js';

export type { SettingsContext } from './request.js';

/**
 * Checks the settings of a client well-known document (an object already read), as current clients read them:
 *
 * - `io.element.e2ee` (deprecated `im.vector.riot.e2ee`): field types and values, fields Element no longer reads,
 *   `default` contradicted by `force_disable`;
 * - `io.element.jitsi` / `im.vector.riot.jitsi`: `preferredDomain` a host whose HTTPS answers with a valid
 *   certificate and serves Jitsi Meet's `external_api.js`;
 * - `org.matrix.msc4143.rtc_foci`: a list of foci; each LiveKit service (the first few) answers the CORS preflight of a
 *   JSON POST to `/get_token` or `/sfu/get`; the homeserver's `/rtc/transports` (MSC4143's current form) is asked
 *   without sign-in and compared when it answers its list;
 * - `org.matrix.msc2965.authentication`: an https issuer whose `/.well-known/openid-configuration` answers with CORS
 *   and names the same issuer, as the homeserver's `/_matrix/client/v1/auth_metadata` (the current form) must;
 * - `m.tile_server` / `org.matrix.msc3488.tile_server`: `map_style_url` serves a MapLibre style with CORS;
 * - any other key: reported as information (allowed); a known key of the wrong JSON type: a warning.
 *
 * Every request goes through `context.transport` (the document check's: DNS, address policy, CA, time limit, signal)
 * and all of them run at once, so the settings take one request's time. Settings never change the discovery verdict.
 * Never rejects for remote faults; rejects when the transport's signal aborts.
 *
 * @example
 * ```ts
 * const settings = await checkClientSettings(document, { transport, origin: CORS_PROBE_ORIGIN, homeserverBase: null });
 * for (const p of settings.problems) console.log(p.severity, p.code, p.message);
 * ```
 */
export async function checkClientSettings(
  document: Readonly<Record<string, unknown>>,
  context: SettingsContext,
): Promise<ClientSettingsReport> {
  // Each part reports into its own list, so that the problems come in a stable order whatever answers first.
  const sinks = Array.from({ length: 6 }, () => new SettingProblems());
  const [keysSink, e2eeSink, jitsiSink, rtcSink, authSink, tileSink] = sinks as [
    SettingProblems,
    SettingProblems,
    SettingProblems,
    SettingProblems,
    SettingProblems,
    SettingProblems,
  ];
  const keys = classifyKeys(document, keysSink);
  const e2ee = checkE2ee(document, e2eeSink);
  const [jitsi, rtc, authentication, tileServer] = await Promise.all([
    checkJitsi(document, context, jitsiSink),
    checkRtc(document, context, rtcSink),
    checkAuthentication(document, context, authSink),
    checkTileServer(document, context, tileSink),
  ]);
  return { keys, e2ee, jitsi, rtc, authentication, tileServer, problems: sinks.flatMap((s) => s.list) };
}
