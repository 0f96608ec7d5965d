// Certificates that say where they come from: a TLS router's default certificate, a staging CA's certificate.

import type { AddressReport, CertificateSummary } from '../../check-report/index.js';
import { localize } from '../../i18n/index.js';
import type { Rule } from '../rule.js';
import { describeAddressIn, joinClauses, joinSentences, list } from '../text.js';
import { FIELD_TEXTS } from './field-texts.js';

/** Which router or server makes a default certificate (the last part of its texts' keys). */
export type DefaultCertificateKind = 'traefik' | 'ingressNginx' | 'machine';

/** Names of machines, not of sites: one label, or a suffix that only exists on local networks. */
function isMachineHostName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n === '' || /^[\d.]+$/.test(n) || n.includes(':') || n.includes(' ')) return false;
  return !n.includes('.') || /\.(localdomain|local|lan|home|internal|localhost|home\.arpa)$/.test(n);
}

/**
 * The kind of default certificate `cert` is, or null for an ordinary one: Traefik's (CN "TRAEFIK DEFAULT CERT", a
 * `*.traefik.default` name), ingress-nginx's (CN "Kubernetes Ingress Controller Fake Certificate"), or a self-signed
 * certificate for a machine's own host name, as Debian's make-ssl-cert writes it (subject = issuer = CN=<hostname>,
 * subjectAltName that same name).
 */
export function defaultCertificateKind(cert: CertificateSummary | undefined): DefaultCertificateKind | null {
  if (cert === undefined) return null;
  if (cert.subjectCommonName === 'TRAEFIK DEFAULT CERT' || cert.dnsNames.some((n) => /\.traefik\.default$/i.test(n)))
    return 'traefik';
  if (cert.subjectCommonName === 'Kubernetes Ingress Controller Fake Certificate') return 'ingressNginx';
  if (
    cert.selfSigned &&
    cert.subjectCommonName === cert.issuerCommonName &&
    isMachineHostName(cert.subjectCommonName) &&
    cert.dnsNames.every((n) => n.toLowerCase() === cert.subjectCommonName.toLowerCase())
  )
    return 'machine';
  return null;
}

/** The address presents a default certificate that does not do for the name servers check. */
export function presentsDefaultCertificate(a: AddressReport): boolean {
  const tls = a.tls;
  if (tls === null || (tls.trusted && tls.nameMatches)) return false;
  return defaultCertificateKind(tls.chain[0]) !== null;
}

/** A router (Traefik, ingress-nginx) or web server with no site for the SNI sent answers with its default certificate. */
export const tlsRouterDefaultCertificate: Rule = (facts) => {
  const hits = facts.connected.filter(presentsDefaultCertificate);
  if (hits.length === 0) return [];
  const byKind = new Map<DefaultCertificateKind, AddressReport[]>();
  for (const a of hits) {
    const kind = defaultCertificateKind(a.tls?.chain[0]);
    if (kind !== null) byKind.set(kind, [...(byKind.get(kind) ?? []), a]);
  }
  const t = localize(FIELD_TEXTS, facts.locale);
  const describe = describeAddressIn(facts.locale);
  const items = [...byKind].map(([kind, addresses]) => {
    const leaf = addresses[0]?.tls?.chain[0];
    return t('tls-router-default-certificate.item', {
      addresses: list(addresses.map(describe), 4, facts.locale),
      snis: list(
        [...new Set(addresses.map((a) => a.target.sni ?? t('tls-router-default-certificate.noSni')))],
        4,
        facts.locale,
      ),
      product: t(`tls-router-default-certificate.products.${kind}`),
      subject: leaf?.subjectCommonName ?? '',
      issuer: leaf?.issuerCommonName ?? '',
    });
  });
  const fixes = [...byKind].map(([kind, addresses]) => {
    const a = addresses[0];
    return t(`tls-router-default-certificate.fixes.${kind}`, {
      name: a?.target.tlsServerName ?? '',
      port: a?.target.port ?? 443,
    });
  });
  return [
    {
      id: 'tls-router-default-certificate',
      detail: t('tls-router-default-certificate.detail', {
        items: joinClauses(items, facts.locale),
        names: list([...new Set(hits.map((a) => a.target.tlsServerName))], 4, facts.locale),
      }),
      fix: joinSentences(fixes, facts.locale),
    },
  ];
};

/** Let's Encrypt's staging hierarchy: "(STAGING) <Adjective> <Produce> ..." names, and the older "Fake LE ..." ones. */
export function isStagingCaName(name: string): boolean {
  return /^\(STAGING\)/i.test(name.trim()) || /^Fake LE (Intermediate|Root) X\d+$/i.test(name.trim());
}

/** The staging CA name in `a`'s untrusted chain, or null. */
export function stagingIssuer(a: AddressReport): string | null {
  if (a.tls === null || a.tls.trusted) return null;
  for (const c of a.tls.chain) {
    if (isStagingCaName(c.issuerCommonName)) return c.issuerCommonName;
    if (isStagingCaName(c.subjectCommonName)) return c.subjectCommonName;
  }
  return null;
}

/** A certificate from Let's Encrypt's staging environment, left in place after testing. */
export const tlsStagingCertificate: Rule = (facts) => {
  const hits = facts.connected.filter((a) => stagingIssuer(a) !== null);
  if (hits.length === 0) return [];
  const names = [...new Set(hits.map((a) => a.target.tlsServerName))];
  const t = localize(FIELD_TEXTS, facts.locale);
  const describe = describeAddressIn(facts.locale);
  return [
    {
      id: 'tls-staging-certificate',
      detail: t('tls-staging-certificate.detail', {
        items: joinClauses(
          hits.map((a) => t('tls-staging-certificate.item', { address: describe(a), issuer: stagingIssuer(a) ?? '' })),
          facts.locale,
        ),
      }),
      fix: t('tls-staging-certificate.fix', {
        names: list(names, 4, facts.locale),
        name: names[0] ?? 'example.com',
      }),
    },
  ];
};
