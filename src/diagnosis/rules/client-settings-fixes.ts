// The fixes of the client settings hints, one message per hint id, each a function of named values.

import type { Catalogue } from '../../i18n/index.js';

/** Example values the fixes show when the report has no better one. */
const EXAMPLES = {
  livekit: 'https://matrix-rtc.example.com/livekit/jwt',
  issuer: 'https://account.example.com/',
  style: 'https://tiles.example.com/style.json',
  jitsi: 'jitsi.example.com',
} as const satisfies Catalogue;

/**
 * What to change for each client settings hint, in English: every message takes its values by name (already
 * quoted where they are remote), so that a translation (issue 17) is a second object of the same shape. Each fix
 * says which form of the setting is current where clients moved between forms.
 */
export const CLIENT_SETTING_FIXES = {
  'client-setting-wrong-type': () =>
    'Give each setting the JSON type clients read: an object for "io.element.e2ee", "io.element.jitsi" / "im.vector.riot.jitsi", ' +
    '"org.matrix.msc2965.authentication", "m.tile_server" and "m.integrations", a list for "org.matrix.msc4143.rtc_foci", ' +
    'e.g. "io.element.e2ee": {"default": true} rather than "io.element.e2ee": true.',
  'client-setting-unknown': () =>
    'Nothing to do if another application reads them. If one was meant for a client, check its spelling against the names ' +
    'clients read today: "io.element.e2ee", "io.element.jitsi" or "im.vector.riot.jitsi", "org.matrix.msc4143.rtc_foci", ' +
    '"org.matrix.msc2965.authentication", "m.tile_server"; and namespace your own keys (e.g. "com.example.setting").',
  'client-e2ee-invalid': (p: { key: string }) =>
    `Write the fields of "${p.key}" as JSON booleans, e.g. {"default": false}: Element only turns default encryption off ` +
    'for the boolean false, so the string "false" leaves it on. "secure_backup_setup_methods" is a list of "key" and/or ' +
    '"passphrase". In a matrix-delegation or Synapse YAML file write false, not no or "false".',
  'client-e2ee-older-key': () =>
    'Rename "im.vector.riot.e2ee" to "io.element.e2ee", the current name (Element reads the old one only when the new one ' +
    'is absent), and keep one of the two, or give both the same value.',
  'client-e2ee-retired-settings': (p: { key: string; fields: string }) =>
    `Remove ${p.fields} from "${p.key}" unless older Element clients still need them: current Element Web ignores them ` +
    'and recommends setting up recovery to everyone.',
  'client-e2ee-contradictory': (p: { key: string }) =>
    `Choose one in "${p.key}": remove "force_disable" to let people encrypt new rooms ("default" then decides the default), ` +
    'or remove "default", which has no effect while "force_disable" is true.',
  'client-jitsi-invalid': (p: { key: string }) =>
    `Give only the host name of your Jitsi Meet server: "${p.key}": {"preferredDomain": "${EXAMPLES.jitsi}"}, without ` +
    'https:// or a path; "useFor1To1Calls" is true or false.',
  'client-jitsi-unreachable': (p: { domain: string }) =>
    `Make https://${p.domain}/ answer on port 443 with a certificate valid for ${p.domain} (e.g. from certbot), or correct ` +
    '"preferredDomain". Without a usable Jitsi server, conference calls in Element fail.',
  'client-jitsi-not-jitsi': (p: { domain: string }) =>
    `Set "preferredDomain" to the host that serves Jitsi Meet (it answers https://<host>/external_api.js), not ` +
    `${p.domain}, or install Jitsi Meet there.`,
  'client-jitsi-keys-disagree': () =>
    'Give "io.element.jitsi" and "im.vector.riot.jitsi" the same "preferredDomain", or keep only "im.vector.riot.jitsi": ' +
    'every Element client reads it (Element Web reads the newer "io.element.jitsi" first, Element Android only the older one).',
  'client-rtc-foci-invalid': () =>
    `Write it as a list of foci, each with a "type": "org.matrix.msc4143.rtc_foci": [{"type": "livekit", ` +
    `"livekit_service_url": "${EXAMPLES.livekit}"}], a LiveKit focus with the https base URL of its lk-jwt-service. ` +
    "The current form is the homeserver's list (Synapse: matrix_rtc.transports); the well-known list is for older clients.",
  'client-rtc-livekit-unreachable': (p: { url: string }) =>
    `Make ${p.url} reachable over HTTPS with a certificate valid for its host (the reverse proxy in front of ` +
    'lk-jwt-service), or correct "livekit_service_url".',
  'client-rtc-livekit-cors': (p: { url: string }) =>
    `Let the preflights reach lk-jwt-service, which answers them itself: route OPTIONS and POST of ${p.url}/get_token and ` +
    '/sfu/get to it unchanged (no redirect, no 404 or 405 from the proxy, no trailing slash in "livekit_service_url"), ' +
    'or have the proxy answer OPTIONS with 204 and Access-Control-Allow-Origin: *, Access-Control-Allow-Methods: POST, ' +
    'OPTIONS, Access-Control-Allow-Headers: Content-Type, Authorization.',
  'client-rtc-livekit-legacy-only': (p: { url: string }) =>
    `Upgrade lk-jwt-service to a version with /get_token (MSC4195, what current Element Call asks first) and route ` +
    `${p.url}/get_token to it; older Element Call versions keep using /sfu/get.`,
  'client-rtc-transports-missing': (p: { url: string }) =>
    "Announce the call server on the homeserver too, the current form (MSC4143): in Synapse's homeserver.yaml set " +
    `experimental_features: {msc4143_enabled: true} and matrix_rtc: {transports: [{type: livekit, livekit_service_url: ` +
    `${p.url}}]}, then restart Synapse. Keep the well-known list for older clients.`,
  'client-rtc-transports-disagree': () =>
    "List the same LiveKit services in both places: the homeserver's transports (Synapse: matrix_rtc.transports), which " +
    'current clients read, and "org.matrix.msc4143.rtc_foci", which older clients read.',
  'client-auth-invalid': (p: { key: string }) =>
    `Write it as "${p.key}": {"issuer": "${EXAMPLES.issuer}", "account": "${EXAMPLES.issuer}account/"} with your OpenID ` +
    "provider's issuer (https, no query or fragment). It is MSC2965's first form: current clients read the homeserver's " +
    '/_matrix/client/v1/auth_metadata, which Synapse serves with matrix-authentication-service configured.',
  'client-auth-issuer-unreachable': (p: { url: string }) =>
    `Make ${p.url} answer 200 with the provider's JSON configuration (matrix-authentication-service serves it under its ` +
    'public base URL), or set "issuer" to the issuer identifier the provider uses.',
  'client-auth-issuer-mismatch': (p: { served: string }) =>
    `Set "issuer" to exactly the issuer the provider names, ${p.served} (for matrix-authentication-service: its ` +
    'http.public_base), and keep the trailing slash as the provider writes it.',
  'client-auth-issuer-cors': (p: { url: string }) =>
    `Send Access-Control-Allow-Origin: * with ${p.url} (matrix-authentication-service does; a reverse proxy in front must ` +
    'pass it on), so that web clients can read it.',
  'client-auth-metadata-missing': (p: { key: string }) =>
    "Current clients find the sign-in provider at the homeserver's GET /_matrix/client/v1/auth_metadata (spec v1.15; the " +
    `well-known "${p.key}" is MSC2965's first form): enable it on the homeserver (Synapse 1.136 or later: the ` +
    `matrix_authentication_service section), or remove "${p.key}" if the homeserver does not use that provider.`,
  'client-auth-metadata-disagrees': (p: { served: string }) =>
    `Make the well-known's "issuer" the one the homeserver announces, ${p.served}: clients that read the well-known ` +
    'would otherwise sign in at another provider than current ones.',
  'client-tile-server-invalid': () =>
    `Write it as "m.tile_server": {"map_style_url": "${EXAMPLES.style}"}, the https URL of a MapLibre style.`,
  'client-tile-server-broken': (p: { url: string }) =>
    `Make ${p.url} answer 200 with the style JSON ({"version": 8, "sources": {...}, "layers": [...]}), or point ` +
    '"map_style_url" at a style that does.',
  'client-tile-server-cors': (p: { url: string }) =>
    `Send Access-Control-Allow-Origin: * with ${p.url}, and with the tiles, sprites and fonts it names: the map library ` +
    'fetches them from the page.',
  'client-tile-server-unstable-key': () =>
    'Rename "org.matrix.msc3488.tile_server" to "m.tile_server", the name Element reads first, or serve both with the same value.',
} as const satisfies Catalogue;
