// The catalogues of the certificate, endpoint, document and client settings hints (issue 17): complete in zh-CN, and
// the checks' English problem sentences read back and said again in Chinese with the same values.

import { describe, expect, it } from 'vitest';
import {
  authenticationFaults,
  e2eeFaults,
  jitsiFaults,
  rtcFociFaults,
  tileServerFaults,
} from '../../src/check-report/client-settings-values.js';
import type { ClientSettingProblemCode } from '../../src/check-report/index.js';
import { SettingProblems, describeJson, reportFaults } from '../../src/checker/client-settings/faults.js';
import { classifyKeys } from '../../src/checker/client-settings/keys.js';
import { CLIENT_SETTING_MESSAGES as M } from '../../src/checker/client-settings/messages.js';
import { quote } from '../../src/checker/client-settings/request.js';
import { CLIENT_SETTING_FIX_TEXTS } from '../../src/diagnosis/rules/client-settings-fixes.js';
import {
  CLIENT_SETTING_HINT_TEXTS,
  CLIENT_SETTING_PROBLEM_TEXTS,
  readClientSettingProblem,
} from '../../src/diagnosis/rules/client-settings-texts.js';
import { CLIENT_PROBLEM_TEXTS, SUPPORT_PROBLEM_TEXTS } from '../../src/diagnosis/rules/document-problems-texts.js';
import { DOCUMENT_TEXTS } from '../../src/diagnosis/rules/documents-texts.js';
import { ENDPOINT_ANSWER_TEXTS, ENDPOINT_TEXTS } from '../../src/diagnosis/rules/endpoints-texts.js';
import { sayAgain, sentenceReader } from '../../src/diagnosis/rules/read-back.js';
import { TLS_TEXTS, TRUST_PROBLEM_TEXTS, readTrustProblem } from '../../src/diagnosis/rules/tls-texts.js';
import { trustProblem } from '../../src/checker/trust-problem.js';
import { checkTranslations, type MessageExamples } from '../../src/i18n/index.js';

// Every value distinct, so that each stands for one placeholder (checkTranslations looks for each in both languages).
// Values a language says in its own words (a JSON type, what a setting expects) are shorter than 3 characters: the
// completeness check does not look for them; the read-back tests below check their words.
const ADDRESS = '192.0.2.10:8448 (matrix.example.org)';

const TLS_EXAMPLES: MessageExamples<(typeof TLS_TEXTS)['en']> = {
  items: { items: ['first.item.example', 'second.item.example'] },
  'leaf.names': {
    names: 'leaf.example.org',
    issuer: 'Example Issuing CA',
    from: '2025-01-01T00:00:00.000Z',
    to: '2025-04-01T00:00:00.000Z',
  },
  'leaf.commonName': {
    commonName: 'cn.example.org',
    issuer: 'Example Issuing CA',
    from: '2025-01-01T00:00:00.000Z',
    to: '2025-04-01T00:00:00.000Z',
  },
  'trust.item': { address: ADDRESS, leaf: 'LEAF WORDS', problem: 'certificate has expired' },
  'tls-expired.fix': { names: 'hs.example.org', addresses: ADDRESS },
  'tls-not-yet-valid.fix': { names: 'hs.example.org' },
  'tls-self-signed.fix': { names: 'hs.example.org and hs2.example.org', first: 'hs.example.org' },
  'tls-incomplete-chain.fix': { addresses: ADDRESS },
  'tls-untrusted.fix': { names: 'hs.example.org', addresses: ADDRESS },
  'tls-wrong-name.item': { address: ADDRESS, has: 'other.example.net', name: 'hs.example.org', why: 'WHY WORDS' },
  'tls-wrong-name.itemNoName': { address: ADDRESS, name: 'hs.example.org', why: 'WHY WORDS' },
  'tls-wrong-name.fix': { names: 'hs.example.org', first: 'first.example.org', addresses: '192.0.2.10:8448' },
  'tls-wrong-name.fixSni': {
    names: 'hs.example.org',
    first: 'first.example.org',
    addresses: '192.0.2.10:8448',
    snis: 'sni.example.org',
  },
  'tls-certificate-for-srv-target.detail': {
    srv: '_matrix-fed._tcp.example.org',
    target: 'backend.example.net',
    port: '8448',
    address: ADDRESS,
    names: 'backend.example.net',
    name: 'example.org',
  },
  'tls-certificate-for-srv-target.fix': { name: 'example.org', target: 'backend.example.net', port: '8448' },
  'tls-expires-soon.item': { address: ADDRESS, days: 3, date: '2025-04-01T00:00:00.000Z' },
  'tls-handshake-failed.item': { address: ADDRESS, code: 'TLS_ERROR', message: 'wrong version number' },
  'tls-handshake-failed.fix': { ports: '8448' },
};

