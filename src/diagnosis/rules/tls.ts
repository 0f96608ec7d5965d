// Rules about the certificates of the target addresses (ground-truth §4 ValidCertificates; §2 "certificate name").

import type { AddressReport } from '../../check-report/index.js';
import type { HintId } from '../catalogue.js';
import type { Finding, Rule } from '../rule.js';
import { certificateNames, describeAddress, list, nameCovers } from '../text.js';
import { cdnExplains } from './field-cdn.js';
import { presentsDefaultCertificate, stagingIssuer } from './field-tls.js';

/** Soon enough to warn: automatic renewal (30 days before expiry with certbot) has evidently failed. */
export const CERTIFICATE_EXPIRY_WARNING_DAYS = 14;

const TRUST_HINTS: Readonly<Record<string, HintId>> = {
  TLS_EXPIRED: 'tls-expired',
  TLS_NOT_YET_VALID: 'tls-not-yet-valid',
  TLS_SELF_SIGNED: 'tls-self-signed',
  TLS_INCOMPLETE_CHAIN: 'tls-incomplete-chain',
};

/** The leaf of an address's chain in words: its names and validity. */
function leafWords(a: AddressReport): string {
  const leaf = a.tls?.chain[0];
  if (leaf === undefined) return 'no certificate';
  const names = certificateNames(leaf);
  return `a certificate for ${names.length > 0 ? list(names) : `CN=${leaf.subjectCommonName}`} issued by "${leaf.issuerCommonName}", valid ${leaf.validFrom} to ${leaf.validTo}`;
}

/** Why the name checked is this one, by resolution step. */
function whyThisName(a: AddressReport): string {
  const step = a.target.step;
  if (step === '1' || step === '3.1') return 'the IP address servers connect to, since it was given as an IP literal';
  if (step === '3.2' || step === '3.3' || step === '3.4' || step === '3.5')
    return 'the host delegated to in "m.server"';
  if (a.target.srv !== null)
    return 'the server name: an SRV record changes where servers connect, never the name they check';
  return 'the server name';
}

function fixForTrust(id: HintId, addresses: readonly AddressReport[]): string {
  const names = [...new Set(addresses.map((a) => a.target.tlsServerName))];
  const at = list(addresses.map(describeAddress));
  switch (id) {
    case 'tls-expired':
      return `Renew the certificate for ${list(names)} (e.g. certbot renew) and reload the server that terminates TLS on ${at}; check that renewal runs automatically (a cron job or systemd timer).`;
    case 'tls-not-yet-valid':
      return `Check the clock of the server (and of whatever issued the certificate); if the dates are wrong, issue a new certificate for ${list(names)}.`;
    case 'tls-self-signed':
      return `Use a certificate from a public CA for ${list(names)} (e.g. Let's Encrypt: certbot certonly -d ${names[0] ?? 'example.com'}); servers do not trust self-signed certificates, and federation has no "accept anyway".`;
    case 'tls-incomplete-chain':
      return `Serve the full chain on ${at}: the certificate followed by its intermediate(s) (certbot's fullchain.pem, not cert.pem; nginx ssl_certificate fullchain.pem). Browsers fetch a missing intermediate themselves, servers do not.`;
    default:
      return `Use a certificate for ${list(names)} from a CA in the public trust stores (e.g. Let's Encrypt), served with its intermediates on ${at}.`;
  }
}

/** Expired, not yet valid, self-signed, incomplete chain, otherwise untrusted: one hint per kind. */
export const tlsTrust: Rule = (facts) => {
  const byId = new Map<HintId, AddressReport[]>();
  for (const a of facts.connected) {
    if (a.tls === null || a.tls.trusted) continue;
    // A router's default certificate or a staging CA's has a hint of its own, with the fix that works.
    if (presentsDefaultCertificate(a) || stagingIssuer(a) !== null) continue;
    const id = TRUST_HINTS[a.tls.trustError?.code ?? ''] ?? 'tls-untrusted';
    byId.set(id, [...(byId.get(id) ?? []), a]);
  }
  return [...byId].map(([id, addresses]): Finding => ({
    id,
    detail:
      addresses
        .map((a) => `${describeAddress(a)} presents ${leafWords(a)}: ${a.tls?.trustError?.message ?? 'not trusted'}`)
        .join('; ') + '.',
    fix: fixForTrust(id, addresses),
  }));
};

/** The leaf covers the SRV target but not the name servers check: the pre-1.0 SRV convention. */
function certificateIsForSrvTarget(a: AddressReport): boolean {
  const target = a.target.srv?.target;
  if (target === undefined || a.tls === null || a.tls.nameMatches) return false;
  return certificateNames(a.tls.chain[0]).some((n) => nameCovers(n, target));
}

