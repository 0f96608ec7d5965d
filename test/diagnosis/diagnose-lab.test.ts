// The hint catalogue end to end: one lab, many server names, each hint triggered by one scenario and silent in another.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { CheckOptions, CheckReport } from '../../src/checker/types.js';
import { HINT_CATALOGUE, type HintId } from '../../src/diagnosis/index.js';
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

beforeAll(async () => {
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
}, 30_000);

afterAll(async () => {
  await lab?.close();
});

function report(key: string): CheckReport {
  const r = reports.get(key);
  if (r === undefined) throw new Error(`no scenario ${key}`);
  return r;
}

function ids(key: string): string[] {
  return report(key).hints.map((h) => h.id);
}

function hint(key: string, id: HintId) {
  const found = report(key).hints.find((h) => h.id === id);
  if (found === undefined) throw new Error(`${key}: no hint ${id}; got ${ids(key).join(', ')}`);
  return found;
}

/** [hint, scenario that triggers it, scenario where it must stay silent]. */
const CASES: readonly [HintId, string, string][] = [
  ['server-name-invalid', 'bad_name.test', 'healthy.test'],
  ['server-name-has-port', 'with-port', 'healthy.test'],
  ['server-name-ip-literal', 'ip-literal', 'with-port'],
  ['dns-no-address', 'nxhost.test', 'healthy.test'],
  ['dns-lookup-failed', 'servfail.test', 'nxhost.test'],
  ['dns-private-address', 'private.test', 'healthy.test'],
  ['dns-ipv6-only', 'v6only.test', 'v4broken.test'],
  ['srv-unavailable', 'dotsrv.test', 'srvok.test'],
  ['srv-target-cname', 'srvcname.test', 'srvok.test'],
  ['srv-deprecated-only', 'legacy.test', 'srvok.test'],
  ['srv-legacy-disagrees', 'disagree.test', 'srvok.test'],
  ['srv-ignored-by-well-known', 'srvignored.test', 'srvok.test'],
  ['well-known-m-server-malformed', 'scheme.test', 'badjson.test'],
  ['well-known-html', 'html.test', 'badjson.test'],
  ['well-known-bom', 'bom.test', 'badjson.test'],
  ['well-known-invalid-document', 'badjson.test', 'html.test'],
  ['well-known-too-large', 'large.test', 'healthy.test'],
  ['well-known-bad-redirect', 'badredirect.test', 'redirect.test'],
  ['well-known-unreachable', 'wkdown.test', 'wrongplace.test'],
  ['well-known-http-status', 'status500.test', 'absent.test'],
  ['well-known-absent', 'absent.test', 'srvok.test'],
  ['well-known-wrong-place', 'wrongplace.test', 'wkdown.test'],
  ['well-known-differs-by-address', 'split.test', 'healthy.test'],
  ['well-known-redirect', 'redirect.test', 'redirect308.test'],
  ['well-known-redirect-308', 'redirect308.test', 'redirect.test'],
  ['well-known-slow', 'slow.test', 'healthy.test'],
  ['well-known-cache-too-long', 'cachelong.test', 'nostore.test'],
  ['well-known-no-cache', 'nostore.test', 'cachelong.test'],
  ['well-known-content-type', 'texttype.test', 'healthy.test'],
  ['m-server-port-omitted', 'portless.test', 'portlessdead.test'],
  ['delegation-missing-for-443', 'direct443.test', 'absent.test'],
  ['m-server-ip-literal', 'ipdelegate.test', 'healthy.test'],
  ['tls-expired', 'expired.test', 'healthy.test'],
  ['tls-not-yet-valid', 'notyet.test', 'expired.test'],
  ['tls-self-signed', 'selfsigned.test', 'chain.test'],
  ['tls-incomplete-chain', 'chain.test', 'selfsigned.test'],
  ['tls-wrong-name', 'wrongname.test', 'srvcert.test'],
  ['tls-certificate-for-srv-target', 'srvcert.test', 'wrongname.test'],
  ['tls-expires-soon', 'healthy.test#real-clock', 'healthy.test'],
  ['tls-handshake-failed', 'plain.test', 'healthy.test'],
  ['address-unreachable', 'down.test', 'v6broken.test'],
  ['ipv6-unreachable', 'v6broken.test', 'v4broken.test'],
  ['ipv4-unreachable', 'v4broken.test', 'v6broken.test'],
  ['reverse-proxy-not-forwarding', 'proxy404.test', 'gateway.test'],
  ['federation-endpoint-error', 'gateway.test', 'proxy404.test'],
  ['keys-server-name-mismatch', 'wrongkey.test', 'healthy.test'],
  ['keys-invalid', 'expiredkey.test', 'wrongkey.test'],
  ['client-cors-missing', 'nocors.test', 'partialcors.test'],
  ['client-cors-incomplete', 'partialcors.test', 'nocors.test'],
  ['client-preflight-failed', 'nocors.test', 'healthy.test'],
  ['client-html', 'clienthtml.test', 'healthy.test'],
  ['client-bom', 'clientbom.test', 'healthy.test'],
  ['client-well-known-missing', 'noclient.test', 'healthy.test'],
  ['support-contact-invalid', 'badsupport.test', 'healthy.test'],
  ['support-cors-missing', 'badsupport.test', 'healthy.test'],
  ['tls-untrusted', 'privateca.test', 'staging.test'],
  ['client-fetch-failed', 'docsdown.test', 'healthy.test'],
  ['client-http-status', 'clientstatus.test', 'healthy.test'],
  ['client-invalid-document', 'clientjson.test', 'healthy.test'],
  ['client-base-url-missing', 'clientnobase.test', 'healthy.test'],
  ['client-base-url-invalid', 'clienthttp.test', 'healthy.test'],
  ['client-homeserver-unreachable', 'clientwrongbase.test', 'basepath.test'],
  ['client-identity-server-broken', 'clientmix.test', 'healthy.test'],
  ['client-content-type', 'clientmix.test', 'healthy.test'],
  ['support-fetch-failed', 'docsdown.test', 'healthy.test'],
  ['support-http-status', 'supportstatus.test', 'healthy.test'],
  ['support-html', 'supporthtml.test', 'healthy.test'],
  ['support-bom', 'supportbom.test', 'healthy.test'],
  ['support-invalid-document', 'supportempty.test', 'healthy.test'],
  ['support-role-not-namespaced', 'supportmix.test', 'healthy.test'],
  ['support-page-invalid', 'supportpage.test', 'supportmix.test'],
  ['support-page-not-https', 'supportmix.test', 'supportpage.test'],
  ['support-content-type', 'supportmix.test', 'healthy.test'],
  ['support-problem', 'supportmany.test', 'healthy.test'],
  // What admins meet in the field (issue 16).
  ['cdn-port-not-proxied', 'cdnport.test', 'cdn443.test'],
  ['tls-router-default-certificate', 'traefik.test', 'selfsigned.test'],
  ['tls-staging-certificate', 'staging.test', 'privateca.test'],
  ['firewall-blocks-homeservers', 'botwall.test', 'forbidden.test'],
  ['srv-record-misnamed', 'srvtwice.test', 'absent.test'],
  ['srv-target-zone-appended', 'srvzone.test', 'srvok.test'],
  ['reverse-proxy-host-port', 'hostport.test', 'proxy404.test'],
  ['reverse-proxy-rewrites-path', 'rewrite.test', 'healthy.test'],
  ['client-base-url-has-path', 'basepath.test', 'healthy.test'],
];

