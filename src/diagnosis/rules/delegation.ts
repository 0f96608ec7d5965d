// Rules about where delegation points: a missing :443, a well-known in the wrong place or different per address, an IP m.server.

import type { WellKnownByAddress } from '../../check-report/index.js';
import { localize, type Locale, type Localized } from '../../i18n/index.js';
import { describeWellKnown } from '../../resolver/describe.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { SPEC_FEDERATION_PORT, list, serverDocument } from '../text.js';
import { errorWords, reportErrorWords } from './error-words.js';
import { DELEGATION_TEXTS } from './delegation-texts.js';

/** The delegation texts in the facts' language. */
function textsOf(facts: Facts): Localized<(typeof DELEGATION_TEXTS)['en']> {
  return localize(DELEGATION_TEXTS, facts.locale);
}

function wellKnownUrl(facts: Facts): string {
  return `https://${facts.host ?? facts.serverName}/.well-known/matrix/server`;
}

/** Every target is on the default port (`step`), none works, and the HTTPS port answers the federation API. */
export function httpsPortWouldWork(facts: Facts, step: '3.5' | '6'): boolean {
  const probe = facts.input.probes.httpsPort;
  const targets = facts.input.resolution.targets;
  return (
    probe !== null &&
    probe.ok &&
    targets.length > 0 &&
    targets.every((t) => t.step === step) &&
    !facts.input.addresses.some((a) => a.ok)
  );
}

/** How the default-port addresses failed, in a few words. */
function defaultPortFailure(facts: Facts): string {
  const t = textsOf(facts);
  const failures = facts.input.addresses.map((a) =>
    t('failure.item', {
      address: a.address,
      how: a.connectionError?.code ?? (a.tls?.trusted === false ? t('failure.untrusted') : t('failure.fails')),
    }),
  );
  return list(failures, 3, facts.locale);
}

/** `m.server` without a port sends servers to 8448, yet the homeserver answers on 443: the port is missing. */
export const mServerPortOmitted: Rule = (facts) => {
  const probe = facts.input.probes.httpsPort;
  if (probe === null || facts.delegated === null || !httpsPortWouldWork(facts, '3.5')) return [];
  const mServer = facts.input.resolution.wellKnown.mServer ?? probe.host;
  const port = facts.input.resolution.targets[0]?.port ?? SPEC_FEDERATION_PORT;
  const t = textsOf(facts);
  return [
    {
      id: 'm-server-port-omitted',
      detail: t('m-server-port-omitted.detail', {
        url: wellKnownUrl(facts),
        document: serverDocument(mServer),
        host: probe.host,
        port,
        failures: defaultPortFailure(facts),
        httpsPort: probe.port,
        software: probe.software,
      }),
      fix: t('m-server-port-omitted.fix', { document: serverDocument(`${probe.host}:${probe.port}`) }),
    },
  ];
};

/** No delegation and no SRV: servers try 8448, but the homeserver is on 443 and nothing says so. */
export const delegationMissingFor443: Rule = (facts) => {
  const probe = facts.input.probes.httpsPort;
  if (probe === null || facts.delegated !== null || !httpsPortWouldWork(facts, '6')) return [];
  const host = probe.host;
  const port = facts.input.resolution.targets[0]?.port ?? SPEC_FEDERATION_PORT;
  const t = textsOf(facts);
  return [
    {
      id: 'delegation-missing-for-443',
      detail: t('delegation-missing-for-443.detail', {
        host,
        port,
        failures: defaultPortFailure(facts),
        httpsPort: probe.port,
        software: probe.software,
      }),
      fix: t('delegation-missing-for-443.fix', {
        url: wellKnownUrl(facts),
        document: serverDocument(`${host}:${probe.port}`),
        host,
        httpsPort: probe.port,
      }),
    },
  ];
};

