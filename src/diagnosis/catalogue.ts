// The hint catalogue: every hint's stable id, severity, area and title, and when its rule fires.

import { FIELD_HINTS } from './catalogue-field.js';
import type { HintDefinition } from './types.js';

/**
 * Every hint the diagnosis can give, by stable id. Severity: `error` breaks federation (or clients) for some or
 * all servers, `warning` works today but is fragile or against the spec, `info` is worth knowing. Ids never change
 * meaning; the detail and fix of each occurrence carry the concrete values.
 */
export const HINT_CATALOGUE = {
  // --- The server name (spec appendix "Server Name"; resolution steps 1 and 2) ---
  'server-name-invalid': {
    severity: 'error',
    area: 'federation',
    title: 'The server name is not valid',
    when: 'the server name fails the grammar of the spec appendix "Server Name"',
  },
  'server-name-has-port': {
    severity: 'info',
    area: 'federation',
    title: 'The server name has an explicit port, so no delegation is used',
    when: 'the server name is a host name with a port (resolution step 2: the well-known and SRV are skipped)',
  },
  'server-name-ip-literal': {
    severity: 'info',
    area: 'federation',
    title: 'The server name is an IP address',
    when: 'the server name is an IPv4 or IPv6 literal (resolution step 1)',
  },

  // --- DNS ---
  'dns-no-address': {
    severity: 'error',
    area: 'federation',
    title: 'No address to connect to',
    when: 'resolution found no A or AAAA records for the host it had to connect to',
  },
  'dns-lookup-failed': {
    severity: 'error',
    area: 'federation',
    title: 'DNS lookups fail',
    when: 'a DNS question of the resolution failed with SERVFAIL, a timeout or another error (not "no records")',
  },
  'dns-private-address': {
    severity: 'error',
    area: 'federation',
    title: 'Private or reserved addresses are published in DNS',
    when: "an address found in DNS (targets or the server name's own host) is in a range homeservers refuse by default",
  },
  'dns-ipv6-only': {
    severity: 'warning',
    area: 'federation',
    title: 'Only IPv6 addresses: servers without IPv6 cannot connect',
    when: 'every target address is IPv6 and none is IPv4',
  },

  // --- SRV records ---
  'srv-unavailable': {
    severity: 'error',
    area: 'federation',
    title: 'The SRV record says "no service here"',
    when: 'the SRV lookup answered a single record with target "." (RFC 2782: the service is decidedly not available)',
  },
  'srv-target-cname': {
    severity: 'warning',
    area: 'federation',
    title: 'An SRV target is a CNAME',
    when: 'the target of an SRV record that resolution used is an alias (RFC 2782 forbids it; some resolvers fail)',
  },
  'srv-deprecated-only': {
    severity: 'warning',
    area: 'federation',
    title: 'Only the deprecated _matrix._tcp SRV record exists',
    when: 'resolution used `_matrix._tcp` (steps 3.4 / 5) because `_matrix-fed._tcp` has no records',
  },
  'srv-legacy-disagrees': {
    severity: 'warning',
    area: 'federation',
    title: '_matrix-fed._tcp and _matrix._tcp point to different servers',
    when: 'both SRV services have records for the same host and the records differ',
  },
  'srv-ignored-by-well-known': {
    severity: 'warning',
    area: 'federation',
    title: 'The SRV record of the server name is ignored because the well-known delegates',
    when: "the well-known delegates and the server name's host also has SRV records, which resolution never reaches (step 4)",
  },

  // --- The server well-known (resolution step 3) ---
  'well-known-m-server-malformed': {
    severity: 'error',
    area: 'federation',
    title: '"m.server" is not a host name with an optional port',
    when: 'the well-known has an "m.server" string that fails the server-name grammar (a scheme, a path, spaces, ...): spec-following servers fall back, Synapse fails',
  },
  'well-known-html': {
    severity: 'error',
    area: 'federation',
    title: 'The server well-known is an HTML page, not JSON',
    when: "the well-known answered 200 with a body that is HTML (a default page, an app's catch-all route)",
  },
  'well-known-bom': {
    severity: 'error',
    area: 'federation',
    title: 'The server well-known starts with a byte order mark',
    when: 'the well-known body starts with EF BB BF, which JSON forbids and Synapse rejects',
  },
  'well-known-invalid-document': {
    severity: 'error',
    area: 'federation',
    title: 'The server well-known is not a valid document',
    when: 'the well-known answered 200 with bad JSON, a non-object, or no string "m.server" (other than HTML or a BOM)',
  },
  'well-known-too-large': {
    severity: 'error',
    area: 'federation',
    title: 'The server well-known is too large',
    when: 'the body is larger than 50 KiB, the limit Synapse applies',
  },
  'well-known-bad-redirect': {
    severity: 'error',
    area: 'federation',
    title: 'The server well-known redirects to plain http, or in a loop',
    when: 'a redirect goes to plain http (or has no Location), loops, or the chain is longer than 20 hops',
  },
  'well-known-unreachable': {
    severity: 'error',
    area: 'federation',
    title: 'The server well-known cannot be fetched, and federation does not work without it',
    when: 'the well-known fetch failed (DNS, connection, TLS, timeout) and no target address works',
  },
  'well-known-http-status': {
    severity: 'warning',
    area: 'federation',
    title: 'The server well-known answers an unexpected HTTP status',
    when: 'the well-known answered a status other than 200 or 404 (e.g. 403, 500)',
  },
  'well-known-absent': {
    severity: 'info',
    area: 'federation',
    title: 'No server well-known document',
    when: 'the well-known answered 404, there are no SRV records, and no target address works',
  },
  'well-known-wrong-place': {
    severity: 'error',
    area: 'federation',
    title: 'The server well-known is served in the wrong place',
    when: 'the well-known of the server name does not delegate, but a delegating one is served on the federation port, on matrix./www. or on an SRV target',
  },
  'well-known-differs-by-address': {
    severity: 'error',
    area: 'federation',
    title: 'The server well-known differs between the addresses of the server name',
    when: 'fetched from each A/AAAA address of the server name, the well-known gives different answers',
  },
  'well-known-redirect': {
    severity: 'warning',
    area: 'federation',
    title: 'The server well-known is reached through redirects',
    when: 'the well-known fetch followed 301/302/303 redirects',
  },
  'well-known-redirect-308': {
    severity: 'warning',
    area: 'federation',
    title: 'The server well-known uses a 307/308 redirect',
    when: 'the well-known fetch followed a 307 or 308 redirect',
  },
  'well-known-slow': {
    severity: 'warning',
    area: 'federation',
    title: 'The server well-known is slow',
    when: 'the well-known fetch took longer than 2 seconds',
  },
  'well-known-cache-too-long': {
    severity: 'warning',
    area: 'federation',
    title: 'The server well-known asks to be cached for very long',
    when: 'Cache-Control max-age (or Expires) of a delegating well-known is longer than 48 hours',
  },
  'well-known-no-cache': {
    severity: 'warning',
    area: 'federation',
    title: 'The server well-known forbids caching',
    when: 'a delegating well-known is sent with Cache-Control no-store or max-age=0, or an Expires in the past (no-cache alone means "revalidate" and is fine)',
  },
  'well-known-content-type': {
    severity: 'info',
    area: 'federation',
    title: 'The server well-known is not served as application/json',
    when: 'a delegating well-known is served with another Content-Type (servers parse it anyway)',
  },
  'm-server-port-omitted': {
    severity: 'error',
    area: 'federation',
    title: '"m.server" has no port, but the homeserver answers on port 443',
    when: '"m.server" has no port and no SRV records: servers use port 8448, which fails, while port 443 answers the federation API',
  },
  'delegation-missing-for-443': {
    severity: 'error',
    area: 'federation',
    title: 'Federation answers on port 443, but nothing tells other servers',
    when: 'no delegation and no SRV records: servers use port 8448, which fails, while port 443 answers the federation API',
  },
  'm-server-ip-literal': {
    severity: 'info',
    area: 'federation',
    title: '"m.server" is an IP address',
    when: '"m.server" is an IP literal (step 3.1): the certificate must carry that IP address',
  },

  // --- TLS certificates of the target addresses ---
  'tls-expired': {
    severity: 'error',
    area: 'federation',
    title: 'The certificate has expired',
    when: 'an address presents a certificate past its notAfter',
  },
  'tls-not-yet-valid': {
    severity: 'error',
    area: 'federation',
    title: 'The certificate is not valid yet',
    when: 'an address presents a certificate whose notBefore is in the future',
  },
  'tls-self-signed': {
    severity: 'error',
    area: 'federation',
    title: 'The certificate is self-signed',
    when: 'an address presents a self-signed certificate',
  },
  'tls-incomplete-chain': {
    severity: 'error',
    area: 'federation',
    title: 'The certificate chain is incomplete',
    when: 'an address sends its certificate without the intermediate(s)',
  },
  'tls-untrusted': {
    severity: 'error',
    area: 'federation',
    title: 'The certificate is not trusted',
    when: 'an address presents a chain that does not lead to a trusted root (other than the cases above)',
  },
  'tls-wrong-name': {
    severity: 'error',
    area: 'federation',
    title: 'The certificate is for another name',
    when: 'an address presents a certificate not valid for the name servers check (the server name or delegated host)',
  },
  'tls-certificate-for-srv-target': {
    severity: 'error',
    area: 'federation',
    title: 'The certificate names the SRV target, not the server name',
    when: 'an SRV target presents a certificate valid for the target host but not for the name servers check',
  },
  'tls-expires-soon': {
    severity: 'warning',
    area: 'federation',
    title: 'The certificate expires soon',
    when: 'a trusted certificate expires in less than 14 days',
  },
  'tls-handshake-failed': {
    severity: 'error',
    area: 'federation',
    title: 'The TLS handshake fails',
    when: 'an address accepts TCP connections but no TLS handshake completes (plain HTTP, reset, stall)',
  },

  // --- Connectivity and the federation endpoints ---
  'address-unreachable': {
    severity: 'error',
    area: 'federation',
    title: 'An address cannot be reached',
    when: 'connecting to a target address is refused, times out or is unreachable (not explained by an IP family or port hint)',
  },
  'ipv6-unreachable': {
    severity: 'error',
    area: 'federation',
    title: 'AAAA records are published, but IPv6 does not work',
    when: 'every IPv6 target address fails to connect while an IPv4 address connects',
  },
  'ipv4-unreachable': {
    severity: 'error',
    area: 'federation',
    title: 'A records are published, but IPv4 does not work',
    when: 'every IPv4 target address fails to connect while an IPv6 address connects',
  },
  'reverse-proxy-not-forwarding': {
    severity: 'error',
    area: 'federation',
    title: 'The federation API is not forwarded to the homeserver',
    when: 'the version or key endpoint answers 404/405, HTML or non-JSON: a web server answers instead of the homeserver',
  },
  'federation-endpoint-error': {
    severity: 'error',
    area: 'federation',
    title: 'The federation API fails',
    when: 'the version or key endpoint answers a server error, times out or resets',
  },
  'keys-server-name-mismatch': {
    severity: 'error',
    area: 'federation',
    title: 'The homeserver signs its keys for another server name',
    when: "the key response's server_name is not the server name checked",
  },
  'keys-invalid': {
    severity: 'error',
    area: 'federation',
    title: 'The server keys are not valid',
    when: "the key response has expired keys, no ed25519 key, a bad key, a key id outside the spec's grammar or a bad signature",
  },

  // --- What admins meet in the field: CDNs, routers, firewalls, DNS panels, staging CAs, proxies (catalogue-field.ts) ---
  ...FIELD_HINTS,

  // --- /.well-known/matrix/client ---
  'client-well-known-missing': {
    severity: 'info',
    area: 'client',
    title: 'No client well-known document',
    when: 'the client well-known answers 404: clients cannot discover the homeserver from a user ID',
  },
  'client-fetch-failed': {
    severity: 'error',
    area: 'client',
    title: 'The client well-known cannot be fetched',
    when: 'the client well-known fetch failed (DNS, connection, TLS, timeout)',
  },
  'client-http-status': {
    severity: 'error',
    area: 'client',
    title: 'The client well-known answers an unexpected HTTP status',
    when: 'the client well-known answered a status other than 200 or 404',
  },
  'client-html': {
    severity: 'error',
    area: 'client',
    title: 'The client well-known is an HTML page, not JSON',
    when: 'the client well-known answered 200 with an HTML page',
  },
  'client-bom': {
    severity: 'warning',
    area: 'client',
    title: 'The client well-known starts with a byte order mark',
    when: 'the client well-known body starts with EF BB BF',
  },
  'client-invalid-document': {
    severity: 'error',
    area: 'client',
    title: 'The client well-known is not a valid document',
    when: 'the client well-known is empty, not JSON or not an object',
  },
  'client-base-url-missing': {
    severity: 'error',
    area: 'client',
    title: 'The client well-known has no homeserver base URL',
    when: 'the client well-known lacks m.homeserver.base_url',
  },
  'client-base-url-invalid': {
    severity: 'error',
    area: 'client',
    title: 'The homeserver base URL is not a usable https URL',
    when: 'm.homeserver.base_url is not a URL, or uses plain http',
  },
  'client-homeserver-unreachable': {
    severity: 'error',
    area: 'client',
    title: 'The homeserver base URL does not lead to a Matrix client API',
    when: '<base_url>/_matrix/client/versions fails or does not answer a versions list',
  },
  'client-identity-server-broken': {
    severity: 'error',
    area: 'client',
    title: 'The identity server of the client well-known does not work',
    when: 'm.identity_server has no base_url, an invalid one, or /_matrix/identity/v2 fails',
  },
  'client-content-type': {
    severity: 'warning',
    area: 'client',
    title: 'The client well-known is not served as application/json',
    when: 'the client well-known has another Content-Type',
  },
  'client-cors-missing': {
    severity: 'error',
    area: 'client',
    title: 'The client well-known has no CORS header: web clients cannot read it',
    when: 'the client well-known lacks Access-Control-Allow-Origin: *',
  },
  'client-cors-incomplete': {
    severity: 'warning',
    area: 'client',
    title: 'The client well-known has incomplete CORS headers',
    when: 'Access-Control-Allow-Origin is there but the allowed methods or headers are missing some the spec lists',
  },
  'client-preflight-failed': {
    severity: 'warning',
    area: 'client',
    title: 'The client well-known does not answer CORS preflights',
    when: 'an OPTIONS preflight fails, answers non-2xx, or lacks the CORS headers',
  },
  'client-problem': {
    severity: 'warning',
    area: 'client',
    title: 'The client well-known has a problem',
    when: 'the client document check reported a problem this catalogue does not know yet',
  },

  // --- /.well-known/matrix/client: the client settings (issue 21; rules/client-settings.ts) ---
  'client-setting-wrong-type': {
    severity: 'warning',
    area: 'client',
    title: 'A client setting has the wrong JSON type, so clients ignore it',
    when: 'a settings key clients read (io.element.e2ee, a Jitsi key, rtc_foci, the sign-in or tile server key, m.integrations...) is not the JSON type they expect',
  },
  'client-setting-unknown': {
    severity: 'info',
    area: 'client',
    title: 'The client well-known has keys no known client reads',
    when: 'a top-level key besides the base URLs is not one the checker knows (allowed: other applications may read it)',
  },
  'client-e2ee-invalid': {
    severity: 'warning',
    area: 'client',
    title: 'The encryption settings have values clients misread',
    when: 'a field of io.element.e2ee is not a JSON boolean (e.g. the string "false"), or secure_backup_setup_methods lists other values than key and passphrase',
  },
  'client-e2ee-older-key': {
    severity: 'info',
    area: 'client',
    title: 'The encryption settings use the deprecated key',
    when: 'only im.vector.riot.e2ee is set, or both it and io.element.e2ee are set with different values',
  },
  'client-e2ee-retired-settings': {
    severity: 'info',
    area: 'client',
    title: 'Encryption settings Element Web no longer reads',
    when: 'io.element.e2ee sets secure_backup_required or secure_backup_setup_methods, which current Element Web ignores',
  },
  'client-e2ee-contradictory': {
    severity: 'warning',
    area: 'client',
    title: 'Encryption is forced off and on by default at once',
    when: 'io.element.e2ee has "default": true and "force_disable": true',
  },
  'client-jitsi-invalid': {
    severity: 'warning',
    area: 'client',
    title: 'The Jitsi setting is not a usable host name',
    when: 'preferredDomain of io.element.jitsi / im.vector.riot.jitsi is missing or not a host name (a URL, a path), or useFor1To1Calls is not a boolean',
  },
  'client-jitsi-unreachable': {
    severity: 'error',
    area: 'client',
    title: 'The Jitsi server cannot be reached over HTTPS',
    when: 'https://<preferredDomain>/ fails: DNS, connection, TLS or a certificate not valid for the name',
  },
  'client-jitsi-not-jitsi': {
    severity: 'warning',
    area: 'client',
    title: 'The Jitsi domain does not serve Jitsi Meet',
    when: 'https://<preferredDomain>/external_api.js, the script Element loads, does not answer 200',
  },
  'client-jitsi-keys-disagree': {
    severity: 'warning',
    area: 'client',
    title: 'The two Jitsi keys name different servers',
    when: 'io.element.jitsi and im.vector.riot.jitsi are both set with different preferredDomain values',
  },
  'client-rtc-foci-invalid': {
    severity: 'warning',
    area: 'client',
    title: 'The MatrixRTC foci list has invalid entries',
    when: 'an org.matrix.msc4143.rtc_foci entry is not an object, has no type, or a livekit focus has no https livekit_service_url',
  },
  'client-rtc-livekit-unreachable': {
    severity: 'error',
    area: 'client',
    title: 'The LiveKit service for calls cannot be reached',
    when: 'both token endpoints of a livekit_service_url fail at DNS, connection or TLS',
  },
  'client-rtc-livekit-cors': {
    severity: 'error',
    area: 'client',
    title: 'The LiveKit service does not allow calls from web clients (CORS)',
    when: 'neither <livekit_service_url>/get_token nor /sfu/get answers a CORS preflight for a JSON POST with 2xx, Allow-Origin and Allow-Headers: Content-Type',
  },
  'client-rtc-livekit-legacy-only': {
    severity: 'info',
    area: 'client',
    title: 'The LiveKit service only has the older token endpoint',
    when: '<livekit_service_url>/sfu/get answers the preflight but /get_token (MSC4195) does not',
  },
  'client-rtc-transports-missing': {
    severity: 'warning',
    area: 'client',
    title: 'The homeserver does not announce the call servers the well-known lists',
    when: 'rtc_foci lists LiveKit foci but the homeserver answers 404 on /_matrix/client/v1/rtc/transports and its unstable MSC4143 form',
  },
  'client-rtc-transports-disagree': {
    severity: 'warning',
    area: 'client',
    title: 'The well-known and the homeserver list different call servers',
    when: "the homeserver's /rtc/transports answers a list whose LiveKit services differ from rtc_foci's",
  },
  'client-auth-invalid': {
    severity: 'warning',
    area: 'client',
    title: 'The sign-in (OIDC) setting is not valid',
    when: 'org.matrix.msc2965.authentication has no issuer, or its issuer or account is not an https URL (an issuer without query or fragment)',
  },
  'client-auth-issuer-unreachable': {
    severity: 'warning',
    area: 'client',
    title: "The sign-in provider's OpenID configuration cannot be read",
    when: '<issuer>/.well-known/openid-configuration fails, does not answer 200, or is not a JSON object',
  },
  'client-auth-issuer-mismatch': {
    severity: 'warning',
    area: 'client',
    title: 'The sign-in provider names another issuer than the well-known',
    when: "the issuer of the provider's OpenID configuration differs from the well-known's issuer",
  },
  'client-auth-issuer-cors': {
    severity: 'warning',
    area: 'client',
    title: "The sign-in provider's configuration has no CORS header",
    when: '<issuer>/.well-known/openid-configuration answers without Access-Control-Allow-Origin: *',
  },
  'client-auth-metadata-missing': {
    severity: 'warning',
    area: 'client',
    title: 'The well-known names a sign-in provider the homeserver does not announce',
    when: 'org.matrix.msc2965.authentication is set but the homeserver answers 404 on /_matrix/client/v1/auth_metadata and its unstable form',
  },
  'client-auth-metadata-disagrees': {
    severity: 'warning',
    area: 'client',
    title: 'The homeserver and the well-known name different sign-in providers',
    when: "the issuer of the homeserver's auth_metadata differs from the well-known's issuer",
  },
  'client-tile-server-invalid': {
    severity: 'warning',
    area: 'client',
    title: 'The map tile server setting is not valid',
    when: 'm.tile_server has no map_style_url, or it is not an https URL',
  },
  'client-tile-server-broken': {
    severity: 'warning',
    area: 'client',
    title: 'The map style of the tile server cannot be loaded',
    when: 'map_style_url fails, does not answer 200, or does not answer a MapLibre style JSON',
  },
  'client-tile-server-cors': {
    severity: 'warning',
    area: 'client',
    title: 'The map style has no CORS header: maps stay blank in web clients',
    when: 'map_style_url answers 200 without Access-Control-Allow-Origin: *',
  },
  'client-tile-server-unstable-key': {
    severity: 'info',
    area: 'client',
    title: 'The map tile server uses the unstable key',
    when: 'only org.matrix.msc3488.tile_server is set, not m.tile_server',
  },

  // --- /.well-known/matrix/support ---
  'support-fetch-failed': {
    severity: 'warning',
    area: 'support',
    title: 'The support well-known cannot be fetched',
    when: 'the support well-known fetch failed (DNS, connection, TLS, timeout)',
  },
  'support-http-status': {
    severity: 'warning',
    area: 'support',
    title: 'The support well-known answers an unexpected HTTP status',
    when: 'the support well-known answered a status other than 200 or 404',
  },
  'support-html': {
    severity: 'error',
    area: 'support',
    title: 'The support well-known is an HTML page, not JSON',
    when: 'the support well-known answered 200 with an HTML page',
  },
  'support-bom': {
    severity: 'warning',
    area: 'support',
    title: 'The support well-known starts with a byte order mark',
    when: 'the support well-known body starts with EF BB BF',
  },
  'support-invalid-document': {
    severity: 'error',
    area: 'support',
    title: 'The support well-known is not a valid document',
    when: 'the support well-known is empty, not JSON, not an object, or has neither contacts nor a support page',
  },
  'support-contact-invalid': {
    severity: 'error',
    area: 'support',
    title: 'A support contact is not valid',
    when: 'a contact lacks a role, has an invalid role, or has no valid matrix_id / email_address',
  },
  'support-role-not-namespaced': {
    severity: 'warning',
    area: 'support',
    title: 'A support contact role is not namespaced',
    when: 'a custom role has no reversed-domain prefix',
  },
  'support-page-invalid': {
    severity: 'error',
    area: 'support',
    title: 'The support page is not a URL',
    when: 'support_page is not an http(s) URL string',
  },
  'support-page-not-https': {
    severity: 'warning',
    area: 'support',
    title: 'The support page uses plain http',
    when: 'support_page is an http:// URL',
  },
  'support-content-type': {
    severity: 'warning',
    area: 'support',
    title: 'The support well-known is not served as application/json',
    when: 'the support well-known has another Content-Type',
  },
  'support-cors-missing': {
    severity: 'warning',
    area: 'support',
    title: 'The support well-known has no CORS header',
    when: 'the support well-known lacks Access-Control-Allow-Origin: *',
  },
  'support-problem': {
    severity: 'warning',
    area: 'support',
    title: 'The support well-known has a problem',
    when: 'the support document check reported a problem this catalogue does not know yet',
  },
} as const satisfies Readonly<Record<string, HintDefinition>>;

/** The id of a hint of the catalogue. */
export type HintId = keyof typeof HINT_CATALOGUE;

/** Every hint id, in catalogue order (the order ties are broken in). */
export const HINT_IDS: readonly HintId[] = Object.freeze(Object.keys(HINT_CATALOGUE) as HintId[]);