describe('each hint fires in its scenario and stays silent in another', () => {
  it.each(CASES)('%s: fires for %s, silent for %s', (id, trigger, silent) => {
    expect(ids(trigger)).toContain(id);
    expect(ids(silent)).not.toContain(id);
    const h = hint(trigger, id);
    expect(h).toMatchObject({
      severity: HINT_CATALOGUE[id].severity,
      area: HINT_CATALOGUE[id].area,
      title: HINT_CATALOGUE[id].title,
    });
    expect(h.detail.length).toBeGreaterThan(20);
    expect(h.fix.length).toBeGreaterThan(20);
  });
});

describe('a healthy server', () => {
  it('federates and gets no error or warning at all', () => {
    const r = report('healthy.test');
    expect(r.federationOk).toBe(true);
    expect(r.client?.status).toBe('SUCCESS');
    expect(r.support?.status).toBe('valid');
    expect(r.hints.filter((h) => h.severity !== 'info')).toEqual([]);
  });
});

describe('details and fixes carry the concrete values', () => {
  it('m.server with a scheme and a path: names both, suggests host:443', () => {
    const h = hint('scheme.test', 'well-known-m-server-malformed');
    expect(h.detail).toContain('https://hs.scheme.test/');
    expect(h.detail).toMatch(/scheme.*path/);
    expect(h.fix).toContain('{"m.server": "hs.scheme.test:443"}');
  });

  it('port omitted: the fix is the delegation with the HTTPS port, and the 8448 failure is not reported separately', () => {
    const h = hint('portless.test', 'm-server-port-omitted');
    expect(h.fix).toContain(`{"m.server": "hs.portless.test:${H()}"}`);
    expect(h.detail).toContain('CONNECT_REFUSED');
    expect(ids('portless.test')).not.toContain('address-unreachable');
  });

  it('wrong certificate name: says which name was needed and which names the certificate has', () => {
    const h = hint('wrongname.test', 'tls-wrong-name');
    expect(h.detail).toContain('hs.wrongname.test');
    expect(h.detail).toContain('wrong.invalid');
  });

  it('certificate for the SRV target: names the target and the name to add, and does not also say "wrong name"', () => {
    const h = hint('srvcert.test', 'tls-certificate-for-srv-target');
    expect(h.detail).toContain('backend.srvcert.net');
    expect(h.fix).toContain('srvcert.test');
    expect(h.fix).toContain(`{"m.server": "backend.srvcert.net:${lab.ports.federation}"}`);
    expect(ids('srvcert.test')).not.toContain('tls-wrong-name');
  });

  it('key server_name of the delegated host: says it is the delegated host', () => {
    const h = hint('wrongkey.test', 'keys-server-name-mismatch');
    expect(h.detail).toContain('"hs.wrongkey.test"');
    expect(h.detail).toContain('delegates to');
    expect(h.fix).toContain('server_name: "wrongkey.test"');
  });

  it('private addresses: the address, and that the other address is still used', () => {
    const h = hint('private.test', 'dns-private-address');
    expect(h.detail).toContain('10.0.0.5');
    expect(report('private.test').reachable).toBe(true);
  });

  it('well-known by address: says IPv4 delegates and IPv6 does not', () => {
    const h = hint('split.test', 'well-known-differs-by-address');
    expect(h.detail).toMatch(/Over IPv4 it delegates to hs\.split\.test:\d+, over IPv6 it fails/);
  });

  it('IPv6 down: lists the IPv6 address and suggests removing the AAAA record', () => {
    const h = hint('v6broken.test', 'ipv6-unreachable');
    expect(h.detail).toContain(`[::1]:${P}`);
    expect(h.fix).toContain('AAAA');
  });

  it('well-known on the federation port: names where it was found', () => {
    const h = hint('wrongplace.test', 'well-known-wrong-place');
    expect(h.detail).toContain(`https://wrongplace.test:${lab.ports.federation}/.well-known/matrix/server`);
    expect(h.fix).toContain(`{"m.server": "hs.wrongplace.test:${H()}"}`);
  });

  it('SRV legacy disagreeing: both targets are named', () => {
    const h = hint('disagree.test', 'srv-legacy-disagrees');
    expect(h.detail).toContain('fed.disagree.test');
    expect(h.detail).toContain('old.disagree.test');
  });

  it('redirect chain: every hop with its status', () => {
    expect(hint('redirect.test', 'well-known-redirect').detail).toMatch(
      /\(301\) -> https:\/\/www\.redirect\.test.*\(200\)/,
    );
  });

  it('HTML well-known: quotes the start of the page', () => {
    expect(hint('html.test', 'well-known-html').detail).toContain('<!DOCTYPE html>');
  });
});

