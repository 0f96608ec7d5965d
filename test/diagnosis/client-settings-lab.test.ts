// The client settings hints end to end: one lab (homeserver, Jitsi, LiveKit, OIDC issuer, tile server), each hint
// triggered by one server name's /.well-known/matrix/client and silent for a healthy one (issue 21).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { CheckOptions, CheckReport } from '../../src/checker/types.js';
import type { ClientSettingProblemCode } from '../../src/check-report/index.js';
import { HINT_CATALOGUE, type HintId } from '../../src/diagnosis/index.js';
import { clientSettingHintId } from '../../src/diagnosis/rules/client-settings.js';
import { startLab, type Lab, type LabRequest, type LabResponse, type LabZones } from '../../src/testing/index.js';
import { NGINX_404, homeserverRoutes, hostOf, labAllowNetworks } from './homeserver.js';

const FULL_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
};
/** What lk-jwt-service answers to a preflight (its CORS handler): 200 with the CORS headers. */
const LIVEKIT_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'Accept, Content-Type, Content-Length, Accept-Encoding, Authorization',
};
const NOT_FOUND: LabResponse = { status: 404, json: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' } };
const MISSING_TOKEN: LabResponse = { status: 401, json: { errcode: 'M_MISSING_TOKEN', error: 'Missing access token' } };

let lab: Lab;
let base: CheckOptions;
const reports = new Map<string, CheckReport>();

/** `https://<host>` with the lab's HTTPS port when it is not 443 (URL-valued settings carry it, as base URLs do). */
function url(host: string, path = ''): string {
  return `https://${host}${lab.ports.https === 443 ? '' : `:${lab.ports.https}`}${path}`;
}

/** How a scenario's homeserver answers /rtc/transports and /auth_metadata. */
interface HomeserverAnswers {
  /** `signin`: v1 404 and unstable 401 (Synapse with MSC4143 on); `missing`: 404 on both; a list: 200 on unstable. */
  readonly rtc?: 'signin' | 'missing' | readonly unknown[];
  /** The issuer of its auth metadata, or `missing` (404 on both paths). */
  readonly issuer?: string | 'missing';
}

interface Scenario extends HomeserverAnswers {
  /** The client document's keys besides m.homeserver, computed when the lab's port is known. */
  readonly settings: () => Record<string, unknown>;
}

/** The settings of a healthy deployment, each pointing at a working lab service. */
function healthySettings(): Record<string, unknown> {
  return {
    'io.element.e2ee': { default: true },
    'im.vector.riot.jitsi': { preferredDomain: 'jitsi.ok.test' },
    'org.matrix.msc4143.rtc_foci': [{ type: 'livekit', livekit_service_url: url('lk.ok.test', '/livekit/jwt') }],
    'org.matrix.msc2965.authentication': {
      issuer: url('auth.ok.test', '/'),
      account: url('auth.ok.test', '/account/'),
    },
    'm.tile_server': { map_style_url: url('tiles.ok.test', '/style.json') },
  };
}

/** The healthy settings with some keys replaced (undefined removes a key). */
function healthyWith(changes: () => Record<string, unknown>): () => Record<string, unknown> {
  return () => {
    const settings: Record<string, unknown> = { ...healthySettings(), ...changes() };
    for (const [key, value] of Object.entries(settings)) if (value === undefined) delete settings[key];
    return settings;
  };
}

const HEALTHY: HomeserverAnswers = { rtc: 'signin' };

/** Every scenario: a server name (`<name>.test`), its client settings and its homeserver's answers. */
const SCENARIOS: Readonly<Record<string, Scenario>> = {
  healthy: { ...HEALTHY, settings: healthySettings },
  // The homeserver answers its transport list without sign-in, the same services as the well-known.
  rtclisted: {
    settings: healthySettings,
    rtc: [{ type: 'livekit', livekit_service_url: 'LK_OK' }],
  },
  wrongtype: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'io.element.e2ee': true, 'org.example.custom': { a: 1 }, custom_key: 1 })),
  },
  e2eebad: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'io.element.e2ee': { default: 'false', force_disable: 0 } })),
  },
  e2eeold: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'io.element.e2ee': undefined, 'im.vector.riot.e2ee': { default: false } })),
  },
  e2eeretired: {
    ...HEALTHY,
    settings: healthyWith(() => ({
      'io.element.e2ee': { default: true, secure_backup_required: true, secure_backup_setup_methods: ['passphrase'] },
    })),
  },
  e2eeboth: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'io.element.e2ee': { default: true, force_disable: true } })),
  },
  jitsibad: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'im.vector.riot.jitsi': { preferredDomain: 'https://jitsi.ok.test/' } })),
  },
  jitsicert: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'im.vector.riot.jitsi': { preferredDomain: 'jitsi.badcert.test' } })),
  },
  jitsiplain: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'im.vector.riot.jitsi': { preferredDomain: 'www.plain.test' } })),
  },
  jitsiboth: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'io.element.jitsi': { preferredDomain: 'jitsi.other.test' } })),
  },
  focibad: {
    ...HEALTHY,
    settings: healthyWith(() => ({
      'org.matrix.msc4143.rtc_foci': [
        { type: 'livekit', livekit_service_url: url('lk.ok.test', '/livekit/jwt') },
        { type: 'livekit' },
      ],
    })),
  },
  lkdown: {
    ...HEALTHY,
    settings: healthyWith(() => ({
      'org.matrix.msc4143.rtc_foci': [{ type: 'livekit', livekit_service_url: url('lk.nowhere.test', '/livekit/jwt') }],
    })),
  },
  lknocors: {
    ...HEALTHY,
    settings: healthyWith(() => ({
      'org.matrix.msc4143.rtc_foci': [{ type: 'livekit', livekit_service_url: url('lk.nocors.test', '/livekit/jwt') }],
    })),
  },
  lklegacy: {
    ...HEALTHY,
    settings: healthyWith(() => ({
      'org.matrix.msc4143.rtc_foci': [{ type: 'livekit', livekit_service_url: url('lk.legacy.test', '/livekit/jwt') }],
    })),
  },
  rtcmissing: { settings: healthySettings, rtc: 'missing' },
  rtcdiffer: {
    settings: healthySettings,
    rtc: [{ type: 'livekit', livekit_service_url: 'https://other-rtc.example/livekit/jwt' }],
  },
  authbad: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'org.matrix.msc2965.authentication': { issuer: 'http://auth.ok.test/' } })),
  },
  authdown: {
    ...HEALTHY,
    issuer: 'AUTH_DOWN',
    settings: healthyWith(() => ({ 'org.matrix.msc2965.authentication': { issuer: url('auth.down.test', '/') } })),
  },
  authother: {
    ...HEALTHY,
    issuer: 'AUTH_OTHER',
    settings: healthyWith(() => ({ 'org.matrix.msc2965.authentication': { issuer: url('auth.other.test', '/') } })),
  },
  authnocors: {
    ...HEALTHY,
    issuer: 'AUTH_NOCORS',
    settings: healthyWith(() => ({ 'org.matrix.msc2965.authentication': { issuer: url('auth.nocors.test', '/') } })),
  },
  authnometa: { ...HEALTHY, issuer: 'missing', settings: healthySettings },
  authmetadiff: { ...HEALTHY, issuer: 'https://sso.elsewhere.example/', settings: healthySettings },
  tilebad: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'm.tile_server': { map_style_url: 'tiles.ok.test/style.json' } })),
  },
  tiledown: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'm.tile_server': { map_style_url: url('tiles.ok.test', '/missing.json') } })),
  },
  tilenocors: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'm.tile_server': { map_style_url: url('tiles.nocors.test', '/style.json') } })),
  },
  // Checked on their own (see the last tests), not in the batch.
  lkdenied: {
    ...HEALTHY,
    settings: healthyWith(() => ({
      'org.matrix.msc4143.rtc_foci': [{ type: 'livekit', livekit_service_url: url('lk.denied.test', '/livekit/jwt') }],
    })),
  },
  jitsislow: {
    ...HEALTHY,
    settings: healthyWith(() => ({ 'im.vector.riot.jitsi': { preferredDomain: 'jitsi.slow.test' } })),
  },
  tileold: {
    ...HEALTHY,
    settings: healthyWith(() => ({
      'm.tile_server': undefined,
      'org.matrix.msc3488.tile_server': { map_style_url: url('tiles.ok.test', '/style.json') },
    })),
  },
};

