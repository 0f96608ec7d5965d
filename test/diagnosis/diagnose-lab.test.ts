// The hint catalogue end to end: one lab, many server names, each hint triggered by one scenario and silent in another.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checker/types.js';
import { HINT_CATALOGUE, type HintId } from '../../src/diagnosis/index.js';
import type { Lab } from '../../src/testing/index.js';
import { startDiagnoseLab } from './diagnose-lab-scenarios.js';

let lab: Lab;
/** A free port on ::1 where nothing listens (see the scenarios). */
let P = 0;
let reports: ReadonlyMap<string, CheckReport> = new Map();

/** The lab's HTTPS port (443 when the process may bind it). */
const H = (): number => lab.ports.https;

beforeAll(async () => {
  ({ lab, P, reports } = await startDiagnoseLab());
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