describe('field situations: the hint that names them, and not the generic one', () => {
  it("a CDN's proxied record: names Cloudflare, the ports it carries and both fixes; no firewall hint", () => {
    const h = hint('cdnport.test', 'cdn-port-not-proxied');
    expect(h.detail).toContain('hs.cdnport.test');
    expect(h.detail).toContain('Server: cloudflare');
    expect(h.detail).toContain('443, 2053, 2083, 2087, 2096 and 8443');
    expect(h.detail).toContain(String(lab.ports.federation));
    expect(h.fix).toContain('DNS only');
    expect(h.fix).toContain('{"m.server": "hs.cdnport.test:443"}');
    expect(ids('cdnport.test')).not.toContain('address-unreachable');
    expect(ids('cdnport.test')).not.toContain('tls-handshake-failed');
    expect(report('cdn443.test').federationOk).toBe(true);
  });

  it("each router's default certificate is named for what it is, with the SNI it lacks, instead of self-signed / wrong name", () => {
    for (const [name, words] of [
      ['traefik.test', "Traefik's default certificate"],
      ['ingress.test', 'ingress-nginx'],
      ['snakeoil.test', 'snakeoil'],
    ] as const) {
      const h = hint(name, 'tls-router-default-certificate');
      expect(h.detail, name).toContain(words);
      expect(h.detail, name).toContain(`SNI hs.${name}`);
      expect(h.fix, name).toContain(`hs.${name}`);
      expect(ids(name), name).not.toContain('tls-self-signed');
      expect(ids(name), name).not.toContain('tls-wrong-name');
    }
  });

  it('a staging certificate: names the staging issuer and the production fix, not "untrusted"', () => {
    const h = hint('staging.test', 'tls-staging-certificate');
    expect(h.detail).toContain('(STAGING) Artificial Apricot R3');
    expect(h.fix).toContain('--test-cert');
    expect(ids('staging.test')).not.toContain('tls-untrusted');
  });

  it('bot protection on the federation endpoints: both answers, and not "not forwarded"', () => {
    const h = hint('botwall.test', 'firewall-blocks-homeservers');
    expect(h.detail).toContain('403 (text/html; charset=UTF-8)');
    expect(h.detail).toContain('cf-mitigated: challenge');
    expect(h.detail).toMatch(/but 200 \(application\/json\) to a browser's User-Agent/);
    expect(h.fix).toContain('/_matrix/');
    expect(ids('botwall.test')).not.toContain('reverse-proxy-not-forwarding');
    expect(ids('botwall.test')).not.toContain('federation-endpoint-error');
  });

  it('bot protection on the server well-known: the browser gets the document, servers a challenge', () => {
    const h = hint('wkwall.test', 'firewall-blocks-homeservers');
    expect(h.detail).toContain('https://wkwall.test/.well-known/matrix/server answers 403');
    expect(ids('wkwall.test')).not.toContain('well-known-http-status');
    const retry = report('wkwall.test').probes.wellKnownBrowserRetry;
    expect(retry?.httpStatus).toBe(200);
  });

  it('a proxy that refuses everyone alike gets no User-Agent hint', () => {
    const retries = report('forbidden.test').addresses.flatMap((a) => a.retries?.browser ?? []);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((r) => !r.differs)).toBe(true);
  });

  it('SRV records under a panel-mangled name: the name found, the name to use and the exact record', () => {
    const h = hint('srvtwice.test', 'srv-record-misnamed');
    expect(h.detail).toContain('_matrix-fed._tcp.srvtwice.test.srvtwice.test');
    expect(h.fix).toContain(
      `_matrix-fed._tcp.srvtwice.test. 3600 IN SRV 10 5 ${lab.ports.federation} fed.srvtwice.test.`,
    );
    const udp = hint('srvudp.test', 'srv-record-misnamed');
    expect(udp.detail).toContain('_matrix-fed._udp.srvudp.test');
    expect(udp.detail).toContain('UDP');
  });

  it('an SRV target with the zone appended: the target to write, and no "publish an A record for it"', () => {
    const h = hint('srvzone.test', 'srv-target-zone-appended');
    expect(h.detail).toContain('fed.srvzone.test.srvzone.test');
    expect(h.fix).toContain(
      `_matrix-fed._tcp.srvzone.test. 3600 IN SRV 10 5 ${lab.ports.federation} fed.srvzone.test.`,
    );
    expect(ids('srvzone.test')).not.toContain('dns-no-address');
  });

  it('a proxy routing on the Host without the port: both Host forms named', () => {
    const h = hint('hostport.test', 'reverse-proxy-host-port');
    expect(h.detail).toContain(`Host hs.hostport.test:${H()}`);
    expect(h.detail).toContain('with Host hs.hostport.test the homeserver answers');
    expect(ids('hostport.test')).not.toContain('reverse-proxy-not-forwarding');
  });

  it('a proxy decoding paths: both requests and their answers, and the proxy_pass fix', () => {
    const h = hint('rewrite.test', 'reverse-proxy-rewrites-path');
    expect(h.detail).toContain('%2F');
    expect(h.detail).toContain('401 M_UNAUTHORIZED');
    expect(h.detail).toContain('404 M_UNRECOGNIZED');
    expect(h.fix).toContain('proxy_pass');
  });

  it('a base URL with /_matrix: the URL without it, and not "forward /_matrix/"', () => {
    const h = hint('basepath.test', 'client-base-url-has-path');
    // The URL's origin: the port is left out when it is https's own (443).
    const origin = new URL(`https://hs.basepath.test:${H()}`).origin;
    expect(h.fix).toContain(`{"m.homeserver": {"base_url": "${origin}"}}`);
    expect(ids('basepath.test')).not.toContain('client-homeserver-unreachable');
  });
});