/** Scenarios their own tests check, with their own options. */
const ALONE: ReadonlySet<string> = new Set(['lkdenied', 'jitsislow']);

/** The scenario a request is about: `<name>.test` or `hs.<name>.test`. */
function scenarioOf(req: LabRequest): Scenario | undefined {
  const name = hostOf(req)
    .replace(/^hs\./, '')
    .replace(/\.test$/, '');
  return Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
}

/** Placeholders in the scenario table, known only once the lab runs. */
function resolvePlaceholder(value: string): string {
  switch (value) {
    case 'LK_OK':
      return url('lk.ok.test', '/livekit/jwt');
    case 'AUTH_DOWN':
      return url('auth.down.test', '/');
    case 'AUTH_OTHER':
      return url('auth.other.test', '/');
    case 'AUTH_NOCORS':
      return url('auth.nocors.test', '/');
    default:
      return value;
  }
}

function clientDocument(req: LabRequest): LabResponse {
  const scenario = scenarioOf(req);
  if (scenario === undefined) return NOT_FOUND;
  return {
    json: { 'm.homeserver': { base_url: url(`hs.${hostOf(req)}`) }, ...scenario.settings() },
    headers: FULL_CORS,
  };
}

function rtcTransports(req: LabRequest, unstable: boolean): LabResponse {
  const rtc = scenarioOf(req)?.rtc ?? 'missing';
  if (rtc === 'missing') return NOT_FOUND;
  if (rtc === 'signin') return unstable ? MISSING_TOKEN : NOT_FOUND;
  if (!unstable) return NOT_FOUND;
  const list = rtc.map((t) =>
    typeof t === 'object' && t !== null && 'livekit_service_url' in t
      ? { ...t, livekit_service_url: resolvePlaceholder(String(t.livekit_service_url)) }
      : t,
  );
  return { json: { rtc_transports: list } };
}

