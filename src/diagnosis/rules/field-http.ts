// What stands between servers and the homeserver over HTTP: a firewall blocking by User-Agent, a proxy's Host routing, path rewriting.

import type { AddressReport, BrowserRetry } from '../../check-report/index.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { describeAddress, list } from '../text.js';
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

function answerWords(status: number | null, contentType: string | null): string {
  return `${status ?? 'no answer'}${contentType !== null ? ` (${contentType})` : ''}`;
}

function retryItem(where: string, r: BrowserRetry, challenge: boolean): string {
  return FIELD_TEXTS['firewall-blocks-homeservers.item']({
    where,
    first: answerWords(r.firstStatus, r.firstContentType),
    second: answerWords(r.httpStatus, r.answer?.contentType ?? null),
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
  const items: string[] = [];
  const hosts = new Set<string>();
  const wk = facts.input.probes.wellKnownBrowserRetry;
  if (wk?.differs === true) {
    items.push(retryItem(`https://${facts.host ?? facts.serverName}${wk.path}`, wk, false));
    hosts.add(facts.host ?? facts.serverName);
  }
  for (const a of facts.input.addresses) {
    for (const r of blockedRetries(a)) {
      items.push(retryItem(`${r.path} on ${describeAddress(a)}`, r, challenged(a, r.path)));
      hosts.add(a.target.tlsServerName);
    }
  }
  if (items.length === 0) return [];
  return [
    {
      id: 'firewall-blocks-homeservers',
      detail: FIELD_TEXTS['firewall-blocks-homeservers.detail']({ items: items.join('; ') }),
      fix: FIELD_TEXTS['firewall-blocks-homeservers.fix']({ hosts: list([...hosts]) }),
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
  const items = hits
    .map((a) =>
      FIELD_TEXTS['reverse-proxy-host-port.item']({
        address: describeAddress(a),
        firstHost: a.retries?.hostForm?.firstHostHeader ?? '',
        status: String(a.version?.httpStatus ?? '?'),
        secondHost: a.retries?.hostForm?.hostHeader ?? '',
      }),
    )
    .join('; ');
  const sentWithPort = /:\d+$/.test(first.firstHostHeader);
  const words = { items, sent: first.firstHostHeader, routed: first.hostHeader };
  const host = (sentWithPort ? first.hostHeader : first.firstHostHeader).replace(/^\[|\]$/g, '');
  return [
    {
      id: 'reverse-proxy-host-port',
      detail: sentWithPort
        ? FIELD_TEXTS['reverse-proxy-host-port.withPort'](words)
        : FIELD_TEXTS['reverse-proxy-host-port.withoutPort'](words),
      fix: FIELD_TEXTS['reverse-proxy-host-port.fix']({ host, routed: first.hostHeader }),
    },
  ];
};

/** nginx proxy_pass with a URI part, Apache without nocanon: ids with "/" or other encoded characters break. */
export const reverseProxyRewritesPath: Rule = (facts) => {
  const p = facts.input.probes.encodedPath ?? null;
  // A homeserver answers 401 to both (no signature): only a plain 401 next to another answer shows a rewrite.
  if (p === null || p.plain.httpStatus !== 401 || p.encoded.httpStatus === null || p.encoded.httpStatus === 401)
    return [];
  const answer = (status: number | null, errcode: string | null): string =>
    `${status ?? '?'}${errcode !== null ? ` ${errcode}` : ''}`;
  return [
    {
      id: 'reverse-proxy-rewrites-path',
      detail: FIELD_TEXTS['reverse-proxy-rewrites-path.detail']({
        address: p.address,
        hostHeader: p.hostHeader,
        plainPath: p.plain.path,
        plainAnswer: answer(p.plain.httpStatus, p.plain.errcode),
        encodedPath: p.encoded.path,
        encodedAnswer: answer(p.encoded.httpStatus, p.encoded.errcode),
      }),
      fix: FIELD_TEXTS['reverse-proxy-rewrites-path.fix'](),
    },
  ];
};