describe('corrections to existing hints', () => {
  it('"m.server" malformed: says that spec-following servers fall back and Synapse does not reach the server', () => {
    const h = hint('scheme.test', 'well-known-m-server-malformed');
    expect(h.detail).toContain('Servers that follow the spec ignore the document and fall back');
    expect(h.detail).toContain('Synapse takes the value as it is');
  });

  it('Cache-Control: no-cache alone is no reason to warn (Synapse honours no-store, max-age and Expires only)', () => {
    expect(ids('nocache.test')).not.toContain('well-known-no-cache');
    expect(ids('nostore.test')).toContain('well-known-no-cache');
  });

  it('a redirect to http: says what the spec and Synapse say, not that every server fails', () => {
    const h = hint('badredirect.test', 'well-known-bad-redirect');
    expect(h.detail).toContain('X.509');
    expect(h.detail).toContain("Synapse's redirect handling does not refuse http://");
  });

  it('CORS: each header once, with the values it lacks', () => {
    const h = hint('partialcors.test', 'client-cors-incomplete');
    expect(h.detail).toContain('Access-Control-Allow-Methods: GET, POST, PUT, DELETE, OPTIONS');
    expect(h.detail.match(/Access-Control-Allow-Methods/g)).toHaveLength(1);
    expect(h.detail.match(/Access-Control-Allow-Headers/g)).toHaveLength(1);
  });
});

describe('order and uniqueness', () => {
  it('hints are sorted most severe first and each id appears once', () => {
    const rank = { error: 0, warning: 1, info: 2 } as const;
    for (const [key, r] of reports) {
      const ranks = r.hints.map((h) => rank[h.severity]);
      expect(ranks, key).toEqual([...ranks].sort((a, b) => a - b));
      expect(new Set(r.hints.map((h) => h.id)).size, key).toBe(r.hints.length);
    }
  });
});