const FAILURES = ['[2001:db8::1]:8448: CONNECT_REFUSED (connect ECONNREFUSED)'];
const ENDPOINT_EXAMPLES: MessageExamples<(typeof ENDPOINT_TEXTS)['en']> = {
  failure: { address: ADDRESS, code: 'CONNECT_TIMEOUT', message: 'connect ETIMEDOUT 192.0.2.10:8448' },
  'ipv6-unreachable.detail': { failures: FAILURES, connected: '192.0.2.10:8448' },
  'ipv6-unreachable.fix': { ports: '8448 and 8449', port: '8448', hosts: 'hs.example.org' },
  'ipv4-unreachable.detail': { failures: FAILURES, connected: '[2001:db8::1]:8448' },
  'ipv4-unreachable.fix': { ports: '8448', hosts: 'hs.example.org' },
  'address-unreachable.detail.only': { failures: FAILURES },
  'address-unreachable.detail.every': { failures: FAILURES },
  'address-unreachable.detail.some': { failed: 1, total: 2, failures: FAILURES },
  'address-unreachable.refused': { ports: '8448 and 8449', ips: '192.0.2.10', port: '8448' },
  'address-unreachable.timeout': { ports: '8448' },
  advice: { items: ['Open port 8448', 'then reload'] },
  'reverse-proxy-not-forwarding.version': { address: ADDRESS, host: 'hs.example.org:8448', status: '404' },
  'reverse-proxy-not-forwarding.versionTyped': {
    address: ADDRESS,
    host: 'hs.example.org:8448',
    status: '404',
    contentType: 'text/html',
  },
  'reverse-proxy-not-forwarding.keys': { address: ADDRESS, host: 'hs.example.org:8448', status: '405' },
  'reverse-proxy-not-forwarding.detail': { misses: ['first miss', 'second miss'] },
  'reverse-proxy-not-forwarding.fix': { host: 'hs.example.org', port: '8448', hostHeader: 'hs.example.org:8448' },
  'federation-endpoint-error.version': { address: ADDRESS, error: 'HTTP 502' },
  'federation-endpoint-error.keys': { address: ADDRESS, error: 'request timed out' },
  'federation-endpoint-error.detail': { items: ['first error', 'second error'] },
  'keys-server-name-mismatch.whyDelegated': { claimed: 'hs.example.org' },
  'keys-server-name-mismatch.whySrv': { claimed: 'hs.example.org' },
  'keys-server-name-mismatch.whyConnected': { claimed: 'hs.example.org' },
  'keys-server-name-mismatch.detail': {
    addresses: ADDRESS,
    count: 1,
    claimed: 'hs.example.org',
    serverName: 'example.org',
    why: 'WHY WORDS',
  },
  'keys-server-name-mismatch.fix': { serverName: 'example.org', claimed: 'hs.example.org' },
  'keys-server-name-mismatch.fixDelegates': { serverName: 'example.org', claimed: 'hs.example.org' },
  'keys-invalid.item': { address: ADDRESS, problems: ['valid_until_ts is in the past', 'bad signature'] },
  'keys-invalid.detail': { items: ['first item', 'second item'] },
};

const DOCUMENT = '{"m.homeserver": {"base_url": "https://hs.example.org"}}';
const WELL_KNOWN = 'https://example.org/.well-known/matrix/client';
const SUPPORT = '{"contacts": [{"matrix_id": "@admin:example.org", "role": "m.role.admin"}]}';
const DOCUMENT_EXAMPLES: MessageExamples<(typeof DOCUMENT_TEXTS)['en']> = {
  detail: { sentences: ['first sentence', 'second sentence'] },
  'client-well-known-missing': { document: DOCUMENT, url: WELL_KNOWN },
  'client-fetch-failed': { document: DOCUMENT, url: WELL_KNOWN },
  'client-http-status': { document: DOCUMENT, url: WELL_KNOWN },
  'client-html': { document: DOCUMENT },
  'client-invalid-document': { document: DOCUMENT, url: WELL_KNOWN },
  'client-base-url-missing': { document: DOCUMENT },
  'client-base-url-invalid': { document: DOCUMENT },
  'client-homeserver-unreachable': { base: 'https://hs.example.org' },
  'client-cors': { url: WELL_KNOWN },
  'client-preflight-failed': { url: WELL_KNOWN },
  'support-fetch-failed': { url: 'https://example.org/.well-known/matrix/support' },
  'support-http-status': { url: 'https://example.org/.well-known/matrix/support' },
  'support-html': { example: SUPPORT },
  'support-invalid-document': { example: SUPPORT },
  'support-contact-invalid': { example: SUPPORT },
  'support-cors-missing': { url: 'https://example.org/.well-known/matrix/support' },
};

