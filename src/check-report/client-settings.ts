// The report of the client settings in /.well-known/matrix/client: E2EE, Jitsi, MatrixRTC, sign-in, maps, other keys.

import type { ErrorCode } from '../errors.js';
import type { DocumentProblem } from './problem.js';

/**
 * The settings keys clients read from the client well-known document besides `m.homeserver` and
 * `m.identity_server` (client-server API "Well-known URIs": any namespaced key is allowed), the current name first
 * and the older names clients still read after it. Sources: Element Web `src/utils/WellKnownUtils.ts` and
 * `src/widgets/Jitsi.ts`, its `docs/e2ee.md`; MSC4143 (MatrixRTC), MSC2965 (OAuth 2.0 discovery), MSC3488 (maps).
 */
export const CLIENT_SETTING_KEYS = Object.freeze({
  /** Default encryption of new rooms; `im.vector.riot.e2ee` is the deprecated name Element still reads second. */
  e2ee: Object.freeze(['io.element.e2ee', 'im.vector.riot.e2ee'] as const),
  /**
   * The Jitsi server for conferences. Element Web reads `io.element.jitsi` first and `im.vector.riot.jitsi` after
   * it; the older name is the one every Element client reads (Element Android reads no other).
   */
  jitsi: Object.freeze(['io.element.jitsi', 'im.vector.riot.jitsi'] as const),
  /**
   * MatrixRTC foci (Element Call's LiveKit SFU), MSC4143's first form. Its current form is the homeserver's
   * `GET /_matrix/client/v1/rtc/transports` (unstable `/_matrix/client/unstable/org.matrix.msc4143/rtc/transports`).
   */
  rtcFoci: Object.freeze(['org.matrix.msc4143.rtc_foci'] as const),
  /**
   * The OAuth 2.0 / OIDC issuer, MSC2965's first form (`m.authentication` its never-specified stable name). The
   * current form is the homeserver's `GET /_matrix/client/v1/auth_metadata` (spec v1.15).
   */
  authentication: Object.freeze(['org.matrix.msc2965.authentication', 'm.authentication'] as const),
  /** The map tile server for location sharing (MSC3488): the stable name first, the unstable one after it. */
  tileServer: Object.freeze(['m.tile_server', 'org.matrix.msc3488.tile_server'] as const),
});

/**
 * Other keys current clients are known to read, which the check recognises by name (an object each) without
 * checking their content: the integration managers of MSC1957, Element's call widget and embedded pages.
 */
export const OTHER_KNOWN_CLIENT_KEYS: readonly string[] = Object.freeze([
  'm.integrations',
  'io.element.call_behaviour',
  'io.element.embedded_pages',
]);

/** The values the `secure_backup_setup_methods` of `io.element.e2ee` may list. */
export const SECURE_BACKUP_SETUP_METHODS: readonly string[] = Object.freeze(['key', 'passphrase']);

/** What can be found about the client settings; each code is a hint of the catalogue (`client-…`, kebab case). */
export type ClientSettingProblemCode =
  | 'CLIENT_SETTING_WRONG_TYPE'
  | 'CLIENT_SETTING_UNKNOWN'
  | 'CLIENT_E2EE_INVALID'
  | 'CLIENT_E2EE_OLDER_KEY'
  | 'CLIENT_E2EE_RETIRED_SETTINGS'
  | 'CLIENT_E2EE_CONTRADICTORY'
  | 'CLIENT_JITSI_INVALID'
  | 'CLIENT_JITSI_UNREACHABLE'
  | 'CLIENT_JITSI_NOT_JITSI'
  | 'CLIENT_JITSI_KEYS_DISAGREE'
  | 'CLIENT_RTC_FOCI_INVALID'
  | 'CLIENT_RTC_LIVEKIT_UNREACHABLE'
  | 'CLIENT_RTC_LIVEKIT_CORS'
  | 'CLIENT_RTC_LIVEKIT_LEGACY_ONLY'
  | 'CLIENT_RTC_TRANSPORTS_MISSING'
  | 'CLIENT_RTC_TRANSPORTS_DISAGREE'
  | 'CLIENT_AUTH_INVALID'
  | 'CLIENT_AUTH_ISSUER_UNREACHABLE'
  | 'CLIENT_AUTH_ISSUER_MISMATCH'
  | 'CLIENT_AUTH_ISSUER_CORS'
  | 'CLIENT_AUTH_METADATA_MISSING'
  | 'CLIENT_AUTH_METADATA_DISAGREES'
  | 'CLIENT_TILE_SERVER_INVALID'
  | 'CLIENT_TILE_SERVER_BROKEN'
  | 'CLIENT_TILE_SERVER_CORS'
  | 'CLIENT_TILE_SERVER_UNSTABLE_KEY';

/** A problem of the client settings. */
export type ClientSettingProblem = DocumentProblem<ClientSettingProblemCode>;

/** One request made for a setting (a Jitsi page, a LiveKit preflight, an OpenID configuration, a map style). */
export interface SettingRequest {
  /** The URL requested (after redirects: the last one). */
  readonly url: string;
  /** `GET`, or `OPTIONS` for a CORS preflight. */
  readonly method: 'GET' | 'OPTIONS';
  /** The status of the (last) answer, or null when none came. */
  readonly httpStatus: number | null;
  /** `Access-Control-Allow-Origin` as answered, or null. */
  readonly allowOrigin: string | null;
  /** Why no usable answer came (DNS, connection, TLS, timeout, too large), or null. */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
}

