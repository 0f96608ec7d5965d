// What stands between servers and the homeserver over HTTP: a firewall blocking by User-Agent, a proxy's Host routing, path rewriting.

import type { AddressReport, BrowserRetry } from '../../check-report/index.js';
import { localize, type Localized } from '../../i18n/index.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { describeAddressIn, joinClauses, list } from '../text.js';
import { FIELD_TEXTS } from './field-texts.js';

/** The browser retries of an address whose answer changed with the User-Agent. */
function blockedRetries(a: AddressReport): BrowserRetry[] {
  return (a.retries?.browser ?? []).filter((r) => r.differs);
}

/** True when the address answers homeservers differently from browsers: the firewall hint explains its failures. */
export function blockedByUserAgent(a: AddressReport): boolean {
  return blockedRetries(a).length > 0;
}

/** True when the server well-known answers a browser differently from this checker. */
export function wellKnownBlockedByUserAgent(facts: Facts): boolean {
  return facts.input.probes.wellKnownBrowserRetry?.differs === true;
}

type FieldTexts = Localized<(typeof FIELD_TEXTS)['en']>;

function retryItem(t: FieldTexts, where: string, r: BrowserRetry, challenge: boolean): string {
  return t('firewall-blocks-homeservers.item', {
    where,
    first: t('firewall-blocks-homeservers.answer', { status: r.firstStatus, contentType: r.firstContentType }),
    second: t('firewall-blocks-homeservers.answer', {
      status: r.httpStatus,
      contentType: r.answer?.contentType ?? null,
    }),
    challenge,
  });
}

/** The first answer of `path` on `a` was a Cloudflare challenge. */
function challenged(a: AddressReport, path: string): boolean {
  const answer = path.startsWith('/_matrix/key/') ? a.keys?.answer : a.version?.answer;
  return answer?.cfMitigated?.toLowerCase() === 'challenge';
}

/** A firewall or bot protection that lets browsers through and blocks everything that looks like a robot. */
export const firewallBlocksHomeservers: Rule = (facts) => {
  const t = localize(FIELD_TEXTS, facts.locale);
  const describe = describeAddressIn(facts.locale);
  const items: string[] = [];
  const hosts = new Set<string>();
  const wk = facts.input.probes.wellKnownBrowserRetry;
  if (wk?.differs === true) {
    items.push(retryItem(t, `https://${facts.host ?? facts.serverName}${wk.path}`, wk, false));
    hosts.add(facts.host ?? facts.serverName);
  }
  for (const a of facts.input.addresses) {
    for (const r of blockedRetries(a)) {
      const where = t('firewall-blocks-homeservers.where', { path: r.path, address: describe(a) });
      items.push(retryItem(t, where, r, challenged(a, r.path)));
      hosts.add(a.target.tlsServerName);
    }
  }
  if (items.length === 0) return [];
  return [
    {
      id: 'firewall-blocks-homeservers',
      detail: t('firewall-blocks-homeservers.detail', { items: joinClauses(items, facts.locale) }),
      fix: t('firewall-blocks-homeservers.fix', { hosts: list([...hosts], 4, facts.locale) }),
    },
  ];
};

/** True when the version request got the homeserver with the other Host form: the Host-routing hint explains it. */
export function hostFormExplains(a: AddressReport): boolean {
  return a.retries?.hostForm?.ok === true;
}

/** A proxy that matches the Host header exactly, with or without the port, while servers send the other form. */
export const reverseProxyHostPort: Rule = (facts) => {
  const hits = facts.input.addresses.filter(hostFormExplains);
  const first = hits[0]?.retries?.hostForm;
  if (first === undefined || first === null) return [];
  const t = localize(FIELD_TEXTS, facts.locale);
  const describe = describeAddressIn(facts.locale);
  const items = joinClauses(
    hits.map((a) =>
      t('reverse-proxy-host-port.item', {
        address: describe(a),
        firstHost: a.retries?.hostForm?.firstHostHeader ?? '',
        status: String(a.version?.httpStatus ?? '?'),
        secondHost: a.retries?.hostForm?.hostHeader ?? '',
      }),
    ),
    facts.locale,
  );
  const sentWithPort = /:\d+$/.test(first.firstHostHeader);
  const words = { items, sent: first.firstHostHeader, routed: first.hostHeader };
  const host = (sentWithPort ? first.hostHeader : first.firstHostHeader).replace(/^\[|\]$/g, '');
  return [
    {
      id: 'reverse-proxy-host-port',
      detail: sentWithPort
        ? t('reverse-proxy-host-port.withPort', words)
        : t('reverse-proxy-host-port.withoutPort', words),
      fix: t('reverse-proxy-host-port.fix', { host, routed: first.hostHeader }),
    },
  ];
};

/** nginx proxy_pass with a URI part, Apache without nocanon: ids with "/" or other encoded characters break. */
export const reverseProxyRewritesPath: Rule = (facts) => {
  const p = facts.input.probes.encodedPath ?? null;
  // A homeserver answers 401 to both (no signature): only a plain 401 next to another answer shows a rewrite.
  if (p === null || p.plain.httpStatus !== 401 || p.encoded.httpStatus === null || p.encoded.httpStatus === 401)
    return [];
  const t = localize(FIELD_TEXTS, facts.locale);
  const answer = (status: number | null, errcode: string | null): string =>
    `${status ?? '?'}${errcode !== null ? ` ${errcode}` : ''}`;
  return [
    {
      id: 'reverse-proxy-rewrites-path',
      detail: t('reverse-proxy-rewrites-path.detail', {
        address: p.address,
        hostHeader: p.hostHeader,
        plainPath: p.plain.path,
        plainAnswer: answer(p.plain.httpStatus, p.plain.errcode),
        encodedPath: p.encoded.path,
        encodedAnswer: answer(p.encoded.httpStatus, p.encoded.errcode),
      }),
      fix: t('reverse-proxy-rewrites-path.fix'),
    },
  ];
};