const CLIENT_PROBLEM_EXAMPLES: MessageExamples<(typeof CLIENT_PROBLEM_TEXTS)['en']> = {
  notFound: { url: WELL_KNOWN },
  fetchFailed: { detail: 'connect ECONNREFUSED 192.0.2.1:443' },
  httpStatus: { url: WELL_KNOWN, status: '500' },
  empty: { url: WELL_KNOWN },
  html: { url: WELL_KNOWN },
  invalidJson: { url: WELL_KNOWN, error: 'Unexpected token } in JSON' },
  notObject: { type: 'ar' },
  baseUrlNotString: { type: 'nu' },
  homeserverNotObject: { type: 'st' },
  baseUrlNotUrl: { label: 'm.homeserver base_url', url: 'matrix dot example' },
  baseUrlPlainHttp: { label: 'm.homeserver base_url', url: 'http://hs.example.org' },
  baseUrlNotHttp: { label: 'm.homeserver base_url', url: 'ftp://hs.example.org' },
  versionsNoAnswer: { label: 'm.homeserver base_url', detail: 'connect ECONNREFUSED 192.0.2.2:443' },
  versionsStatus: { url: 'https://hs.example.org/_matrix/client/versions', status: '502' },
  versionsNotJson: { url: 'https://hs.example.org/_matrix/client/versions', error: 'Unexpected end of JSON input' },
  versionsNotObject: { url: 'https://hs.example.org/_matrix/client/versions', type: 'ar' },
  versionsMissing: { url: 'https://hs.example.org/_matrix/client/versions' },
  identityNotObject: { type: 'nu' },
  identityNotUrl: { label: 'm.identity_server base_url', url: 'identity dot example' },
  identityPlainHttp: { label: 'm.identity_server base_url', url: 'http://is.example.org' },
  identityNotHttp: { label: 'm.identity_server base_url', url: 'ftp://is.example.org' },
  identityNoAnswer: { label: 'm.identity_server base_url', detail: 'getaddrinfo ENOTFOUND is.example.org' },
  identityStatus: { url: 'https://is.example.org/_matrix/identity/v2', status: '404' },
  contentType: { type: 'text/plain' },
  corsMissing: { missing: 'Access-Control-Allow-Methods: PUT' },
  corsBlocking: { missing: 'Access-Control-Allow-Origin' },
  preflightNoAnswer: { error: 'socket hang up' },
  preflightStatus: { status: '405' },
  preflightCors: { missing: 'Access-Control-Allow-Headers: Authorization' },
};

const SUPPORT_PROBLEM_EXAMPLES: MessageExamples<(typeof SUPPORT_PROBLEM_TEXTS)['en']> = {
  fetchFailed: { detail: 'connect ECONNREFUSED 192.0.2.1:443' },
  httpStatus: { url: 'https://example.org/.well-known/matrix/support', status: '500' },
  contentType: { type: 'text/plain' },
  empty: { url: 'https://example.org/.well-known/matrix/support' },
  html: { url: 'https://example.org/.well-known/matrix/support' },
  invalidJson: { url: 'https://example.org/.well-known/matrix/support', error: 'Unexpected token' },
  notObject: { type: 'ar' },
  contactsNotArray: { type: 'ob' },
  tooMany: { count: '1000', limit: '64' },
  pageNotString: { type: 'nu' },
  pageNotUrl: { page: 'support dot example' },
  pagePlainHttp: { page: 'http://example.org/support' },
  contactNotObject: { where: 'contacts[0]', type: 'st' },
  noRole: { where: 'contacts[1]' },
  roleNotString: { where: 'contacts[2]', type: 'nu' },
  roleReserved: { where: 'contacts[3]', role: 'm.role.abuse' },
  roleNotIdentifier: { where: 'contacts[4]', role: 'Abuse Team' },
  roleNotNamespaced: { where: 'contacts[5]', role: 'abuse' },
  matrixIdNotString: { where: 'contacts[6]', type: 'ar' },
  emailNotString: { where: 'contacts[7]', type: 'ob' },
  noAddress: { where: 'contacts[8]' },
  matrixIdNoAt: { where: 'contacts[9]', id: 'admin:example.org' },
  matrixIdShape: { where: 'contacts[10]', id: '@admin' },
  matrixIdSpace: { where: 'contacts[11]', id: '@ad min:example.org' },
  matrixIdServer: {
    where: 'contacts[12]',
    id: '@admin:bad_name',
    server: 'bad_name',
    error: 'invalid character "_"',
  },
  emailInvalid: { where: 'contacts[13]', email: 'admin-at-example.org' },
};