/** One top-level key of the document other than `m.homeserver` and `m.identity_server`. */
export interface ClientSettingKey {
  readonly name: string;
  /** The JSON type of its value: `object`, `array`, `string`, `number`, `boolean` or `null`. */
  readonly type: string;
  /** A key clients are known to read (see `CLIENT_SETTING_KEYS`, `OTHER_KNOWN_CLIENT_KEYS`). */
  readonly known: boolean;
}

/** `io.element.e2ee` (or its older name) as clients read it; a field of the wrong type is null. */
export interface E2eeSettingReport {
  /** The key clients use: the current name when it is there, else the older one. */
  readonly key: string;
  readonly default: boolean | null;
  readonly forceDisable: boolean | null;
  readonly secureBackupRequired: boolean | null;
  readonly secureBackupSetupMethods: readonly string[] | null;
}

/** The Jitsi setting and the check of its server. */
export interface JitsiSettingReport {
  readonly key: string;
  readonly preferredDomain: string | null;
  readonly useFor1To1Calls: boolean | null;
  /** `GET https://<preferredDomain>/external_api.js`, the script Element's Jitsi widget loads; null when not asked. */
  readonly request: SettingRequest | null;
}

/** One entry of `org.matrix.msc4143.rtc_foci`. */
export interface RtcFocusReport {
  readonly index: number;
  readonly type: string | null;
  readonly livekitServiceUrl: string | null;
  /**
   * The CORS preflights of a LiveKit focus, as Element Call's browser would send them (POST with a JSON body):
   * `<livekit_service_url>/get_token` (MSC4195, current) and `/sfu/get` (the older endpoint). Empty when not asked.
   */
  readonly preflights: readonly SettingRequest[];
}

/** How the homeserver answered `GET /_matrix/client/{v1,unstable/org.matrix.msc4143}/rtc/transports` without sign-in. */
export type RtcTransportsStatus =
  /** It answered its list (some homeservers do without an access token). */
  | 'listed'
  /** It asks for an access token (401/403): the endpoint exists, its list needs a signed-in user. */
  | 'needs-sign-in'
  /** 404 (or 400/405) on both paths: the homeserver does not offer MatrixRTC transports. */
  | 'not-offered'
  /** No usable answer (network, another status). */
  | 'failed';

/** The homeserver's MatrixRTC transports (MSC4143's current form of the foci). */
export interface RtcTransportsReport {
  readonly status: RtcTransportsStatus;
  /** The endpoint whose answer decided the status (v1 first, then the unstable one). */
  readonly url: string;
  readonly httpStatus: number | null;
  /** The `livekit_service_url` of every `livekit` transport listed; null unless `listed`. */
  readonly livekitServiceUrls: readonly string[] | null;
  /** Types of every transport listed; null unless `listed`. */
  readonly types: readonly string[] | null;
}

/** `org.matrix.msc4143.rtc_foci` and the homeserver's own list. */
export interface RtcSettingReport {
  readonly key: string;
  /** The foci checked (the first few). */
  readonly foci: readonly RtcFocusReport[];
  /** How many entries the list has. */
  readonly count: number;
  /** The homeserver's transports; null when the homeserver base URL is unusable. */
  readonly homeserver: RtcTransportsReport | null;
}

/** `org.matrix.msc2965.authentication`, the issuer's OpenID configuration and the homeserver's auth metadata. */
export interface AuthSettingReport {
  readonly key: string;
  readonly issuer: string | null;
  readonly account: string | null;
  /** `GET <issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4); null when not asked. */
  readonly openidConfiguration: (SettingRequest & { readonly issuer: string | null }) | null;
  /**
   * `GET <base_url>/_matrix/client/v1/auth_metadata` (or its unstable MSC2965 form); null when the homeserver base
   * URL is unusable. `offered` is false when both answered 404 (or 400/405).
   */
  readonly authMetadata: {
    readonly url: string;
    readonly httpStatus: number | null;
    readonly offered: boolean | null;
    readonly issuer: string | null;
  } | null;
}

/** `m.tile_server` (or its unstable name) and its map style. */
export interface TileServerSettingReport {
  readonly key: string;
  readonly mapStyleUrl: string | null;
  /** `GET <map_style_url>`; null when not asked. */
  readonly style: SettingRequest | null;
}

/**
 * The client settings of the document: every key besides `m.homeserver` and `m.identity_server`, what the known ones
 * say, the checks of the servers they name, and the problems found. Settings never change the discovery verdict.
 */
export interface ClientSettingsReport {
  readonly keys: readonly ClientSettingKey[];
  readonly e2ee: E2eeSettingReport | null;
  readonly jitsi: JitsiSettingReport | null;
  readonly rtc: RtcSettingReport | null;
  readonly authentication: AuthSettingReport | null;
  readonly tileServer: TileServerSettingReport | null;
  readonly problems: readonly ClientSettingProblem[];
}
