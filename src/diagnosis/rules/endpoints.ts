// Rules about reaching the addresses and what answers there: firewalls, one IP family down, proxies, the server keys.

import type { AddressReport } from '../../check-report/index.js';
import { localize, type Locale, type Localized } from '../../i18n/index.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { SPEC_FEDERATION_PORT, describeAddressIn, list } from '../text.js';
import { ENDPOINT_TEXTS } from './endpoints-texts.js';
import { errorWords } from './error-words.js';
import { keyProblemWords } from './key-problem-words.js';
import { unreadWords } from './read-back.js';
import { httpsPortWouldWork } from './delegation.js';
import { cdnExplains } from './field-cdn.js';
import { blockedByUserAgent, hostFormExplains } from './field-http.js';

/** A failure to reach the address at all (as opposed to TLS or HTTP failures). */
function connectFailed(a: AddressReport): boolean {
  return a.connectionError !== null && a.connectionError.code.startsWith('CONNECT_');
}

/** Addresses of family `f` all unreachable while the other family connects. */
function familyDown(facts: Facts, f: 4 | 6): AddressReport[] {
  const mine = facts.input.addresses.filter((a) => a.family === f);
  const other = facts.input.addresses.filter((a) => a.family !== f);
  if (mine.length === 0 || !mine.every(connectFailed) || !other.some((a) => a.connectionError === null)) return [];
  return mine;
}

type Texts = Localized<(typeof ENDPOINT_TEXTS)['en']>;

/** The hints' texts in the language of the facts. */
function textsFor(locale: Locale): Texts {
  return localize(ENDPOINT_TEXTS, locale);
}

function failureWords(a: AddressReport, t: Texts, locale: Locale): string {
  return t('failure', {
    address: describeAddressIn(locale)(a),
    code: a.connectionError?.code ?? '',
    message: errorWords(a.connectionError?.code ?? null, a.connectionError?.message ?? '', locale),
  });
}

/**
 * What the check said about an endpoint's answer or the keys, in `locale`: the key checks' and the endpoints' own
 * sentences read back (key-problem-words.ts); any other (a connection's, a timeout's) through `errorWords`. A key
 * problem no form reads (cut by the report's bounds) is the check's own words, marked as such, not a system's text.
 */
function endpointWords(
  problem: { readonly code: string; readonly message: string } | null | undefined,
  fallback: string,
  endpoint: 'version' | 'keys',
  locale: Locale,
): string {
  const code = problem?.code ?? null;
  return keyProblemWords(problem?.message ?? fallback, endpoint, locale, (message, l) =>
    code?.startsWith('KEYS_') === true ? unreadWords(message, l) : errorWords(code, message, l),
  );
}

/** AAAA published, IPv6 broken: servers with IPv6 try it first and wait (or fail, for the tester's verdict). */
export const ipv6Unreachable: Rule = (facts) => {
  const down = familyDown(facts, 6);
  if (down.length === 0) return [];
  const hosts = [...new Set(down.map((a) => a.target.addressOf ?? a.target.ip))];
  const v4 = facts.input.addresses.filter((a) => a.family === 4 && a.connectionError === null).map((a) => a.address);
  const locale = facts.locale;
  const t = textsFor(locale);
  return [
    {
      id: 'ipv6-unreachable',
      detail: t('ipv6-unreachable.detail', {
        failures: down.map((a) => failureWords(a, t, locale)),
        connected: list(v4, 4, locale),
      }),
      fix: t('ipv6-unreachable.fix', {
        ports: list([...new Set(down.map((a) => String(a.target.port)))], 4, locale),
        port: String(down[0]?.target.port ?? SPEC_FEDERATION_PORT),
        hosts: list(hosts, 4, locale),
      }),
    },
  ];
};

/** The reverse: A published, IPv4 broken. */
export const ipv4Unreachable: Rule = (facts) => {
  const down = familyDown(facts, 4);
  if (down.length === 0) return [];
  const hosts = [...new Set(down.map((a) => a.target.addressOf ?? a.target.ip))];
  const v6 = facts.input.addresses.filter((a) => a.family === 6 && a.connectionError === null).map((a) => a.address);
  const locale = facts.locale;
  const t = textsFor(locale);
  return [
    {
      id: 'ipv4-unreachable',
      detail: t('ipv4-unreachable.detail', {
        failures: down.map((a) => failureWords(a, t, locale)),
        connected: list(v6, 4, locale),
      }),
      fix: t('ipv4-unreachable.fix', {
        ports: list([...new Set(down.map((a) => String(a.target.port)))], 4, locale),
        hosts: list(hosts, 4, locale),
      }),
    },
  ];
};