const LIVEKIT = '"https://rtc.example.org/livekit/jwt"';
const SETTING_PROBLEM_EXAMPLES: MessageExamples<(typeof CLIENT_SETTING_PROBLEM_TEXTS)['en']> = {
  wrongType: { key: 'io.element.e2ee', got: 'tr', expected: 'ob' },
  unknownOne: { keys: '"com.example.one"' },
  unknownOneNamespace: { keys: '"shortname"', notNamespaced: '"shortname2"' },
  unknownMany: { count: '12', keys: '"com.example.a"' },
  unknownManyNamespace: { count: '13', keys: '"com.example.c"', notNamespaced: '"other2"' },
  fieldMissing: { field: 'io.element.jitsi.preferredDomain', expected: 'ho' },
  fieldInvalid: { field: 'io.element.e2ee.default', got: 'st', expected: 'bo' },
  e2eeOlderKeyOnly: { older: 'im.vector.riot.e2ee', current: 'io.element.e2ee' },
  e2eeBothKeys: { older: 'im.vector.riot.e2ee', current: 'io.element.e2ee' },
  e2eeRetired: { key: 'io.element.e2ee', fields: '"secure_backup_required"' },
  e2eeContradictory: { key: 'io.element.e2ee' },
  jitsiUnreachable: { domain: '"jitsi.example.org"', detail: 'certificate has expired (TLS_EXPIRED)' },
  jitsiNotJitsi: { url: 'https://jitsi.example.org/external_api.js', status: '404' },
  jitsiKeysDisagree: {
    current: 'io.element.jitsi',
    currentDomain: '"meet.example.org"',
    older: 'im.vector.riot.jitsi',
    olderDomain: '"jitsi.example.org"',
  },
  livekitUnreachable: { url: LIVEKIT, detail: 'connect ECONNREFUSED 192.0.2.3:443' },
  livekitCors: { url: LIVEKIT, answers: 'XY' },
  livekitLegacyOnly: { url: LIVEKIT },
  transportsMissing: { key: 'org.matrix.msc4143.rtc_foci', base: '"https://hs.example.org"' },
  transportsDisagree: { wellKnown: LIVEKIT, homeserver: '"https://other.example.org/livekit/jwt"' },
  issuerUnreachable: {
    url: 'https://auth.example.org/.well-known/openid-configuration',
    detail: 'getaddrinfo ENOTFOUND auth.example.org (DNS_NXDOMAIN)',
  },
  issuerMismatch: {
    url: 'https://auth.example.org/.well-known/openid-configuration',
    served: '"https://auth.example.org/"',
    configured: '"https://auth.example.org"',
  },
  issuerCors: { url: 'https://auth.example.org/.well-known/openid-configuration', allowOrigin: '"https://x.example"' },
  metadataMissing: { key: 'org.matrix.msc2965.authentication', base: '"https://hs.example.org"' },
  metadataDisagrees: {
    url: 'https://hs.example.org/_matrix/client/v1/auth_metadata',
    served: '"https://mas.example.org/"',
    configured: '"https://auth.example.org/"',
  },
  tileServerUnstableKey: { unstable: 'org.matrix.msc3488.tile_server', stable: 'm.tile_server' },
  tileServerBroken: { url: '"https://tiles.example.org/style.json"', detail: 'socket hang up (CONNECTION_RESET)' },
  tileServerCors: { url: '"https://tiles.example.org/style.json"', allowOrigin: '"https://y.example"' },
};

