// The scenarios of the client settings lab test: one lab (homeserver, Jitsi, LiveKit, OIDC issuer, tile server) and
// a server name per scenario; shared by test/diagnosis/client-settings-lab.test.ts and the i18n test that diagnoses
// them in every language.

import { checkServer } from '../../src/checker/check.js';
import type { CheckOptions, CheckReport } from '../../src/checker/types.js';
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
export function url(host: string, path = ''): string {
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
export const ALONE: ReadonlySet<string> = new Set(['lkdenied', 'jitsislow']);

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

/** A started lab, the options its checks use, and the report of every scenario checked in the batch, by name. */
export interface ClientSettingsLabRun {
  readonly lab: Lab;
  readonly base: CheckOptions;
  readonly reports: ReadonlyMap<string, CheckReport>;
}

/**
 * Starts the lab and checks every scenario but those their own tests check (`ALONE`): what the client settings lab
 * test asserts on, and what the i18n test diagnoses again in each language. One run at a time per process (the
 * lab's routes read this module's state); close `lab` when done.
 */
export async function startClientSettingsLab(): Promise<ClientSettingsLabRun> {
  reports.clear();
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
  return { lab, base, reports };
}
