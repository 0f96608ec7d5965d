// A CDN's proxy in front of the federation host: Cloudflare carries HTTPS on 443 and a few ports, never on 8448.

import type { AddressReport, AnswerHeaders } from '../../check-report/index.js';
import { localize } from '../../i18n/index.js';
import { CLOUDFLARE_DATA, cloudflareProxiesPort, cloudflareRange, isCloudflareAnswer } from '../cloudflare.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { describeAddressIn, hostPort, joinClauses, list, serverDocument } from '../text.js';
import { FIELD_TEXTS } from './field-texts.js';

/** An answer from a host (any port) and where it came from, for the evidence. */
interface HostAnswer {
  readonly where: string;
  readonly answer: AnswerHeaders;
  /** The federation API answered there. */
  readonly federation: boolean;
  readonly port: number;
}

/** Every answer the report has from `host`: the address checks and the HTTPS-port probes. */
function answersFrom(facts: Facts, host: string): HostAnswer[] {
  const found: HostAnswer[] = [];
  const same = (h: string): boolean => h.toLowerCase() === host;
  for (const a of facts.input.addresses) {
    if (!same(a.target.tlsServerName)) continue;
    for (const answer of [a.version?.answer, a.keys?.answer]) {
      if (answer) found.push({ where: a.address, answer, federation: a.version?.ok === true, port: a.target.port });
    }
  }
  const https = facts.input.probes.httpsPort;
  if (https?.answer && same(https.host)) {
    found.push({
      where: hostPort(https.host, https.port),
      answer: https.answer,
      federation: https.ok,
      port: https.port,
    });
  }
  for (const p of facts.input.probes.targetHttps ?? []) {
    if (p.answer && same(p.host))
      found.push({ where: hostPort(p.host, p.port), answer: p.answer, federation: p.ok, port: p.port });
  }
  return found;
}

/** Why `a`'s host looks like it is behind Cloudflare's proxy (empty when nothing says so). */
function cloudflareEvidence(facts: Facts, a: AddressReport): string[] {
  const evidence: string[] = [];
  const range = cloudflareRange(a.target.ip);
  if (range !== null) {
    evidence.push(
      localize(FIELD_TEXTS, facts.locale)('cdn-port-not-proxied.rangeEvidence', {
        ip: a.target.ip,
        range,
        source: CLOUDFLARE_DATA.rangesSource,
        asOf: CLOUDFLARE_DATA.asOf,
      }),
    );
  }
  const cf = answersFrom(facts, a.target.tlsServerName.toLowerCase()).find((h) => isCloudflareAnswer(h.answer));
  if (cf !== undefined) {
    const headers = [
      cf.answer.server !== null ? `Server: ${cf.answer.server}` : null,
      cf.answer.cfRay !== null ? `CF-Ray: ${cf.answer.cfRay}` : null,
    ].filter((h): h is string => h !== null);
    evidence.push(
      localize(FIELD_TEXTS, facts.locale)('cdn-port-not-proxied.headerEvidence', {
        where: cf.where,
        headers: list(headers, 4, facts.locale),
      }),
    );
  }
  return evidence;
}

/**
 * True when `a` failed on a port Cloudflare's proxy does not carry while its host is behind that proxy: the CDN
 * hint explains it, so the firewall and handshake hints leave it out.
 */
export function cdnExplains(facts: Facts, a: AddressReport): boolean {
  return a.connectionError !== null && !cloudflareProxiesPort(a.target.port) && cloudflareEvidence(facts, a).length > 0;
}

/** Cloudflare's proxied record on the federation host: 8448 never answers, and admins are told to open a firewall. */
export const cdnPortNotProxied: Rule = (facts) => {
  const failing = facts.input.addresses.filter((a) => cdnExplains(facts, a));
  const first = failing[0];
  if (first === undefined) return [];
  const t = localize(FIELD_TEXTS, facts.locale);
  const describe = describeAddressIn(facts.locale);
  const hosts = list([...new Set(failing.map((a) => a.target.tlsServerName))], 4, facts.locale);
  const ports = list([...new Set(failing.map((a) => String(a.target.port)))], 4, facts.locale);
  const host = first.target.tlsServerName;
  const through443 = answersFrom(facts, host.toLowerCase()).find((h) => h.federation && cloudflareProxiesPort(h.port));
  return [
    {
      id: 'cdn-port-not-proxied',
      detail:
        t('cdn-port-not-proxied.detail', {
          hosts,
          evidence: list([...new Set(failing.flatMap((a) => cloudflareEvidence(facts, a)))], 4, facts.locale),
          httpsPorts: list(CLOUDFLARE_DATA.httpsPorts.map(String), 6, facts.locale),
          ports,
          failures: joinClauses(
            failing.map((a) =>
              t('cdn-port-not-proxied.failure', { address: describe(a), code: a.connectionError?.code ?? '' }),
            ),
            facts.locale,
          ),
        }) +
        (through443 === undefined
          ? ''
          : t('cdn-port-not-proxied.through443', {
              port: String(through443.port),
              host,
              where: through443.where,
            })),
      fix: t('cdn-port-not-proxied.fix', {
        hosts,
        ports,
        document: serverDocument(`${host}:443`),
        wellKnownUrl: `https://${facts.host ?? facts.serverName}/.well-known/matrix/server`,
        host,
      }),
    },
  ];
};