const FIX_EXAMPLES: MessageExamples<(typeof CLIENT_SETTING_FIX_TEXTS)['en']> = {
  'client-e2ee-invalid': { key: 'io.element.e2ee' },
  'client-e2ee-retired-settings': { key: 'io.element.e2ee', fields: '"secure_backup_required"' },
  'client-e2ee-contradictory': { key: 'im.vector.riot.e2ee' },
  'client-jitsi-invalid': { key: 'im.vector.riot.jitsi' },
  'client-jitsi-unreachable': { domain: 'meet.example.org' },
  'client-jitsi-not-jitsi': { domain: 'www.example.org' },
  'client-rtc-livekit-unreachable': { url: 'https://rtc.example.org/livekit/jwt' },
  'client-rtc-livekit-cors': { url: 'https://rtc.example.org/livekit/jwt' },
  'client-rtc-livekit-legacy-only': { url: 'https://rtc.example.org/livekit/jwt' },
  'client-rtc-transports-missing': { url: 'https://rtc.example.org/livekit/jwt' },
  'client-auth-invalid': { key: 'org.matrix.msc2965.authentication' },
  'client-auth-issuer-unreachable': { url: 'https://auth.example.org/.well-known/openid-configuration' },
  'client-auth-issuer-mismatch': { served: '"https://auth.example.org/"' },
  'client-auth-issuer-cors': { url: 'https://auth.example.org/.well-known/openid-configuration' },
  'client-auth-metadata-missing': { key: 'org.matrix.msc2965.authentication' },
  'client-auth-metadata-disagrees': { served: '"https://mas.example.org/"' },
  'client-tile-server-broken': { url: 'https://tiles.example.org/style.json' },
  'client-tile-server-cors': { url: 'https://tiles.example.org/style.json' },
};

describe('the catalogues have every message in zh-CN, with the same values, in Chinese (checkTranslations)', () => {
  it('certificates (tls-texts)', () => {
    expect(checkTranslations(TLS_TEXTS, TLS_EXAMPLES, ['items'])).toEqual([]);
    const verifyError = { verifyError: 'SOME_OPENSSL_CODE' };
    expect(
      checkTranslations(TRUST_PROBLEM_TEXTS, {
        TLS_EXPIRED: verifyError,
        TLS_NOT_YET_VALID: verifyError,
        TLS_SELF_SIGNED: verifyError,
        TLS_INCOMPLETE_CHAIN: verifyError,
        TLS_UNTRUSTED: verifyError,
      }),
    ).toEqual([]);
  });

  it('reachability and endpoints (endpoints-texts)', () => {
    expect(
      checkTranslations(ENDPOINT_TEXTS, ENDPOINT_EXAMPLES, [
        'failure',
        'advice',
        'federation-endpoint-error.detail',
        'keys-invalid.detail',
      ]),
    ).toEqual([]);
    expect(checkTranslations(ENDPOINT_ANSWER_TEXTS, { version: { status: '502' }, keys: { status: '503' } })).toEqual(
      [],
    );
  });

  it('documents: the fixes (documents-texts) and the checks’ sentences (document-problems-texts)', () => {
    expect(checkTranslations(DOCUMENT_TEXTS, DOCUMENT_EXAMPLES, ['detail'])).toEqual([]);
    expect(checkTranslations(CLIENT_PROBLEM_TEXTS, CLIENT_PROBLEM_EXAMPLES)).toEqual([]);
    expect(checkTranslations(SUPPORT_PROBLEM_TEXTS, SUPPORT_PROBLEM_EXAMPLES)).toEqual([]);
  });

  it('client settings: the fixes, the check’s sentences and the hints’ own words', () => {
    expect(checkTranslations(CLIENT_SETTING_FIX_TEXTS, FIX_EXAMPLES)).toEqual([]);
    expect(checkTranslations(CLIENT_SETTING_PROBLEM_TEXTS, SETTING_PROBLEM_EXAMPLES)).toEqual([]);
    expect(
      checkTranslations(CLIENT_SETTING_HINT_TEXTS, { detail: { sentences: ['one sentence'] } }, ['detail']),
    ).toEqual([]);
  });
});

