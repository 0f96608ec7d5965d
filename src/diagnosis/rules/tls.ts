// Rules about the certificates of the target addresses (ground-truth §4 ValidCertificates; §2 "certificate name").

import type { AddressReport } from '../../check-report/index.js';
import { localize, type Locale, type Localized } from '../../i18n/index.js';
import type { HintId } from '../catalogue.js';
import type { Finding, Rule } from '../rule.js';
import { certificateNames, describeAddressIn, list, nameCovers } from '../text.js';
import { errorWords } from './error-words.js';
import { TLS_TEXTS, trustProblemWords } from './tls-texts.js';
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

type Texts = Localized<(typeof TLS_TEXTS)['en']>;

/** The hints' texts in the language of the facts. */
function textsFor(locale: Locale): Texts {
  return localize(TLS_TEXTS, locale);
}

/** The leaf of an address's chain in words: its names and validity. */
function leafWords(a: AddressReport, t: Texts, locale: Locale): string {
  const leaf = a.tls?.chain[0];
  if (leaf === undefined) return t('leaf.none');
  const names = certificateNames(leaf);
  const validity = { issuer: leaf.issuerCommonName, from: leaf.validFrom, to: leaf.validTo };
  return names.length > 0
    ? t('leaf.names', { names: list(names, 4, locale), ...validity })
    : t('leaf.commonName', { commonName: leaf.subjectCommonName, ...validity });
}

/** Why the name checked is this one, by resolution step. */
function whyThisName(a: AddressReport, t: Texts): string {
  const step = a.target.step;
  if (step === '1' || step === '3.1') return t('why.ipLiteral');
  if (step === '3.2' || step === '3.3' || step === '3.4' || step === '3.5') return t('why.delegated');
  if (a.target.srv !== null) return t('why.srv');
  return t('why.serverName');
}

/** What the check said about an untrusted chain, in `locale` (its own words when they cannot be read back). */
function trustWords(a: AddressReport, t: Texts, locale: Locale): string {
  const error = a.tls?.trustError;
  if (error === null || error === undefined) return t('trust.notTrusted');
  return trustProblemWords(error.code, error.message, locale);
}

function fixForTrust(id: HintId, addresses: readonly AddressReport[], t: Texts, locale: Locale): string {
  const names = [...new Set(addresses.map((a) => a.target.tlsServerName))];
  const at = list(addresses.map(describeAddressIn(locale)), 4, locale);
  switch (id) {
    case 'tls-expired':
      return t('tls-expired.fix', { names: list(names, 4, locale), addresses: at });
    case 'tls-not-yet-valid':
      return t('tls-not-yet-valid.fix', { names: list(names, 4, locale) });
    case 'tls-self-signed':
      return t('tls-self-signed.fix', { names: list(names, 4, locale), first: names[0] ?? 'example.com' });
    case 'tls-incomplete-chain':
      return t('tls-incomplete-chain.fix', { addresses: at });
    default:
      return t('tls-untrusted.fix', { names: list(names, 4, locale), addresses: at });
  }
}

/** Expired, not yet valid, self-signed, incomplete chain, otherwise untrusted: one hint per kind. */
export const tlsTrust: Rule = (facts) => {
  const t = textsFor(facts.locale);
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
    detail: t('items', {
      items: addresses.map((a) =>
        t('trust.item', {
          address: describeAddressIn(facts.locale)(a),
          leaf: leafWords(a, t, facts.locale),
          problem: trustWords(a, t, facts.locale),
        }),
      ),
    }),
    fix: fixForTrust(id, addresses, t, facts.locale),
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
  const locale = facts.locale;
  const t = textsFor(locale);
  const names = [...new Set(wrong.map((a) => a.target.tlsServerName))];
  const fix = {
    names: list(names, 4, locale),
    first: names[0] ?? '',
    addresses: list(
      wrong.map((a) => a.address),
      4,
      locale,
    ),
  };
  return [
    {
      id: 'tls-wrong-name',
      detail: t('items', {
        items: wrong.map((a) => {
          const has = certificateNames(a.tls?.chain[0]);
          const seen = { address: describeAddressIn(locale)(a), name: a.target.tlsServerName, why: whyThisName(a, t) };
          return has.length > 0
            ? t('tls-wrong-name.item', { ...seen, has: list(has, 6, locale) })
            : t('tls-wrong-name.itemNoName', seen);
        }),
      }),
      fix: wrong.some((a) => a.target.sni !== null)
        ? t('tls-wrong-name.fixSni', {
            ...fix,
            snis: list(
              [...new Set(wrong.map((a) => a.target.sni ?? ''))].filter((s) => s !== ''),
              4,
              locale,
            ),
          })
        : t('tls-wrong-name.fix', fix),
    },
  ];
};

/** SRV delegation with a certificate for the SRV target only: valid before Matrix 1.0, refused since. */
export const tlsCertificateForSrvTarget: Rule = (facts) => {
  const hits = facts.connected.filter(certificateIsForSrvTarget);
  const first = hits[0];
  if (first === undefined || first.target.srv === null) return [];
  const t = textsFor(facts.locale);
  const srv = first.target.srv;
  const name = first.target.tlsServerName;
  const port = String(first.target.port);
  return [
    {
      id: 'tls-certificate-for-srv-target',
      detail: t('tls-certificate-for-srv-target.detail', {
        srv: srv.name,
        target: srv.target,
        port,
        address: describeAddressIn(facts.locale)(first),
        names: list(certificateNames(first.tls?.chain[0]), 4, facts.locale),
        name,
      }),
      fix: t('tls-certificate-for-srv-target.fix', { name, target: srv.target, port }),
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
  const t = textsFor(facts.locale);
  return [
    {
      id: 'tls-expires-soon',
      detail: t('items', {
        items: soon.map((a) =>
          t('tls-expires-soon.item', {
            address: describeAddressIn(facts.locale)(a),
            days: a.tls?.expiresInDays ?? 0,
            date: a.tls?.chain[0]?.validTo ?? '?',
          }),
        ),
      }),
      fix: t('tls-expires-soon.fix'),
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
  const t = textsFor(facts.locale);
  const ports = [...new Set(failed.map((a) => a.target.port))];
  return [
    {
      id: 'tls-handshake-failed',
      detail: t('items', {
        items: failed.map((a) =>
          t('tls-handshake-failed.item', {
            address: describeAddressIn(facts.locale)(a),
            code: a.connectionError?.code ?? '',
            message: errorWords(
              a.connectionError?.code ?? null,
              firstLine(a.connectionError?.message ?? ''),
              facts.locale,
            ),
          }),
        ),
      }),
      fix: t('tls-handshake-failed.fix', { ports: list(ports.map(String), 4, facts.locale) }),
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
