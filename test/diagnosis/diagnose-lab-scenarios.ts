// The scenarios of the diagnosis lab test: one lab, many server names, each built to trigger one hint (or to stay
// silent); shared by test/diagnosis/diagnose-lab.test.ts and the i18n test that diagnoses them in every language.

import { checkServer } from '../../src/checker/check.js';
import type { CheckOptions, CheckReport } from '../../src/checker/types.js';
import {
  startLab,
  type Lab,
  type LabRequest,
  type LabResponse,
  type LabSrvRecord,
  type LabZones,
} from '../../src/testing/index.js';
import {
  CLOUDFLARE_HEADERS,
  behindBotProtection,
  decodingProxyFallback,
  forHostExactly,
  homeserverFallback,
  withHeaders,
} from './field-hosts.js';
import { NGINX_404, freePorts, homeserverRoutes, hostOf, labAllowNetworks } from './homeserver.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const FULL_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
};
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

let lab: Lab;
/** Free ports on ::1: `v6only` listens on Q; nothing listens on P there (hsp listens on P over IPv4). */
let P = 0;
let Q = 0;
const reports = new Map<string, CheckReport>();

/** The lab's HTTPS port (443 when the process may bind it). */
const H = (): number => lab.ports.https;

function json(mServer: string, headers: Record<string, string> = {}): LabResponse {
  return { json: { 'm.server': mServer }, headers };
}