describe('sentenceReader', () => {
  const en = {
    status: (p: { url: string; status: string }) => `${p.url} answered ${p.status} instead of 200`,
    twice: (p: { role: string }) => `"${p.role}" should be "org.example.${p.role}"`,
    fixed: 'the document is empty',
  };
  const read = sentenceReader(en, { status: ['url', 'status'], twice: ['role'], fixed: [] });

  it('reads a sentence back into the values that write it again', () => {
    expect(read('https://a.example/x answered 500 instead of 200', ['status'])).toEqual({
      key: 'status',
      params: { url: 'https://a.example/x', status: '500' },
    });
    expect(read('"abuse" should be "org.example.abuse"', ['twice'])).toEqual({
      key: 'twice',
      params: { role: 'abuse' },
    });
    expect(read('the document is empty', ['status', 'fixed'])?.key).toBe('fixed');
  });

  it('gives null for a sentence the messages do not write: cut, reworded, or a value shown twice that differs', () => {
    expect(read('https://a.example/x answered 500 instead of 2…', ['status'])).toBeNull();
    expect(read('https://a.example/x replied 500 instead of 200', ['status'])).toBeNull();
    expect(read('"abuse" should be "org.example.spam"', ['twice'])).toBeNull();
    // Only the forms asked for are tried.
    expect(read('the document is empty', ['status'])).toBeNull();
  });
});

/** Hosts, URLs, ports and quoted values of an English sentence: what the Chinese one must show too. */
function values(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/https?:\/\/[^\s"',;)]+|"[^"]*"|\b[\w-]+(?:\.[\w-]{2,})+(?::\d+)?\b|\b\d{3,}\b/g))
    found.add(m[0].replace(/[.:]$/, ''));
  return [...found];
}

const HAN = /\p{Script=Han}/u;

