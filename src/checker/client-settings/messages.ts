// The words of the client settings check's problems, one message per finding, each a function of named values.

import type { Catalogue } from '../../i18n/index.js';

/**
 * What the client settings check says it found, in English: every message takes its values by name, so that a
 * translation (issue 17) is a second object of the same shape. Values arrive already quoted and bounded.
 */
export const CLIENT_SETTING_MESSAGES = {
  wrongType: (p: { key: string; got: string; expected: string }) =>
    `"${p.key}" is ${p.got}, but clients expect ${p.expected}: they ignore the setting`,
  unknownKeys: (p: { keys: string; count: number; notNamespaced: string }) =>
    `the document has ${p.count === 1 ? 'a key' : `${p.count} keys`} no client this checker knows reads: ${p.keys}` +
    ' (allowed: other applications may read them)' +
    (p.notNamespaced === '' ? '' : `; ${p.notNamespaced} should be namespaced in Java package style, as the spec asks`),
  fieldInvalid: (p: { field: string; got: string; expected: string; missing: boolean }) =>
    p.missing
      ? `"${p.field}" is missing: it must be ${p.expected}`
      : `"${p.field}" is ${p.got}; it must be ${p.expected}`,
  e2eeOlderKeyOnly: (p: { older: string; current: string }) =>
    `the encryption settings are under "${p.older}", the deprecated name; Element still reads it, after "${p.current}"`,
  e2eeBothKeys: (p: { older: string; current: string }) =>
    `both "${p.current}" and "${p.older}" are set, with different values: Element uses "${p.current}" and ignores the other`,
  e2eeRetired: (p: { key: string; fields: string }) =>
    `"${p.key}" sets ${p.fields}, which Element Web no longer reads (it now always recommends setting up recovery); older Element clients may still read them`,
  e2eeContradictory: (p: { key: string }) =>
    `"${p.key}" has "default": true and "force_disable": true: with force_disable Element disables encryption for new rooms and ignores "default"`,
  jitsiUnreachable: (p: { domain: string; detail: string }) =>
    `the Jitsi server ${p.domain} cannot be reached over HTTPS with a valid certificate: ${p.detail}`,
  jitsiNotJitsi: (p: { url: string; status: string }) =>
    `${p.url} answered ${p.status}: Element's Jitsi widget loads this script, so the domain does not serve Jitsi Meet`,
  jitsiKeysDisagree: (p: { current: string; currentDomain: string; older: string; olderDomain: string }) =>
    `"${p.current}" names ${p.currentDomain} and "${p.older}" names ${p.olderDomain}: Element Web uses the first, Element Android only reads the second`,
  livekitUnreachable: (p: { url: string; detail: string }) =>
    `the LiveKit service ${p.url} cannot be reached over HTTPS: ${p.detail}`,
  livekitCors: (p: { url: string; answers: string }) =>
    `the LiveKit service ${p.url} does not answer a browser's CORS preflight for a JSON POST (${p.answers}): Element Call in a browser cannot get a call token`,
  livekitLegacyOnly: (p: { url: string }) =>
    `the LiveKit service ${p.url} answers the preflight of /sfu/get but not of /get_token: it is an older lk-jwt-service; current Element Call asks /get_token (MSC4195) first and falls back to /sfu/get`,
  transportsMissing: (p: { key: string; base: string }) =>
    `"${p.key}" lists LiveKit foci, but the homeserver ${p.base} answers 404 on /_matrix/client/v1/rtc/transports and its unstable MSC4143 form: current Element Call (0.24 and later) reads only the homeserver's list, so it finds no call server`,
  transportsDisagree: (p: { wellKnown: string; homeserver: string }) =>
    `the well-known lists the LiveKit services ${p.wellKnown}, the homeserver's /rtc/transports lists ${p.homeserver}: clients reading one or the other use different call servers`,
  issuerUnreachable: (p: { url: string; detail: string }) =>
    `the issuer's OpenID configuration ${p.url} is not usable: ${p.detail}`,
  issuerMismatch: (p: { url: string; served: string; configured: string }) =>
    `${p.url} says its issuer is ${p.served}, but the well-known names ${p.configured}: OpenID Connect clients refuse a configuration whose issuer differs`,
  issuerCors: (p: { url: string; allowOrigin: string }) =>
    `${p.url} answers without "Access-Control-Allow-Origin: *" (it sent ${p.allowOrigin}): web clients cannot read it`,
  metadataMissing: (p: { key: string; base: string }) =>
    `"${p.key}" names an issuer, but the homeserver ${p.base} answers 404 on /_matrix/client/v1/auth_metadata and its unstable MSC2965 form: current clients sign in with OAuth 2.0 only when the homeserver offers it there`,
  metadataDisagrees: (p: { url: string; served: string; configured: string }) =>
    `the homeserver's ${p.url} names the issuer ${p.served}, the well-known names ${p.configured}`,
  tileServerUnstableKey: (p: { unstable: string; stable: string }) =>
    `the map tile server is under "${p.unstable}", the unstable name of MSC3488; Element reads "${p.stable}" first`,
  tileServerBroken: (p: { url: string; detail: string }) => `the map style ${p.url} is not usable: ${p.detail}`,
  tileServerCors: (p: { url: string; allowOrigin: string }) =>
    `the map style ${p.url} answers without "Access-Control-Allow-Origin: *" (it sent ${p.allowOrigin}): maps in web clients stay blank`,
  // Pieces of the messages above.
  noAnswer: (p: { code: string; detail: string }) => `${p.detail} (${p.code})`,
  status: (p: { status: number }) => `HTTP ${p.status} instead of 200`,
  notJson: 'the answer is not a JSON object',
  notStyle: 'the answer is JSON but not a MapLibre style (no "version": 8 with "sources" and "layers")',
  nothingSent: 'nothing',
  preflightAnswer: (p: { path: string; status: string; missing: string }) =>
    `${p.path}: ${p.status}${p.missing === '' ? '' : `, without ${p.missing}`}`,
} as const satisfies Catalogue;