/** A certificate for another name (not the SRV-target case, which has its own hint). */
export const tlsWrongName: Rule = (facts) => {
  const wrong = facts.connected.filter(
    (a) => a.tls !== null && !a.tls.nameMatches && !certificateIsForSrvTarget(a) && !presentsDefaultCertificate(a),
  );
  if (wrong.length === 0) return [];
  const names = [...new Set(wrong.map((a) => a.target.tlsServerName))];
  return [
    {
      id: 'tls-wrong-name',
      detail:
        wrong
          .map((a) => {
            const has = certificateNames(a.tls?.chain[0]);
            return `${describeAddress(a)} presents a certificate for ${has.length > 0 ? list(has, 6) : 'no name at all'}, but servers need ${a.target.tlsServerName} (${whyThisName(a)})`;
          })
          .join('; ') + '.',
      fix:
        `Get a certificate that includes ${list(names)} (e.g. certbot -d ${names[0] ?? ''}) and have ${list(wrong.map((a) => a.address))} present it` +
        (wrong.some((a) => a.target.sni !== null)
          ? ` for the SNI ${list([...new Set(wrong.map((a) => a.target.sni ?? ''))].filter((s) => s !== ''))}.`
          : '.'),
    },
  ];
};

/** SRV delegation with a certificate for the SRV target only: valid before Matrix 1.0, refused since. */
export const tlsCertificateForSrvTarget: Rule = (facts) => {
  const hits = facts.connected.filter(certificateIsForSrvTarget);
  const first = hits[0];
  if (first === undefined || first.target.srv === null) return [];
  const srv = first.target.srv;
  const name = first.target.tlsServerName;
  const port = first.target.port;
  return [
    {
      id: 'tls-certificate-for-srv-target',
      detail:
        `${srv.name} points at ${srv.target}:${port}, and ${describeAddress(first)} presents a certificate for ${list(certificateNames(first.tls?.chain[0]))}; ` +
        `but servers check the certificate against ${name}, never against the SRV target (spec "Resolving server names"; the SRV target's name was accepted only before Matrix 1.0).`,
      fix:
        `Add ${name} to the certificate served on ${srv.target}:${port} (for SNI ${name}), or delegate with a well-known instead: ` +
        `{"m.server": "${srv.target}:${port}"} at https://${name}/.well-known/matrix/server, for which the ${srv.target} certificate is the right one.`,
    },
  ];
};

/** A trusted certificate that expires within two weeks. */
export const tlsExpiresSoon: Rule = (facts) => {
  const soon = facts.connected.filter(
    (a) =>
      a.tls !== null &&
      a.tls.trusted &&
      a.tls.expiresInDays !== null &&
      a.tls.expiresInDays >= 0 &&
      a.tls.expiresInDays < CERTIFICATE_EXPIRY_WARNING_DAYS,
  );
  if (soon.length === 0) return [];
  return [
    {
      id: 'tls-expires-soon',
      detail:
        soon
          .map(
            (a) =>
              `The certificate of ${describeAddress(a)} expires in ${a.tls?.expiresInDays ?? 0} day(s), on ${a.tls?.chain[0]?.validTo ?? '?'}`,
          )
          .join('; ') + '.',
      fix: `Renew it now (e.g. certbot renew) and check why automatic renewal did not happen (certbot renews 30 days ahead).`,
    },
  ];
};

/** OpenSSL messages run over several lines of internals; the first says what happened. */
function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').replace(/:+$/, '');
}

const HANDSHAKE_CODES: ReadonlySet<string> = new Set(['TLS_ERROR', 'CONNECTION_RESET', 'TIMEOUT']);

/** TCP connects but TLS does not happen: usually a plain-HTTP listener on the federation port. */
export const tlsHandshakeFailed: Rule = (facts) => {
  const failed = facts.input.addresses.filter(
    (a) => a.connectionError !== null && HANDSHAKE_CODES.has(a.connectionError.code) && !cdnExplains(facts, a),
  );
  if (failed.length === 0) return [];
  const ports = [...new Set(failed.map((a) => a.target.port))];
  return [
    {
      id: 'tls-handshake-failed',
      detail:
        failed
          .map(
            (a) =>
              `${describeAddress(a)}: ${a.connectionError?.code ?? ''} (${firstLine(a.connectionError?.message ?? '')})`,
          )
          .join('; ') + '.',
      fix:
        `Terminate TLS on port ${list(ports.map(String))}: something accepts connections there but does not complete a TLS handshake (often a plain-HTTP listener, ` +
        'such as Synapse\'s 8008, or nginx "listen 8448;" without "ssl"). Use "listen <port> ssl;" with a valid certificate, or delegate to the port that speaks TLS.',
    },
  ];
};

/** The rules of this file, in order. */
export const tlsRules: readonly Rule[] = [
  tlsTrust,
  tlsCertificateForSrvTarget,
  tlsWrongName,
  tlsExpiresSoon,
  tlsHandshakeFailed,
];