describe("the client settings check's sentences, as the check writes them, are said again in Chinese", () => {
  const problems = new SettingProblems();
  // The value rules and the key classification as the check runs them, over mistaken documents.
  reportFaults(
    'io.element.e2ee',
    e2eeFaults({ default: 'false', secure_backup_setup_methods: ['key', 'pin'] }),
    'CLIENT_E2EE_INVALID',
    problems,
  );
  reportFaults('io.element.e2ee', e2eeFaults(true), 'CLIENT_E2EE_INVALID', problems);
  reportFaults('im.vector.riot.jitsi', jitsiFaults({ useFor1To1Calls: 'yes' }), 'CLIENT_JITSI_INVALID', problems);
  reportFaults(
    'im.vector.riot.jitsi',
    jitsiFaults({ preferredDomain: 'https://jitsi.example.org/' }),
    'CLIENT_JITSI_INVALID',
    problems,
  );
  reportFaults(
    'org.matrix.msc4143.rtc_foci',
    rtcFociFaults([{ type: 'livekit', livekit_service_url: 'http://rtc.example.org' }, 3, {}]),
    'CLIENT_RTC_FOCI_INVALID',
    problems,
  );
  reportFaults('org.matrix.msc4143.rtc_foci', rtcFociFaults({ type: 'livekit' }), 'CLIENT_RTC_FOCI_INVALID', problems);
  reportFaults(
    'org.matrix.msc2965.authentication',
    authenticationFaults({ issuer: 'https://auth.example.org/?x=1', account: 12 }),
    'CLIENT_AUTH_INVALID',
    problems,
  );
  reportFaults('org.matrix.msc2965.authentication', authenticationFaults({}), 'CLIENT_AUTH_INVALID', problems);
  reportFaults('m.tile_server', tileServerFaults({ map_style_url: null }), 'CLIENT_TILE_SERVER_INVALID', problems);
  reportFaults(
    'm.tile_server',
    tileServerFaults('https://tiles.example.org/style.json'),
    'CLIENT_TILE_SERVER_INVALID',
    problems,
  );
  classifyKeys({ 'm.homeserver': {}, 'com.example.setting': 1, shortname: true, 'm.integrations': [] }, problems);
  classifyKeys(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`com.example.k${i}`, i])), problems);
  classifyKeys({ 'com.example.only': 1 }, problems);
  classifyKeys({ shortname: 1 }, problems);
  // The checks that need a server, with the values the check passes (quoted as it quotes them).
  const add = (code: ClientSettingProblemCode, message: string): void => problems.add(code, 'warning', message);
  const lk = quote('https://rtc.example.org/livekit/jwt', 'url');
  add('CLIENT_E2EE_OLDER_KEY', M.e2eeOlderKeyOnly({ older: 'im.vector.riot.e2ee', current: 'io.element.e2ee' }));
  add('CLIENT_E2EE_OLDER_KEY', M.e2eeBothKeys({ older: 'im.vector.riot.e2ee', current: 'io.element.e2ee' }));
  add(
    'CLIENT_E2EE_RETIRED_SETTINGS',
    M.e2eeRetired({ key: 'io.element.e2ee', fields: '"secure_backup_required" and "secure_backup_setup_methods"' }),
  );
  add('CLIENT_E2EE_CONTRADICTORY', M.e2eeContradictory({ key: 'io.element.e2ee' }));
  add(
    'CLIENT_JITSI_UNREACHABLE',
    M.jitsiUnreachable({ domain: quote('jitsi.example.org'), detail: 'certificate has expired' }),
  );
  add('CLIENT_JITSI_NOT_JITSI', M.jitsiNotJitsi({ url: 'https://www.example.org/external_api.js', status: '404' }));
  add(
    'CLIENT_JITSI_KEYS_DISAGREE',
    M.jitsiKeysDisagree({
      current: 'io.element.jitsi',
      currentDomain: quote('meet.example.org'),
      older: 'im.vector.riot.jitsi',
      olderDomain: quote('jitsi.example.org'),
    }),
  );
  add(
    'CLIENT_RTC_LIVEKIT_UNREACHABLE',
    M.livekitUnreachable({ url: lk, detail: 'connect ECONNREFUSED 192.0.2.3:443' }),
  );
  add(
    'CLIENT_RTC_LIVEKIT_CORS',
    M.livekitCors({
      url: lk,
      answers: [
        M.preflightAnswer({ path: '/get_token', status: 'HTTP 405', missing: 'Access-Control-Allow-Origin: *' }),
        M.preflightAnswer({
          path: '/sfu/get',
          status: 'HTTP 200',
          missing: 'Access-Control-Allow-Origin: * and Access-Control-Allow-Headers: Content-Type',
        }),
        M.preflightAnswer({ path: '/other', status: 'CONNECT_TIMEOUT', missing: '' }),
      ].join('; '),
    }),
  );
  add('CLIENT_RTC_LIVEKIT_LEGACY_ONLY', M.livekitLegacyOnly({ url: lk }));
  add(
    'CLIENT_RTC_TRANSPORTS_MISSING',
    M.transportsMissing({ key: 'org.matrix.msc4143.rtc_foci', base: quote('https://hs.example.org', 'url') }),
  );
  add(
    'CLIENT_RTC_TRANSPORTS_DISAGREE',
    M.transportsDisagree({ wellKnown: lk, homeserver: quote('https://other.example.org/jwt', 'url') }),
  );
  add('CLIENT_RTC_TRANSPORTS_DISAGREE', M.transportsDisagree({ wellKnown: lk, homeserver: 'none' }));
  const openid = 'https://auth.example.org/.well-known/openid-configuration';
  add('CLIENT_AUTH_ISSUER_UNREACHABLE', M.issuerUnreachable({ url: openid, detail: M.status({ status: 404 }) }));
  add('CLIENT_AUTH_ISSUER_UNREACHABLE', M.issuerUnreachable({ url: openid, detail: M.notJson }));
  add(
    'CLIENT_AUTH_ISSUER_UNREACHABLE',
    M.issuerUnreachable({ url: openid, detail: M.noAnswer({ code: 'DNS_NXDOMAIN', detail: 'no such host' }) }),
  );
  add(
    'CLIENT_AUTH_ISSUER_MISMATCH',
    M.issuerMismatch({
      url: openid,
      served: quote('https://auth.example.org/', 'url'),
      configured: quote('https://auth.example.org', 'url'),
    }),
  );
  add('CLIENT_AUTH_ISSUER_CORS', M.issuerCors({ url: openid, allowOrigin: M.nothingSent }));
  add('CLIENT_AUTH_ISSUER_CORS', M.issuerCors({ url: openid, allowOrigin: quote('https://app.example.org') }));
  add(
    'CLIENT_AUTH_METADATA_MISSING',
    M.metadataMissing({ key: 'org.matrix.msc2965.authentication', base: quote('https://hs.example.org', 'url') }),
  );
  add(
    'CLIENT_AUTH_METADATA_DISAGREES',
    M.metadataDisagrees({
      url: 'https://hs.example.org/_matrix/client/v1/auth_metadata',
      served: quote('https://mas.example.org/', 'url'),
      configured: quote('https://auth.example.org/', 'url'),
    }),
  );
  add(
    'CLIENT_TILE_SERVER_UNSTABLE_KEY',
    M.tileServerUnstableKey({ unstable: 'org.matrix.msc3488.tile_server', stable: 'm.tile_server' }),
  );
  const style = quote('https://tiles.example.org/style.json', 'url');
  add('CLIENT_TILE_SERVER_BROKEN', M.tileServerBroken({ url: style, detail: M.notStyle }));
  add('CLIENT_TILE_SERVER_BROKEN', M.tileServerBroken({ url: style, detail: M.status({ status: 503 }) }));
  add('CLIENT_TILE_SERVER_CORS', M.tileServerCors({ url: style, allowOrigin: M.nothingSent }));

  it.each(problems.list.map((p) => [p.code, p.message] as const))('%s: %s', (code, message) => {
    const read = readClientSettingProblem(code, message);
    expect(read, 'read back').not.toBeNull();
    if (read === null) return;
    const chinese = sayAgain(CLIENT_SETTING_PROBLEM_TEXTS, 'zh-CN', read);
    expect(chinese).toMatch(HAN);
    for (const value of values(message)) expect(chinese, value).toContain(value);
    // No English words left but the values: the sentence's own words are Chinese.
    expect(chinese).not.toMatch(/\b(?:is|the|but|and|must|answers?|cannot|without)\b/);
  });

  it('every form of the catalogue is one the check writes (each read back from a sentence above)', () => {
    const forms = new Set(problems.list.map((p) => readClientSettingProblem(p.code, p.message)?.key));
    expect(Object.keys(CLIENT_SETTING_PROBLEM_TEXTS.en).filter((key) => !forms.has(key as never))).toEqual([]);
  });

  it('the words of a value or an expectation are Chinese', () => {
    const say = (code: string, message: string): string => {
      const read = readClientSettingProblem(code, message);
      return read === null ? '' : sayAgain(CLIENT_SETTING_PROBLEM_TEXTS, 'zh-CN', read);
    };
    const e2ee = problems.list.filter((p) => p.code === 'CLIENT_E2EE_INVALID').map((p) => say(p.code, p.message));
    expect(e2ee[0]).toBe(
      '"io.element.e2ee.default" 是字符串 "false"；它必须是 true 或 false（JSON 布尔值，不是字符串）',
    );
    expect(e2ee[1]).toBe(
      `"io.element.e2ee.secure_backup_setup_methods[1]" 是字符串 "pin"；它必须是 "key"、"passphrase" 之一`,
    );
    expect(
      say(
        'CLIENT_SETTING_WRONG_TYPE',
        M.wrongType({ key: 'm.integrations', got: describeJson([]), expected: 'an object' }),
      ),
    ).toBe('"m.integrations" 是列表，但客户端要求它是对象：客户端会忽略这项设置');
  });
});