function authMetadata(req: LabRequest): LabResponse {
  const issuer = scenarioOf(req)?.issuer ?? 'AUTH_OK';
  if (issuer === 'missing') return NOT_FOUND;
  const value = issuer === 'AUTH_OK' ? url('auth.ok.test', '/') : resolvePlaceholder(issuer);
  return {
    json: {
      issuer: value,
      authorization_endpoint: `${value}authorize`,
      token_endpoint: `${value}oauth2/token`,
      revocation_endpoint: `${value}oauth2/revoke`,
      registration_endpoint: `${value}oauth2/registration`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      response_modes_supported: ['query', 'fragment'],
      code_challenge_methods_supported: ['S256'],
    },
    headers: FULL_CORS,
  };
}

/** The third-party services, by Host: Jitsi Meet, lk-jwt-service, an OpenID provider, a tile server. */
function service(req: LabRequest): LabResponse {
  const host = hostOf(req);
  const route = `${req.method} ${req.path}`;
  switch (`${host} ${route}`) {
    case 'jitsi.ok.test GET /external_api.js':
    case 'jitsi.other.test GET /external_api.js':
      return { body: 'var JitsiMeetExternalAPI = function () {};', headers: { 'content-type': 'text/javascript' } };
    case 'lk.ok.test OPTIONS /livekit/jwt/get_token':
    case 'lk.ok.test OPTIONS /livekit/jwt/sfu/get':
    case 'lk.legacy.test OPTIONS /livekit/jwt/sfu/get':
      return { status: 200, headers: LIVEKIT_CORS };
    case 'lk.nocors.test OPTIONS /livekit/jwt/get_token':
    case 'lk.nocors.test OPTIONS /livekit/jwt/sfu/get':
      // A proxy answering preflights itself, without the headers a browser needs.
      return { status: 204 };
    case 'auth.ok.test GET /.well-known/openid-configuration':
      return { json: { issuer: url('auth.ok.test', '/') }, headers: { 'access-control-allow-origin': '*' } };
    case 'auth.other.test GET /.well-known/openid-configuration':
      return { json: { issuer: 'https://auth.renamed.example/' }, headers: { 'access-control-allow-origin': '*' } };
    case 'auth.nocors.test GET /.well-known/openid-configuration':
      return { json: { issuer: url('auth.nocors.test', '/') } };
    case 'tiles.ok.test GET /style.json':
      return {
        json: { version: 8, sources: { osm: { type: 'vector', url: 'https://tiles.example/osm.json' } }, layers: [] },
        headers: { 'access-control-allow-origin': '*' },
      };
    case 'tiles.nocors.test GET /style.json':
      return { json: { version: 8, sources: {}, layers: [] } };
    case 'jitsi.slow.test GET /external_api.js':
      // A Jitsi server that accepts the connection and never answers.
      return { body: 'var JitsiMeetExternalAPI;', delayMs: 60_000 };
    default:
      return NGINX_404;
  }
}