/** The real well-known does not delegate, but a delegating copy sits on 8448, matrix./www. or an SRV target. */
export const wellKnownWrongPlace: Rule = (facts) => {
  if (!facts.wellKnownTried || facts.input.resolution.wellKnown.status === 'delegated') return [];
  const found = facts.input.probes.wellKnownElsewhere.filter((p) => p.status === 'delegated' && p.mServer !== null);
  const first = found[0];
  if (first === undefined) return [];
  const t = textsOf(facts);
  const where = found.map((p) =>
    t('well-known-wrong-place.item', { url: p.url, document: serverDocument(p.mServer ?? '') }),
  );
  const onFederationPort = found.some((p) => p.reason === 'federation-port');
  const words = {
    document: serverDocument(first.mServer ?? ''),
    url: wellKnownUrl(facts),
    host: facts.host ?? facts.serverName,
  };
  return [
    {
      id: 'well-known-wrong-place',
      detail: t('well-known-wrong-place.detail', {
        items: list(where, 4, facts.locale),
        url: wellKnownUrl(facts),
        detail: reportErrorWords(
          facts.input.resolution.wellKnown.detail,
          describeWellKnown(facts.input.resolution, facts.locale),
          facts.input.resolution.wellKnown.code,
          facts.locale,
          [wellKnownUrl(facts)],
        ),
      }),
      fix: onFederationPort
        ? t('well-known-wrong-place.fixFederationPort', words)
        : t('well-known-wrong-place.fixOtherHost', { ...words, otherHost: first.host }),
    },
  ];
};

function entryWords(t: Localized<(typeof DELEGATION_TEXTS)['en']>, w: WellKnownByAddress, locale: Locale): string {
  const what =
    w.status === 'delegated'
      ? t('well-known-differs-by-address.delegates', { mServer: w.mServer ?? '' })
      : t('well-known-differs-by-address.other', { status: w.status, detail: errorWords(w.code, w.detail, locale) });
  return t('well-known-differs-by-address.entry', { ip: w.ip, family: w.family, what });
}

/** Each address of the server name gives its own answer: which one a server sees depends on its network. */
export const wellKnownDiffersByAddress: Rule = (facts) => {
  const entries = facts.input.wellKnownByAddress.filter((w) => w.status !== 'blocked');
  const key = (w: WellKnownByAddress): string => `${w.status}|${w.mServer ?? ''}`;
  const groups = new Set(entries.map(key));
  if (entries.length < 2 || groups.size < 2) return [];
  // When the split follows the IP family exactly, say so: that is the usual cause (a listener on IPv4 only).
  const byFamily = ([4, 6] as const).map((f) => new Set(entries.filter((w) => w.family === f).map(key)));
  const familySplit =
    byFamily[0]!.size === 1 && byFamily[1]!.size === 1 && [...byFamily[0]!][0] !== [...byFamily[1]!][0];
  const v4 = entries.find((w) => w.family === 4);
  const v6 = entries.find((w) => w.family === 6);
  const t = textsOf(facts);
  const outcomeWords = (w: WellKnownByAddress): string =>
    w.status === 'delegated'
      ? t('well-known-differs-by-address.delegates', { mServer: w.mServer ?? '' })
      : t('well-known-differs-by-address.fails', { status: w.status });
  const summary =
    familySplit && v4 !== undefined && v6 !== undefined
      ? t('well-known-differs-by-address.byFamily', { v4: outcomeWords(v4), v6: outcomeWords(v6) })
      : t('well-known-differs-by-address.byAddress');
  return [
    {
      id: 'well-known-differs-by-address',
      detail: t('well-known-differs-by-address.detail', {
        summary,
        url: wellKnownUrl(facts),
        entries: entries.map((w) => entryWords(t, w, facts.locale)),
      }),
      fix: t('well-known-differs-by-address.fix', { host: facts.host ?? facts.serverName }),
    },
  ];
};

/** `m.server` an IP literal: legal (step 3.1), but the certificate then needs the IP address. */
export const mServerIpLiteral: Rule = (facts) => {
  if (!facts.input.resolution.trace.some((e) => e.step === '3.1' && e.status === 'taken')) return [];
  const mServer = facts.input.resolution.wellKnown.mServer ?? '';
  const t = textsOf(facts);
  return [
    {
      id: 'm-server-ip-literal',
      detail: t('m-server-ip-literal.detail', { mServer }),
      fix: t('m-server-ip-literal.fix'),
    },
  ];
};

/** The rules of this file, in order. */
export const delegationRules: readonly Rule[] = [
  mServerPortOmitted,
  delegationMissingFor443,
  wellKnownWrongPlace,
  wellKnownDiffersByAddress,
  mServerIpLiteral,
];