describe("the check's words for an untrusted chain, as it writes them, are said again in Chinese", () => {
  it.each([
    ['TLS_EXPIRED', 'CERT_HAS_EXPIRED', '证书已过期'],
    ['TLS_NOT_YET_VALID', 'CERT_NOT_YET_VALID', '证书尚未生效'],
    ['TLS_SELF_SIGNED', 'DEPTH_ZERO_SELF_SIGNED_CERT', '自签名'],
    ['TLS_INCOMPLETE_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', '中间证书'],
    ['TLS_UNTRUSTED', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', '受信任的根 CA'],
  ] as const)('%s (%s)', (code, verifyError, words) => {
    const problem = trustProblem({ code, message: 'verification failed', verifyError });
    const read = readTrustProblem(problem.code, problem.message);
    expect(read).not.toBeNull();
    if (read === null) return;
    const chinese = sayAgain(TRUST_PROBLEM_TEXTS, 'zh-CN', read);
    expect(chinese).toContain(words);
    expect(chinese).toContain(verifyError);
  });

  it('a trust failure without words of its own is not read back (its message is shown as it is)', () => {
    const problem = trustProblem({ code: 'TLS_ERROR', message: 'unexpected verification failure', verifyError: 'X' });
    expect(readTrustProblem(problem.code, problem.message)).toBeNull();
  });
});