function zones(): LabZones {
  const entries: [string, { A: string[] }][] = [];
  for (const name of Object.keys(SCENARIOS)) {
    entries.push([`${name}.test`, { A: ['web'] }], [`hs.${name}.test`, { A: ['hs'] }]);
  }
  for (const name of [
    'jitsi.ok.test',
    'jitsi.other.test',
    'www.plain.test',
    'lk.ok.test',
    'lk.legacy.test',
    'lk.nocors.test',
    'auth.ok.test',
    'auth.down.test',
    'auth.other.test',
    'auth.nocors.test',
    'tiles.ok.test',
    'tiles.nocors.test',
    'jitsi.slow.test',
  ])
    entries.push([name, { A: ['svc'] }]);
  entries.push(['jitsi.badcert.test', { A: ['badcert'] }], ['lk.denied.test', { A: ['denied'] }]);
  return Object.fromEntries(entries);
}

beforeAll(async () => {
  lab = await startLab({
    zones: zones(),
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': (req) => ({ json: { 'm.server': `hs.${hostOf(req)}:${lab.ports.https}` } }),
          'GET /.well-known/matrix/client': clientDocument,
          'OPTIONS /.well-known/matrix/client': { status: 204, headers: FULL_CORS },
        },
        fallback: NGINX_404,
      },
      hs: {
        routes: {
          ...homeserverRoutes(),
          'GET /_matrix/client/v1/rtc/transports': (req) => rtcTransports(req, false),
          'GET /_matrix/client/unstable/org.matrix.msc4143/rtc/transports': (req) => rtcTransports(req, true),
          'GET /_matrix/client/v1/auth_metadata': authMetadata,
          'GET /_matrix/client/unstable/org.matrix.msc2965/auth_metadata': authMetadata,
        },
        fallback: NOT_FOUND,
      },
      svc: { fallback: service },
      // A server whose certificate names another host: Jitsi there fails TLS as in a browser.
      badcert: { certificates: [{ kind: 'wrong-name' }], fallback: service },
      // A service on an address the check's policy does not allow (as a private address would be).
      denied: { fallback: service },
    },
  });
  const denied = lab.hosts['denied']!.address;
  base = {
    ...lab.clientOptions(),
    allowNetworks: labAllowNetworks(lab).filter((n) => !n.startsWith(`${denied}/`)),
    operationTimeoutMs: 4_000,
    checkDocuments: true,
  };
  const queue = Object.keys(SCENARIOS).filter((name) => !ALONE.has(name));
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift())
        reports.set(name, await checkServer(`${name}.test`, base));
    }),
  );
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