/** The server well-known each name's web server answers (by Host), computed when asked so ports are known. */
function serverWellKnown(req: LabRequest): LabResponse {
  const host = hostOf(req);
  const h = H();
  switch (host) {
    case 'scheme.test':
      return json('https://hs.scheme.test/');
    case 'portless.test':
      return json('hs.portless.test');
    case 'portlessdead.test':
      return json('hs.portlessdead.test');
    case 'redirect.test':
      return { status: 301, redirect: `https://www.redirect.test:${h}/.well-known/matrix/server` };
    case 'redirect308.test':
      return { status: 308, redirect: `https://www.redirect308.test:${h}/.well-known/matrix/server` };
    case 'www.redirect.test':
      return json(`hs.redirect.test:${h}`);
    case 'www.redirect308.test':
      return json(`hs.redirect308.test:${h}`);
    case 'badredirect.test':
      return { status: 302, redirect: 'http://badredirect.test/.well-known/matrix/server' };
    case 'html.test':
      return {
        body: '<!DOCTYPE html>\n<html><head><title>My site</title></head><body>Welcome</body></html>',
        headers: { 'content-type': 'text/html' },
      };
    case 'bom.test':
      return {
        body: Buffer.concat([BOM, Buffer.from(JSON.stringify({ 'm.server': `hs.bom.test:${h}` }))]),
        headers: { 'content-type': 'application/json' },
      };
    case 'badjson.test':
      return { body: `{"m.server": "hs.badjson.test:${h}",}`, headers: { 'content-type': 'application/json' } };
    case 'large.test':
      return { json: { 'm.server': `hs.large.test:${h}` }, padToBytes: 60_000 };
    case 'slow.test':
      return { ...json(`hs.slow.test:${h}`), delayMs: 2_100 };
    case 'cachelong.test':
      return json(`hs.cachelong.test:${h}`, { 'cache-control': 'public, max-age=604800' });
    case 'nostore.test':
      return json(`hs.nostore.test:${h}`, { 'cache-control': 'no-store' });
    case 'texttype.test':
      return {
        body: JSON.stringify({ 'm.server': `hs.texttype.test:${h}` }),
        headers: { 'content-type': 'text/plain' },
      };
    case 'status500.test':
      return { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain' } };
    case 'nxhost.test':
      return json(`hs.nxhost.test:${h}`);
    case 'proxy404.test':
      return json(`web404.proxy404.test:${h}`);
    case 'v6broken.test':
      return json(`hs.v6broken.test:${P}`);
    case 'v4broken.test':
      return json(`hs.v4broken.test:${Q}`);
    case 'v6only.test':
      return json(`hs.v6only.test:${Q}`);
    case 'srvignored.test':
      return json(`hs.srvignored.test:${h}`);
    case 'ipdelegate.test':
      return json(`${lab.address('hs')}:${h}`);
    case 'cdnport.test':
      // Delegated to 8448 of a host whose records Cloudflare proxies: the proxy carries 443, nothing answers 8448.
      return json(`hs.cdnport.test:${lab.ports.federation}`);
    case 'nocache.test':
      return json(`hs.nocache.test:${h}`, { 'cache-control': 'no-cache' });
    case 'srvok.test':
    case 'srvtwice.test':
    case 'srvudp.test':
    case 'srvzone.test':
    case 'srvcname.test':
    case 'legacy.test':
    case 'disagree.test':
    case 'srvcert.test':
    case 'dotsrv.test':
    case 'absent.test':
      return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
    default:
      // Every other name delegates to hs.<name> on the HTTPS port, the usual setup behind a reverse proxy.
      return zonesHave(`hs.${host}`) ? json(`hs.${host}:${h}`) : { status: 404, json: { errcode: 'M_NOT_FOUND' } };
  }
}

function clientDocument(host: string): LabResponse {
  const doc = { 'm.homeserver': { base_url: `https://hs.${host}:${H()}` } };
  switch (host) {
    case 'healthy.test':
    case 'badsupport.test':
      return { json: doc, headers: FULL_CORS };
    case 'nocors.test':
      return { json: doc };
    case 'partialcors.test':
      return { json: doc, headers: { 'access-control-allow-origin': '*' } };
    case 'clienthtml.test':
      return {
        body: '<!doctype html><html><body><div id="app"></div></body></html>',
        headers: { 'content-type': 'text/html', ...FULL_CORS },
      };
    case 'clientbom.test':
      return {
        body: Buffer.concat([BOM, Buffer.from(JSON.stringify(doc))]),
        headers: { 'content-type': 'application/json', ...FULL_CORS },
      };
    case 'basepath.test':
      return { json: { 'm.homeserver': { base_url: `https://hs.basepath.test:${H()}/_matrix` } }, headers: FULL_CORS };
    case 'clientstatus.test':
      return { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain', ...FULL_CORS } };
    case 'clientjson.test':
      return { body: '{"m.homeserver": {"base_url": ', headers: { 'content-type': 'application/json', ...FULL_CORS } };
    case 'clientnobase.test':
      return { json: { 'm.homeserver': {} }, headers: FULL_CORS };
    case 'clienthttp.test':
      return { json: { 'm.homeserver': { base_url: `http://hs.healthy.test:${H()}` } }, headers: FULL_CORS };
    case 'clientwrongbase.test':
      // The web server of the name itself, which does not forward /_matrix/.
      return { json: { 'm.homeserver': { base_url: `https://clientwrongbase.test:${H()}` } }, headers: FULL_CORS };
    case 'clientmix.test':
      return {
        body: JSON.stringify({
          'm.homeserver': { base_url: `https://hs.healthy.test:${H()}` },
          'm.identity_server': { base_url: `https://clientmix.test:${H()}` },
        }),
        headers: { 'content-type': 'text/plain', ...FULL_CORS },
      };
    default:
      return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
  }
}

function preflight(host: string): LabResponse {
  return host === 'nocors.test' ? { status: 405, body: '' } : { status: 204, headers: FULL_CORS };
}

function supportDocument(host: string): LabResponse {
  switch (host) {
    case 'healthy.test':
      return {
        json: {
          contacts: [{ matrix_id: '@admin:healthy.test', email_address: 'admin@healthy.test', role: 'm.role.admin' }],
        },
        headers: FULL_CORS,
      };
    case 'badsupport.test':
      return { json: { contacts: [{ matrix_id: 'admin', role: 'm.role.admin' }] } };
    case 'supportmix.test':
      return {
        body: JSON.stringify({
          contacts: [{ email_address: 'abuse@supportmix.test', role: 'abuse' }],
          support_page: 'http://supportmix.test/help',
        }),
        headers: { 'content-type': 'text/plain', ...FULL_CORS },
      };
    case 'supportpage.test':
      return {
        json: { contacts: [{ email_address: 'admin@supportpage.test', role: 'm.role.admin' }], support_page: 42 },
        headers: FULL_CORS,
      };
    case 'supportstatus.test':
      return { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain', ...FULL_CORS } };
    case 'supporthtml.test':
      return {
        body: '<!doctype html><html><body>Support</body></html>',
        headers: { 'content-type': 'text/html', ...FULL_CORS },
      };
    case 'supportbom.test':
      return {
        body: Buffer.concat([
          BOM,
          Buffer.from(JSON.stringify({ contacts: [{ email_address: 'a@supportbom.test', role: 'm.role.admin' }] })),
        ]),
        headers: { 'content-type': 'application/json', ...FULL_CORS },
      };
    case 'supportempty.test':
      return { json: {}, headers: FULL_CORS };
    case 'supportmany.test':
      return {
        json: {
          contacts: Array.from({ length: 65 }, (_, i) => ({
            email_address: `admin${i}@supportmany.test`,
            role: 'm.role.admin',
          })),
        },
        headers: FULL_CORS,
      };
    default:
      return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
  }
}

const web = ['web'];
const hs = ['hs'];
const ZONES: LabZones = {
  'healthy.test': { A: web },
  'hs.healthy.test': { A: hs },
  'scheme.test': { A: web },
  'hs.scheme.test': { A: hs },
  'portless.test': { A: web },
  'hs.portless.test': { A: hs },
  'portlessdead.test': { A: web },
  'hs.portlessdead.test': { A: ['hsp'] },
  'direct443.test': { A: hs },
  'redirect.test': { A: web },
  'www.redirect.test': { A: web },
  'hs.redirect.test': { A: hs },
  'redirect308.test': { A: web },
  'www.redirect308.test': { A: web },
  'hs.redirect308.test': { A: hs },
  'badredirect.test': { A: web },
  'html.test': { A: web },
  'bom.test': { A: web },
  'badjson.test': { A: web },
  'large.test': { A: web },
  'slow.test': { A: web },
  'hs.slow.test': { A: hs },
  'cachelong.test': { A: web },
  'hs.cachelong.test': { A: hs },
  'nostore.test': { A: web },
  'hs.nostore.test': { A: hs },
  'nocache.test': { A: web },
  'hs.nocache.test': { A: hs },
  'texttype.test': { A: web },
  'hs.texttype.test': { A: hs },
  'status500.test': { A: web },
  'private.test': { A: web },
  'hs.private.test': { A: ['hs', '10.0.0.5'] },
  'wrongkey.test': { A: web },
  'hs.wrongkey.test': { A: hs },
  'expiredkey.test': { A: web },
  'hs.expiredkey.test': { A: ['oldkeys'] },
  'proxy404.test': { A: web },
  'web404.proxy404.test': { A: web },
  'gateway.test': { A: web },
  'hs.gateway.test': { A: ['gw'] },
  'expired.test': { A: web },
  'hs.expired.test': { A: ['expired'] },
  'selfsigned.test': { A: web },
  'hs.selfsigned.test': { A: ['selfsigned'] },
  'chain.test': { A: web },
  'hs.chain.test': { A: ['nointermediate'] },
  'notyet.test': { A: web },
  'hs.notyet.test': { A: ['notyet'] },
  'wrongname.test': { A: web },
  'hs.wrongname.test': { A: ['wrongname'] },
  'plain.test': { A: web },
  'hs.plain.test': { A: ['plainhttp'] },
  'down.test': { A: web },
  'hs.down.test': { A: ['hsp'] },
  'v6broken.test': { A: web },
  'hs.v6broken.test': { A: ['hsp'], AAAA: ['::1'] },
  'v4broken.test': { A: web },
  'hs.v4broken.test': { A: ['hsp'], AAAA: ['v6'] },
  'v6only.test': { A: web },
  'hs.v6only.test': { AAAA: ['v6'] },
  'split.test': { A: web, AAAA: ['::1'] },
  'hs.split.test': { A: hs },
  'wrongplace.test': { A: ['fedwk'] },
  'hs.wrongplace.test': { A: hs },
  'srvok.test': { A: web },
  'fed.srvok.test': { A: ['fed'] },
  'srvcname.test': { A: web },
  'alias.srvcname.test': { CNAME: 'real.srvcname.test' },
  'real.srvcname.test': { A: ['fed'] },
  'legacy.test': { A: web },
  'fed.legacy.test': { A: ['fed'] },
  'disagree.test': { A: web },
  'fed.disagree.test': { A: ['fed'] },
  'old.disagree.test': { A: ['fed'] },
  'srvignored.test': { A: web },
  'hs.srvignored.test': { A: hs },
  'fed.srvignored.test': { A: ['fed'] },
  'srvcert.test': { A: web },
  'backend.srvcert.net': { A: ['srvtarget'] },
  'dotsrv.test': { A: web },
  'nxhost.test': { A: web },
  'servfail.test': { servfail: true },
  'ipdelegate.test': { A: web },
  'absent.test': { A: web },
  'wkdown.test': { A: ['hsp'] },
  'nocors.test': { A: web },
  'hs.nocors.test': { A: hs },
  'partialcors.test': { A: web },
  'hs.partialcors.test': { A: hs },
  'clienthtml.test': { A: web },
  'hs.clienthtml.test': { A: hs },
  'clientbom.test': { A: web },
  'hs.clientbom.test': { A: hs },
  'noclient.test': { A: web },
  'hs.noclient.test': { A: hs },
  'badsupport.test': { A: web },
  'hs.badsupport.test': { A: hs },
  // Field scenarios (issue 16).
  'cdnport.test': { A: web },
  'hs.cdnport.test': { A: ['cdnedge'] },
  'cdn443.test': { A: web },
  'hs.cdn443.test': { A: ['cdnedge'] },
  'traefik.test': { A: web },
  'hs.traefik.test': { A: ['traefik'] },
  'ingress.test': { A: web },
  'hs.ingress.test': { A: ['ingress'] },
  'snakeoil.test': { A: web },
  'hs.snakeoil.test': { A: ['snakeoil'] },
  'staging.test': { A: web },
  'hs.staging.test': { A: ['staginghs'] },
  'privateca.test': { A: web },
  'hs.privateca.test': { A: ['privatecahs'] },
  'botwall.test': { A: web },
  'hs.botwall.test': { A: ['botwall'] },
  'forbidden.test': { A: web },
  'hs.forbidden.test': { A: ['forbidden'] },
  'wkwall.test': { A: ['wkwall'] },
  'hs.wkwall.test': { A: hs },
  'hostport.test': { A: web },
  'hs.hostport.test': { A: ['hostexact'] },
  'rewrite.test': { A: web },
  'hs.rewrite.test': { A: ['rewriter'] },
  'srvtwice.test': { A: web },
  'fed.srvtwice.test': { A: ['fed'] },
  'srvudp.test': { A: web },
  'fed.srvudp.test': { A: ['fed'] },
  'srvzone.test': { A: web },
  'basepath.test': { A: web },
  'hs.basepath.test': { A: hs },
  // Client and support documents (no homeserver behind these names: only the documents matter).
  'docsdown.test': { A: ['hsp'] },
  'clientstatus.test': { A: web },
  'clientjson.test': { A: web },
  'clientnobase.test': { A: web },
  'clienthttp.test': { A: web },
  'clientwrongbase.test': { A: web },
  'clientmix.test': { A: web },
  'supportmix.test': { A: web },
  'supportpage.test': { A: web },
  'supportstatus.test': { A: web },
  'supporthtml.test': { A: web },
  'supportbom.test': { A: web },
  'supportempty.test': { A: web },
  'supportmany.test': { A: web },
};

function zonesHave(name: string): boolean {
  return Object.hasOwn(ZONES, name);
}

/** SRV records need the lab's federation port, known only once the lab runs. */
function srvZones(fed: number): Record<string, LabSrvRecord[]> {
  const to = (target: string, port = fed): LabSrvRecord[] => [{ priority: 10, weight: 5, port, target }];
  return {
    '_matrix-fed._tcp.srvok.test': to('fed.srvok.test'),
    '_matrix._tcp.srvok.test': to('fed.srvok.test'),
    '_matrix-fed._tcp.srvcname.test': to('alias.srvcname.test'),
    '_matrix._tcp.legacy.test': to('fed.legacy.test'),
    '_matrix-fed._tcp.disagree.test': to('fed.disagree.test'),
    '_matrix._tcp.disagree.test': to('old.disagree.test'),
    '_matrix-fed._tcp.srvignored.test': to('fed.srvignored.test'),
    '_matrix-fed._tcp.srvcert.test': to('backend.srvcert.net'),
    '_matrix-fed._tcp.dotsrv.test': to('.', 0),
    // DNS-panel mistakes: the zone appended to the name, UDP for the protocol, the zone appended to the target.
    '_matrix-fed._tcp.srvtwice.test.srvtwice.test': to('fed.srvtwice.test'),
    '_matrix-fed._udp.srvudp.test': to('fed.srvudp.test'),
    '_matrix-fed._tcp.srvzone.test': to('fed.srvzone.test.srvzone.test'),
  };
}

/** The homeserver behind hs.wrongkey.test was set up with its own host as server_name (the classic mistake). */
const homeserver = homeserverRoutes({
  serverNameFor: (host) => (host === 'hs.wrongkey.test' ? host : host.replace(/^hs\./, '')),
});
const notFound: LabResponse = { status: 404, json: { errcode: 'M_UNRECOGNIZED' } };
/** A firewall that refuses everyone the same way (403 and an HTML page), browsers included. */
const CHALLENGE_FOR_ALL: LabResponse = {
  status: 403,
  body: '<html><head><title>403 Forbidden</title></head><body>Access denied</body></html>',
  headers: { 'content-type': 'text/html' },
};

/** Server names to check, with their own options; the key is the report's name in these tests. */
function scenarios(): [string, string, Partial<CheckOptions>][] {
  // The scenario names are the zone names with two labels (`healthy.test`); the others are their hosts.
  const names = Object.keys(ZONES).filter((n) => /^[a-z0-9-]+\.test$/.test(n));
  const documents = new Set([
    'healthy.test',
    'nocors.test',
    'partialcors.test',
    'clienthtml.test',
    'clientbom.test',
    'noclient.test',
    'badsupport.test',
    'basepath.test',
    'docsdown.test',
    'clientstatus.test',
    'clientjson.test',
    'clientnobase.test',
    'clienthttp.test',
    'clientwrongbase.test',
    'clientmix.test',
    'supportmix.test',
    'supportpage.test',
    'supportstatus.test',
    'supporthtml.test',
    'supportbom.test',
    'supportempty.test',
    'supportmany.test',
  ]);
  // slow.test first: it mostly waits, so the other checks run meanwhile.
  const list = names
    .sort((a, b) => Number(b === 'slow.test') - Number(a === 'slow.test'))
    .map((n): [string, string, Partial<CheckOptions>] => [n, n, { checkDocuments: documents.has(n) }]);
  // Lab certificates live one day: the healthy check runs with a clock three weeks earlier, so the certificate looks
  // like one with weeks left (the real clock is the trigger of tls-expires-soon).
  const healthy = list.find(([key]) => key === 'healthy.test');
  if (healthy !== undefined) healthy[2] = { checkDocuments: true, now: () => Date.now() - 21 * DAY_MS };
  list.push(['healthy.test#real-clock', 'healthy.test', { checkDocuments: false }]);
  list.push(['bad_name.test', 'bad_name.test', {}]);
  list.push(['with-port', `hs.healthy.test:${H()}`, { checkDocuments: false }]);
  list.push(['ip-literal', `${lab.address('hs')}:${H()}`, { checkDocuments: false }]);
  return list;
}

/** A started lab and the report of every scenario, by key (`healthy.test`, `healthy.test#real-clock`, ...). */
export interface DiagnoseLabRun {
  readonly lab: Lab;
  /** A free port on ::1 where nothing listens (hsp listens on it over IPv4). */
  readonly P: number;
  /** The port `v6only` listens on, on ::1. */
  readonly Q: number;
  readonly reports: ReadonlyMap<string, CheckReport>;
}

/**
 * Starts the lab and checks every scenario (about a hundred server names, a few at a time): what the diagnosis lab
 * test asserts on, and what the i18n test diagnoses again in each language. One run at a time per process (the
 * lab's routes read this module's ports); close `lab` when done.
 */
export async function startDiagnoseLab(): Promise<DiagnoseLabRun> {
  reports.clear();
  [P, Q] = (await freePorts('::1', 2)) as [number, number];
  lab = await startLab({
    zones: ZONES,
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': serverWellKnown,
          'GET /.well-known/matrix/client': (req) => clientDocument(hostOf(req)),
          'OPTIONS /.well-known/matrix/client': (req) => preflight(hostOf(req)),
          'GET /.well-known/matrix/support': (req) => supportDocument(hostOf(req)),
        },
        fallback: NGINX_404,
      },
      hs: { routes: homeserver, fallback: homeserverFallback },
      hsp: { port: P, routes: homeserver, fallback: notFound },
      v6: { address: '::1', port: Q, routes: homeserver, fallback: notFound },
      fed: {
        port: 'federation',
        certificates: [
          { dnsNames: ['srvok.test', 'srvcname.test', 'legacy.test', 'disagree.test', 'srvignored.test'] },
        ],
        routes: homeserver,
        fallback: notFound,
      },
      fedwk: {
        port: 'federation',
        routes: { ...homeserver, 'GET /.well-known/matrix/server': () => json(`hs.wrongplace.test:${H()}`) },
        fallback: notFound,
      },
      srvtarget: {
        port: 'federation',
        certificates: [{ dnsNames: ['backend.srvcert.net'] }],
        routes: homeserver,
        fallback: notFound,
      },
      expired: { certificates: [{ kind: 'expired' }], routes: homeserver },
      selfsigned: { certificates: [{ kind: 'self-signed' }], routes: homeserver },
      nointermediate: { certificates: [{ kind: 'missing-intermediate' }], routes: homeserver },
      notyet: { certificates: [{ kind: 'not-yet-valid' }], routes: homeserver },
      wrongname: { certificates: [{ kind: 'wrong-name' }], routes: homeserver },
      plainhttp: { mode: 'http', routes: homeserver },
      gw: {
        routes: {
          'GET /_matrix/federation/v1/version': {
            status: 502,
            body: '<html><body>502 Bad Gateway</body></html>',
            headers: { 'content-type': 'text/plain' },
          },
          'GET /_matrix/key/v2/server': { status: 502, body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } },
        },
      },
      oldkeys: { routes: homeserverRoutes({ validUntilTs: () => Date.now() - DAY_MS }) },
      // A Cloudflare edge: it answers on the HTTPS port with its headers, and nothing answers on the federation port.
      cdnedge: { routes: withHeaders(homeserver, CLOUDFLARE_HEADERS), fallback: homeserverFallback },
      traefik: {
        certificates: [
          { kind: 'self-signed', commonName: 'TRAEFIK DEFAULT CERT', dnsNames: ['5c1e0b7f.a9d2.traefik.default'] },
        ],
        routes: homeserver,
      },
      ingress: {
        certificates: [
          {
            kind: 'self-signed',
            commonName: 'Kubernetes Ingress Controller Fake Certificate',
            dnsNames: ['ingress.local'],
          },
        ],
        routes: homeserver,
      },
      snakeoil: { certificates: [{ kind: 'self-signed', commonName: 'vm', dnsNames: ['vm'] }], routes: homeserver },
      staginghs: {
        certificates: [
          { issuer: { commonName: '(STAGING) Artificial Apricot R3', rootCommonName: '(STAGING) Pretend Pear X1' } },
        ],
        routes: homeserver,
      },
      privatecahs: {
        certificates: [{ issuer: { commonName: 'Example Corp Issuing CA', rootCommonName: 'Example Corp Root CA' } }],
        routes: homeserver,
      },
      botwall: { routes: behindBotProtection(homeserver), fallback: homeserverFallback },
      forbidden: { routes: {}, fallback: { ...CHALLENGE_FOR_ALL } },
      wkwall: {
        routes: behindBotProtection({ 'GET /.well-known/matrix/server': serverWellKnown }),
        fallback: NGINX_404,
      },
      hostexact: { routes: forHostExactly(homeserver, 'hs.hostport.test'), fallback: NGINX_404 },
      rewriter: { routes: homeserver, fallback: decodingProxyFallback },
    },
  });
  for (const [name, SRV] of Object.entries(srvZones(lab.ports.federation))) lab.dns.setName(name, { SRV });

  const base: CheckOptions = {
    ...lab.clientOptions(),
    allowNetworks: labAllowNetworks(lab, ['::1/128']),
    operationTimeoutMs: 4_000,
  };
  // The healthy checks first and alone, so that no load from the others can make them look slow; then the rest a
  // few at a time: each check makes a dozen TLS handshakes, and the lab serves them from this same process.
  const queue = scenarios();
  const alone = queue.filter(([key]) => key.startsWith('healthy.test'));
  for (const [key, name, options] of alone) reports.set(key, await checkServer(name, { ...base, ...options }));
  const rest = queue.filter(([key]) => !key.startsWith('healthy.test'));
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let next = rest.shift(); next !== undefined; next = rest.shift()) {
        const [key, name, options] = next;
        reports.set(key, await checkServer(name, { ...base, ...options }));
      }
    }),
  );
  return { lab, P, Q, reports };
}