/** Refused, timed out or unreachable, where no family or port hint explains it. */
export const addressUnreachable: Rule = (facts) => {
  const explained = new Set<AddressReport>([...familyDown(facts, 4), ...familyDown(facts, 6)]);
  if (httpsPortWouldWork(facts, '3.5') || httpsPortWouldWork(facts, '6'))
    for (const a of facts.input.addresses) explained.add(a);
  const failed = facts.input.addresses.filter((a) => connectFailed(a) && !explained.has(a) && !cdnExplains(facts, a));
  if (failed.length === 0) return [];
  const locale = facts.locale;
  const t = textsFor(locale);
  const ports = [...new Set(failed.map((a) => a.target.port))].map(String);
  const codes = new Set(failed.map((a) => a.connectionError?.code));
  const advice: string[] = [];
  if (codes.has('CONNECT_REFUSED')) {
    advice.push(
      t('address-unreachable.refused', {
        ports: list(ports, 4, locale),
        ips: list([...new Set(failed.map((a) => a.target.ip))], 4, locale),
        port: ports[0] ?? '8448',
      }),
    );
  }
  if (codes.has('CONNECT_TIMEOUT')) advice.push(t('address-unreachable.timeout', { ports: list(ports, 4, locale) }));
  if (codes.has('CONNECT_UNREACHABLE')) advice.push(t('address-unreachable.noRoute'));
  const all = failed.length === facts.input.addresses.length;
  const failures = failed.map((a) => failureWords(a, t, locale));
  return [
    {
      id: 'address-unreachable',
      detail: all
        ? t(failed.length === 1 ? 'address-unreachable.detail.only' : 'address-unreachable.detail.every', { failures })
        : t('address-unreachable.detail.some', {
            failed: failed.length,
            total: facts.input.addresses.length,
            failures,
          }),
      fix: t('advice', { items: advice }),
    },
  ];
};

function isHtml(contentType: string | null): boolean {
  return contentType !== null && /^text\/html\b/i.test(contentType.trim());
}

/** A web server answers instead of the homeserver: the request is not forwarded for this Host / port. */
function proxyMiss(a: AddressReport, t: Texts, locale: Locale): string | null {
  const v = a.version;
  const k = a.keys;
  const missing = (s: number | null): boolean => s === 404 || s === 405 || s === 421;
  const asked = { address: describeAddressIn(locale)(a), host: a.target.hostHeader };
  if (v !== null && (missing(v.httpStatus) || isHtml(v.contentType) || (v.httpStatus === 200 && !v.ok))) {
    const status = String(v.httpStatus ?? '?');
    return v.contentType !== null
      ? t('reverse-proxy-not-forwarding.versionTyped', { ...asked, status, contentType: v.contentType })
      : t('reverse-proxy-not-forwarding.version', { ...asked, status });
  }
  if (k !== null && missing(k.httpStatus)) {
    return t('reverse-proxy-not-forwarding.keys', { ...asked, status: String(k.httpStatus ?? '?') });
  }
  return null;
}

/** 404/405/HTML/non-JSON on the federation endpoints: the proxy does not forward this Host and port. */
export const reverseProxyNotForwarding: Rule = (facts) => {
  const t = textsFor(facts.locale);
  const misses = facts.input.addresses
    // A firewall answering by User-Agent, or a proxy routing on the other Host form, has a hint of its own.
    .filter((a) => !blockedByUserAgent(a) && !hostFormExplains(a))
    .map((a) => ({ a, what: proxyMiss(a, t, facts.locale) }))
    .filter((m): m is { a: AddressReport; what: string } => m.what !== null);
  const first = misses[0];
  if (first === undefined) return [];
  const host = first.a.target.hostHeader.replace(/:\d+$/, '');
  const port = String(first.a.target.port);
  return [
    {
      id: 'reverse-proxy-not-forwarding',
      detail: t('reverse-proxy-not-forwarding.detail', { misses: misses.map((m) => m.what) }),
      fix: t('reverse-proxy-not-forwarding.fix', { host, port, hostHeader: first.a.target.hostHeader }),
    },
  ];
};

/** Server errors, timeouts, resets on the endpoints (not a proxy miss). */
export const federationEndpointError: Rule = (facts) => {
  const t = textsFor(facts.locale);
  const seen: string[] = [];
  let gateway = false;
  for (const a of facts.connected) {
    if (proxyMiss(a, t, facts.locale) !== null || blockedByUserAgent(a)) continue;
    const v = a.version;
    if (v !== null && !v.ok) {
      seen.push(
        t('federation-endpoint-error.version', {
          address: describeAddressIn(facts.locale)(a),
          error: endpointWords(v.error, `HTTP ${v.httpStatus ?? '?'}`, 'version', facts.locale),
        }),
      );
      if (v.httpStatus !== null && v.httpStatus >= 502 && v.httpStatus <= 504) gateway = true;
    }
    const k = a.keys;
    if (k !== null && k.httpStatus !== 200 && k.httpStatus !== 404) {
      seen.push(
        t('federation-endpoint-error.keys', {
          address: describeAddressIn(facts.locale)(a),
          error: endpointWords(k.problems[0], `HTTP ${k.httpStatus ?? '?'}`, 'keys', facts.locale),
        }),
      );
      if (k.httpStatus !== null && k.httpStatus >= 502 && k.httpStatus <= 504) gateway = true;
    }
  }
  if (seen.length === 0) return [];
  return [
    {
      id: 'federation-endpoint-error',
      detail: t('federation-endpoint-error.detail', { items: seen }),
      fix: t(gateway ? 'federation-endpoint-error.gateway' : 'federation-endpoint-error.other'),
    },
  ];
};

