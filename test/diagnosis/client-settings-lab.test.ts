// The client settings hints end to end: one lab (homeserver, Jitsi, LiveKit, OIDC issuer, tile server), each hint
// triggered by one server name's /.well-known/matrix/client and silent for a healthy one (issue 21).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { CheckOptions, CheckReport } from '../../src/checker/types.js';
import type { ClientSettingProblemCode } from '../../src/check-report/index.js';
import { HINT_CATALOGUE, type HintId } from '../../src/diagnosis/index.js';
import { clientSettingHintId } from '../../src/diagnosis/rules/client-settings.js';
import type { Lab } from '../../src/testing/index.js';
import { startClientSettingsLab, url } from './client-settings-lab-scenarios.js';

let lab: Lab;
let base: CheckOptions;
let reports: ReadonlyMap<string, CheckReport> = new Map();

beforeAll(async () => {
  ({ lab, base, reports } = await startClientSettingsLab());
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

function report(name: string): CheckReport {
  const r = reports.get(name);
  if (r === undefined) throw new Error(`no scenario ${name}`);
  return r;
}

function ids(name: string): string[] {
  return report(name).hints.map((h) => h.id);
}

function hint(name: string, id: HintId) {
  const found = report(name).hints.find((h) => h.id === id);
  if (found === undefined) throw new Error(`${name}: no hint ${id}; got ${ids(name).join(', ')}`);
  return found;
}

/** Every problem code of the settings check (the model's union, listed: the test fails when one has no case). */
const CODES: readonly ClientSettingProblemCode[] = [
  'CLIENT_SETTING_WRONG_TYPE',
  'CLIENT_SETTING_UNKNOWN',
  'CLIENT_E2EE_INVALID',
  'CLIENT_E2EE_OLDER_KEY',
  'CLIENT_E2EE_RETIRED_SETTINGS',
  'CLIENT_E2EE_CONTRADICTORY',
  'CLIENT_JITSI_INVALID',
  'CLIENT_JITSI_UNREACHABLE',
  'CLIENT_JITSI_NOT_JITSI',
  'CLIENT_JITSI_KEYS_DISAGREE',
  'CLIENT_RTC_FOCI_INVALID',
  'CLIENT_RTC_LIVEKIT_UNREACHABLE',
  'CLIENT_RTC_LIVEKIT_CORS',
  'CLIENT_RTC_LIVEKIT_LEGACY_ONLY',
  'CLIENT_RTC_TRANSPORTS_MISSING',
  'CLIENT_RTC_TRANSPORTS_DISAGREE',
  'CLIENT_AUTH_INVALID',
  'CLIENT_AUTH_ISSUER_UNREACHABLE',
  'CLIENT_AUTH_ISSUER_MISMATCH',
  'CLIENT_AUTH_ISSUER_CORS',
  'CLIENT_AUTH_METADATA_MISSING',
  'CLIENT_AUTH_METADATA_DISAGREES',
  'CLIENT_TILE_SERVER_INVALID',
  'CLIENT_TILE_SERVER_BROKEN',
  'CLIENT_TILE_SERVER_CORS',
  'CLIENT_TILE_SERVER_UNSTABLE_KEY',
];

/** [hint, scenario that triggers it, scenario where it must stay silent]. */
const CASES: readonly [HintId, string, string][] = [
  ['client-setting-wrong-type', 'wrongtype', 'healthy'],
  ['client-setting-unknown', 'wrongtype', 'healthy'],
  ['client-e2ee-invalid', 'e2eebad', 'healthy'],
  ['client-e2ee-older-key', 'e2eeold', 'healthy'],
  ['client-e2ee-retired-settings', 'e2eeretired', 'healthy'],
  ['client-e2ee-contradictory', 'e2eeboth', 'healthy'],
  ['client-jitsi-invalid', 'jitsibad', 'healthy'],
  ['client-jitsi-unreachable', 'jitsicert', 'jitsiplain'],
  ['client-jitsi-not-jitsi', 'jitsiplain', 'jitsicert'],
  ['client-jitsi-keys-disagree', 'jitsiboth', 'healthy'],
  ['client-rtc-foci-invalid', 'focibad', 'healthy'],
  ['client-rtc-livekit-unreachable', 'lkdown', 'lknocors'],
  ['client-rtc-livekit-cors', 'lknocors', 'lklegacy'],
  ['client-rtc-livekit-legacy-only', 'lklegacy', 'healthy'],
  ['client-rtc-transports-missing', 'rtcmissing', 'healthy'],
  ['client-rtc-transports-disagree', 'rtcdiffer', 'rtclisted'],
  ['client-auth-invalid', 'authbad', 'healthy'],
  ['client-auth-issuer-unreachable', 'authdown', 'healthy'],
  ['client-auth-issuer-mismatch', 'authother', 'healthy'],
  ['client-auth-issuer-cors', 'authnocors', 'healthy'],
  ['client-auth-metadata-missing', 'authnometa', 'healthy'],
  ['client-auth-metadata-disagrees', 'authmetadiff', 'healthy'],
  ['client-tile-server-invalid', 'tilebad', 'healthy'],
  ['client-tile-server-broken', 'tiledown', 'tilenocors'],
  ['client-tile-server-cors', 'tilenocors', 'healthy'],
  ['client-tile-server-unstable-key', 'tileold', 'healthy'],
];

describe('each client settings hint fires in its scenario and stays silent in another', () => {
  it('every problem code has a hint of the catalogue and a case here', () => {
    const cased = new Set(CASES.map(([id]) => id));
    for (const code of CODES) {
      const id = clientSettingHintId(code);
      expect(HINT_CATALOGUE[id], code).toBeDefined();
      expect(cased.has(id), id).toBe(true);
    }
  });

  it("each problem's severity is its hint's (the page draws the problems, the report lists the hints)", () => {
    for (const [name, r] of reports)
      for (const p of r.client?.settings?.problems ?? [])
        expect(p.severity, `${name} ${p.code}`).toBe(HINT_CATALOGUE[clientSettingHintId(p.code)].severity);
  });

  it.each(CASES)('%s: fires for %s, silent for %s', (id, trigger, silent) => {
    expect(ids(trigger)).toContain(id);
    expect(ids(silent)).not.toContain(id);
    const h = hint(trigger, id);
    expect(h).toMatchObject({ severity: HINT_CATALOGUE[id].severity, area: 'client', title: HINT_CATALOGUE[id].title });
    expect(h.detail.length).toBeGreaterThan(20);
    expect(h.fix.length).toBeGreaterThan(20);
  });
});

describe('healthy settings', () => {
  it('clients discover the homeserver and no settings problem is reported, not even information', () => {
    const r = report('healthy');
    expect(r.client?.status).toBe('SUCCESS');
    expect(r.client?.settings?.problems).toEqual([]);
    expect(r.hints.filter((h) => h.id.startsWith('client-'))).toEqual([]);
  });

  it('records what each setting says and what each server answered', () => {
    const s = report('healthy').client?.settings;
    expect(s?.e2ee).toMatchObject({ key: 'io.element.e2ee', default: true, forceDisable: null });
    expect(s?.jitsi).toMatchObject({
      key: 'im.vector.riot.jitsi',
      preferredDomain: 'jitsi.ok.test',
      request: { httpStatus: 200, error: null },
    });
    expect(s?.jitsi?.request?.url).toBe(url('jitsi.ok.test', '/external_api.js'));
    expect(s?.rtc?.foci[0]?.preflights.map((p) => [p.method, p.url, p.httpStatus])).toEqual([
      ['OPTIONS', url('lk.ok.test', '/livekit/jwt/get_token'), 200],
      ['OPTIONS', url('lk.ok.test', '/livekit/jwt/sfu/get'), 200],
    ]);
    // MSC4143's endpoint needs sign-in: offered, not compared.
    expect(s?.rtc?.homeserver).toMatchObject({ status: 'needs-sign-in', httpStatus: 401, livekitServiceUrls: null });
    expect(s?.authentication).toMatchObject({
      issuer: url('auth.ok.test', '/'),
      openidConfiguration: { httpStatus: 200, issuer: url('auth.ok.test', '/'), allowOrigin: '*' },
      authMetadata: { offered: true, issuer: url('auth.ok.test', '/'), httpStatus: 200 },
    });
    expect(s?.tileServer).toMatchObject({ key: 'm.tile_server', style: { httpStatus: 200, allowOrigin: '*' } });
    expect(s?.keys.map((k) => [k.name, k.type, k.known])).toEqual([
      ['io.element.e2ee', 'object', true],
      ['im.vector.riot.jitsi', 'object', true],
      ['org.matrix.msc4143.rtc_foci', 'array', true],
      ['org.matrix.msc2965.authentication', 'object', true],
      ['m.tile_server', 'object', true],
    ]);
  });

  it('a browser-like preflight: Origin, POST and the Content-Type header asked, never redirected', () => {
    const preflights = lab.hosts['svc']!.requests.filter(
      (q) => q.method === 'OPTIONS' && q.path.endsWith('/get_token'),
    );
    expect(preflights.length).toBeGreaterThan(0);
    expect(preflights[0]!.headers).toMatchObject({
      origin: 'https://matrix-delegation.invalid',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
  });
});

describe('details and fixes carry the values seen and name the current form', () => {
  it('a boolean written as a string: names the field and the string', () => {
    const h = hint('e2eebad', 'client-e2ee-invalid');
    expect(h.detail).toContain('io.element.e2ee.default');
    expect(h.detail).toContain('"false"');
    expect(h.detail).toContain('io.element.e2ee.force_disable');
  });

  it('Jitsi with a certificate for another name: a TLS cause, the domain in the fix', () => {
    const r = report('jitsicert');
    expect(r.client?.settings?.problems.find((p) => p.code === 'CLIENT_JITSI_UNREACHABLE')?.cause).toMatch(/^TLS_/);
    expect(hint('jitsicert', 'client-jitsi-unreachable').fix).toContain('jitsi.badcert.test');
  });

  it('LiveKit unreachable: the DNS cause and the service URL', () => {
    const r = report('lkdown');
    expect(r.client?.settings?.problems.find((p) => p.code === 'CLIENT_RTC_LIVEKIT_UNREACHABLE')?.cause).toBe(
      'DNS_NXDOMAIN',
    );
    expect(hint('lkdown', 'client-rtc-livekit-unreachable').fix).toContain(url('lk.nowhere.test', '/livekit/jwt'));
  });

  it('no CORS on the LiveKit preflights: says what each lacked', () => {
    expect(hint('lknocors', 'client-rtc-livekit-cors').detail).toMatch(
      /\/get_token: HTTP 204, without Access-Control-Allow-Origin: \* and Access-Control-Allow-Headers: Content-Type/,
    );
  });

  it('transports missing: the homeserver config lines of the current form, with the service URL', () => {
    const fix = hint('rtcmissing', 'client-rtc-transports-missing').fix;
    expect(fix).toContain('msc4143_enabled: true');
    expect(fix).toContain(`livekit_service_url: ${url('lk.ok.test', '/livekit/jwt')}`);
    expect(report('rtcmissing').client?.settings?.rtc?.homeserver?.status).toBe('not-offered');
  });

  it('transports disagreeing: both lists named', () => {
    const h = hint('rtcdiffer', 'client-rtc-transports-disagree');
    expect(h.detail).toContain(url('lk.ok.test', '/livekit/jwt'));
    expect(h.detail).toContain('https://other-rtc.example/livekit/jwt');
    expect(report('rtclisted').client?.settings?.rtc?.homeserver?.status).toBe('listed');
  });

  it('issuer mismatch: the issuer served, in the fix', () => {
    expect(hint('authother', 'client-auth-issuer-mismatch').fix).toContain('"https://auth.renamed.example/"');
  });

  it('an unusable issuer is reported once: not compared with the homeserver as well', () => {
    expect(ids('authbad')).not.toContain('client-auth-metadata-disagrees');
    expect(report('authbad').client?.settings?.authentication?.authMetadata).toBeNull();
  });

  it('auth metadata missing: names /_matrix/client/v1/auth_metadata as the current form', () => {
    expect(hint('authnometa', 'client-auth-metadata-missing').fix).toContain('/_matrix/client/v1/auth_metadata');
  });

  it('auth metadata naming another issuer: both issuers', () => {
    const h = hint('authmetadiff', 'client-auth-metadata-disagrees');
    expect(h.detail).toContain('https://sso.elsewhere.example/');
    expect(h.fix).toContain('"https://sso.elsewhere.example/"');
  });

  it('unknown keys: information only, and the key that is not namespaced is named', () => {
    const h = hint('wrongtype', 'client-setting-unknown');
    expect(h.severity).toBe('info');
    expect(h.detail).toContain('"org.example.custom"');
    expect(h.detail).toMatch(/"custom_key" should be namespaced/);
  });

  it('settings problems never change the discovery verdict', () => {
    for (const name of reports.keys()) expect(report(name).client?.status, name).toBe('SUCCESS');
  });
});

describe("every request of the settings goes through the check's policy and time budget", () => {
  it('a LiveKit service on an address the policy denies is never contacted', async () => {
    lab.hosts['denied']!.resetCounters();
    const r = await checkServer('lkdenied.test', base);
    const problem = r.client?.settings?.problems.find((p) => p.code === 'CLIENT_RTC_LIVEKIT_UNREACHABLE');
    expect(problem?.cause).toBe('ADDRESS_DENIED');
    expect(lab.hosts['denied']!.requests).toEqual([]);
  });

  it('a Jitsi server that never answers costs its request limit, not the client report (does not hang)', async () => {
    const started = Date.now();
    const r = await checkServer('jitsislow.test', { ...base, timeoutMs: 4_000 });
    expect(r.client?.status).toBe('SUCCESS');
    expect(r.client?.settings?.jitsi?.request?.error?.code).toBe('TIMEOUT');
    expect(r.hints.map((h) => h.id)).toContain('client-jitsi-unreachable');
    // Generous: the report is due within the budget.
    expect(Date.now() - started).toBeLessThan(4_000 + 2_000);
  });
});