/** The keys belong to another server name: usually `server_name` set to the delegated host. */
export const keysServerNameMismatch: Rule = (facts) => {
  const wrong = facts.connected.filter(
    (a) => a.keys !== null && a.keys.httpStatus === 200 && a.keys.serverName !== null && !a.keys.matchingServerName,
  );
  const first = wrong[0];
  if (first === undefined || first.keys === null) return [];
  const claimed = first.keys.serverName ?? '';
  const claimedHost = claimed.replace(/:\d+$/, '').toLowerCase();
  const delegatedHost = facts.delegated?.host.toLowerCase() ?? null;
  const delegates = facts.delegated !== null || first.target.srv !== null;
  const t = textsFor(facts.locale);
  let why = '';
  if (delegatedHost !== null && claimedHost === delegatedHost) {
    why = t('keys-server-name-mismatch.whyDelegated', { claimed });
  } else if (first.target.srv !== null && claimedHost === first.target.srv.target.toLowerCase()) {
    why = t('keys-server-name-mismatch.whySrv', { claimed });
  } else if (first.target.addressOf !== null && claimedHost === first.target.addressOf.toLowerCase()) {
    why = t('keys-server-name-mismatch.whyConnected', { claimed });
  }
  const names = { serverName: facts.serverName, claimed };
  return [
    {
      id: 'keys-server-name-mismatch',
      detail: t('keys-server-name-mismatch.detail', {
        addresses: list(wrong.map(describeAddressIn(facts.locale)), 4, facts.locale),
        count: wrong.length,
        ...names,
        why,
      }),
      fix: t(delegates ? 'keys-server-name-mismatch.fixDelegates' : 'keys-server-name-mismatch.fix', names),
    },
  ];
};

/** Expired keys, no ed25519 key, bad keys or signatures. */
export const keysInvalid: Rule = (facts) => {
  const bad = facts.connected
    .map((a) => ({
      a,
      problems: (a.keys?.httpStatus === 200 ? a.keys.problems : []).filter(
        (p) => p.code !== 'KEYS_SERVER_NAME_MISMATCH',
      ),
    }))
    .filter((x) => x.problems.length > 0);
  if (bad.length === 0) return [];
  const t = textsFor(facts.locale);
  const codes = new Set(bad.flatMap((x) => x.problems.map((p) => String(p.code))));
  const advice: string[] = [];
  if (codes.has('KEYS_EXPIRED')) advice.push(t('keys-invalid.expired'));
  if (codes.has('KEYS_BAD_SIGNATURE') || codes.has('KEYS_MISSING_SIGNATURE') || codes.has('KEYS_BAD_KEY')) {
    advice.push(t('keys-invalid.signature'));
  }
  // Server-server API "Retrieving server keys": the version after "ed25519:" matches [a-zA-Z0-9_].
  if (codes.has('KEYS_BAD_KEY_ID')) advice.push(t('keys-invalid.keyId'));
  if (codes.has('KEYS_NO_ED25519') || codes.has('KEYS_INVALID_RESPONSE') || codes.has('KEYS_NOT_CANONICAL_JSON')) {
    advice.push(t('keys-invalid.notKeys'));
  }
  if (advice.length === 0) advice.push(t('keys-invalid.other'));
  return [
    {
      id: 'keys-invalid',
      // The key problems' messages are the report's data (English): said again in the hint's language.
      detail: t('keys-invalid.detail', {
        items: bad.map((x) =>
          t('keys-invalid.item', {
            address: describeAddressIn(facts.locale)(x.a),
            problems: x.problems.map((p) => endpointWords(p, p.message, 'keys', facts.locale)),
          }),
        ),
      }),
      fix: t('advice', { items: advice }),
    },
  ];
};

/** The rules of this file, in order. */
export const endpointRules: readonly Rule[] = [
  ipv6Unreachable,
  ipv4Unreachable,
  addressUnreachable,
  reverseProxyNotForwarding,
  federationEndpointError,
  keysServerNameMismatch,
  keysInvalid,
];
