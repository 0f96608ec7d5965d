// Rules about the server well-known document itself (spec step 3; ground-truth §2 "The well-known fetch", §3).

import { localize, type Localized } from '../../i18n/index.js';
import { describeWellKnown } from '../../resolver/describe.js';
import type { Facts } from '../facts.js';
import type { Finding, Rule } from '../rule.js';
import { SPEC_FEDERATION_PORT, cleanServerName, serverDocument, suggestMServer, suggestion } from '../text.js';
import { wellKnownBlockedByUserAgent } from './field-http.js';
import { WELL_KNOWN_TEXTS } from './well-known-texts.js';
import { reportErrorWords } from './error-words.js';

/** The well-known texts in the facts' language. */
function textsOf(facts: Facts): Localized<(typeof WELL_KNOWN_TEXTS)['en']> {
  return localize(WELL_KNOWN_TEXTS, facts.locale);
}

const REDIRECT_CODES: ReadonlySet<string> = new Set([
  'WELL_KNOWN_BAD_REDIRECT',
  'WELL_KNOWN_REDIRECT_LOOP',
  'WELL_KNOWN_TOO_MANY_REDIRECTS',
]);
/** Slower than this is worth a warning: every first contact with the server waits for it. */
export const WELL_KNOWN_SLOW_MS = 2_000;
/** Synapse clamps the well-known cache lifetime to at most 48 hours (and at least 5 minutes); the spec caps it at 48 hours. */
export const WELL_KNOWN_MAX_CACHE_SECONDS = 48 * 3600;

function url(facts: Facts): string {
  return `https://${facts.host ?? facts.serverName}/.well-known/matrix/server`;
}

function outcome(facts: Facts) {
  return facts.input.resolution.wellKnown;
}

/** What the well-known fetch gave, in the facts' language when that keeps every value (the report's words else). */
function fetchWords(facts: Facts): string {
  const resolution = facts.input.resolution;
  return reportErrorWords(
    resolution.wellKnown.detail,
    describeWellKnown(resolution, facts.locale),
    resolution.wellKnown.code,
    facts.locale,
    [url(facts)],
  );
}

/** Where resolution went after the well-known, in words, for details ("servers fall back to ..."). */
function fallbackWords(facts: Facts): string {
  const t = textsOf(facts);
  const steps = new Set(facts.input.resolution.targets.map((target) => target.step));
  const host = facts.host ?? '';
  if (steps.has('4')) return t('fallback.srv', { host });
  if (steps.has('5')) return t('fallback.legacySrv', { host });
  if (steps.has('6'))
    return t('fallback.port', { host, port: facts.input.resolution.targets[0]?.port ?? SPEC_FEDERATION_PORT });
  return t('fallback.none');
}

function isInvalidJson(facts: Facts): boolean {
  return outcome(facts).status === 'invalid' && outcome(facts).code === 'WELL_KNOWN_INVALID_JSON';
}

function hasBom(facts: Facts): boolean {
  const probe = facts.input.probes.wellKnownBody;
  return probe !== null ? probe.hasBom : isInvalidJson(facts) && outcome(facts).detail.includes('byte order mark');
}

function looksLikeHtml(facts: Facts): boolean {
  const probe = facts.input.probes.wellKnownBody;
  if (probe !== null) return probe.looksLikeHtml;
  return /^text\/html\b/i.test(facts.wellKnown?.contentType ?? '');
}

function isMalformedMServer(facts: Facts): boolean {
  const o = outcome(facts);
  return o.status === 'invalid' && o.code === 'WELL_KNOWN_INVALID_M_SERVER' && o.mServer !== null;
}

/** `m.server` with a scheme, a path, spaces...: say exactly what to write instead. */
export const wellKnownMServerMalformed: Rule = (facts) => {
  if (!isMalformedMServer(facts)) return [];
  const t = textsOf(facts);
  const raw = outcome(facts).mServer ?? '';
  const c = cleanServerName(raw, facts.locale);
  const faults =
    c.faults.length > 0
      ? t('well-known-m-server-malformed.faults', { faults: c.faults })
      : t('well-known-m-server-malformed.notHostPort');
  let fix: string;
  if (c.cleaned === null) {
    fix = t('well-known-m-server-malformed.fixUnclear', {
      suggestion: suggestion(suggestMServer(facts), facts.locale),
    });
  } else if (c.cleaned.includes(':')) {
    fix = t('well-known-m-server-malformed.fixWithPort', { document: serverDocument(c.cleaned) });
  } else if (!c.hadHttpsScheme) {
    fix = t('well-known-m-server-malformed.fixWithoutPort', {
      document: serverDocument(c.cleaned),
      document443: serverDocument(`${c.cleaned}:443`),
    });
  } else {
    fix = t('well-known-m-server-malformed.fixHttps', {
      document: serverDocument(c.cleaned),
      document443: serverDocument(`${c.cleaned}:443`),
      raw: raw.trim(),
    });
  }
  return [
    {
      id: 'well-known-m-server-malformed',
      // Spec step 3: an invalid response skips to step 4. Synapse instead takes the string as it is (it only checks that
      // "m.server" is a string) and connects to whatever it names (well_known_resolver.py), which fails.
      detail: t('well-known-m-server-malformed.detail', {
        url: url(facts),
        document: serverDocument(raw),
        faults,
        fallback: fallbackWords(facts),
      }),
      fix,
    },
  ];
};

/** An HTML page where JSON belongs: a default page or an app's catch-all route answers the path. */
export const wellKnownHtml: Rule = (facts) => {
  if (!isInvalidJson(facts) || hasBom(facts) || !looksLikeHtml(facts)) return [];
  // A challenge page that a browser does not get: firewall-blocks-homeservers explains it.
  if (wellKnownBlockedByUserAgent(facts)) return [];
  const t = textsOf(facts);
  const probe = facts.input.probes.wellKnownBody;
  const suggested = suggestMServer(facts);
  return [
    {
      id: 'well-known-html',
      detail: t('well-known-html.detail', {
        url: url(facts),
        type: facts.wellKnown?.contentType ?? probe?.contentType ?? null,
        start: probe !== null && probe.start !== '' ? probe.start : null,
        fallback: fallbackWords(facts),
      }),
      fix: t('well-known-html.fix', {
        host: facts.host,
        document: serverDocument(suggested.value),
        certain: suggested.certain,
      }),
    },
  ];
};

/** A byte order mark: JSON forbids it and Synapse's parser rejects the whole document. */
export const wellKnownBom: Rule = (facts) => {
  if (!isInvalidJson(facts) || !hasBom(facts)) return [];
  const t = textsOf(facts);
  return [
    {
      id: 'well-known-bom',
      detail: t('well-known-bom.detail', { url: url(facts), fallback: fallbackWords(facts) }),
      fix: t('well-known-bom.fix'),
    },
  ];
};

/** Bad JSON, not an object, no string `m.server`: the other ways a 200 answer is unusable. */
export const wellKnownInvalidDocument: Rule = (facts) => {
  const o = outcome(facts);
  if (o.status !== 'invalid' || isMalformedMServer(facts)) return [];
  if (isInvalidJson(facts) && (hasBom(facts) || looksLikeHtml(facts))) return [];
  const t = textsOf(facts);
  const probe = facts.input.probes.wellKnownBody;
  return [
    {
      id: 'well-known-invalid-document',
      detail: t('well-known-invalid-document.detail', {
        detail: fetchWords(facts),
        start: probe !== null && probe.start !== '' ? probe.start : null,
        fallback: fallbackWords(facts),
      }),
      fix: t('well-known-invalid-document.fix', {
        suggestion: suggestion(suggestMServer(facts), facts.locale),
        url: url(facts),
      }),
    },
  ];
};

/** Over Synapse's 50 KiB limit: usually a page or a file served by mistake. */
export const wellKnownTooLarge: Rule = (facts) => {
  if (outcome(facts).code !== 'WELL_KNOWN_TOO_LARGE') return [];
  const t = textsOf(facts);
  return [
    {
      id: 'well-known-too-large',
      detail: t('well-known-too-large.detail', { detail: fetchWords(facts), fallback: fallbackWords(facts) }),
      fix: t('well-known-too-large.fix', { suggestion: suggestion(suggestMServer(facts), facts.locale) }),
    },
  ];
};

/** A redirect to http (or without a Location), a loop, or too many hops. */
export const wellKnownBadRedirect: Rule = (facts) => {
  const code = outcome(facts).code;
  if (code === null || !REDIRECT_CODES.has(code)) return [];
  // What is known: the spec (server-server API, "Resolving server names", step 3) asks servers to follow 30x
  // redirects, avoid loops and use normal X.509 certificate validation; it says nothing of a redirect to plain http.
  // Synapse follows redirects with Twisted's RedirectAgent, which gives up after 20 and does not itself refuse http.
  const t = textsOf(facts);
  const words = { detail: fetchWords(facts), fallback: fallbackWords(facts) };
  return [
    {
      id: 'well-known-bad-redirect',
      detail:
        code === 'WELL_KNOWN_BAD_REDIRECT'
          ? t('well-known-bad-redirect.toHttp', words)
          : t('well-known-bad-redirect.loop', words),
      fix: t('well-known-bad-redirect.fix', { url: url(facts) }),
    },
  ];
};

/** The fetch failed and nothing else works: the well-known is the likely missing piece. */
export const wellKnownUnreachable: Rule = (facts) => {
  const o = outcome(facts);
  if (!facts.wellKnownTried || o.status !== 'error' || facts.input.reachable) return [];
  const code = o.code ?? '';
  if (code === 'WELL_KNOWN_HTTP_STATUS' || code === 'WELL_KNOWN_TOO_LARGE' || REDIRECT_CODES.has(code)) return [];
  // A failing DNS (SERVFAIL, timeout) is the DNS hint's to explain; NXDOMAIN / no records stay here.
  if (code.startsWith('DNS_') && code !== 'DNS_NXDOMAIN' && code !== 'DNS_NODATA') return [];
  const host = facts.host ?? facts.serverName;
  const t = textsOf(facts);
  let fix: string;
  if (code.startsWith('TLS_')) {
    fix = t('well-known-unreachable.fixTls', { host });
  } else if (code.startsWith('DNS_')) {
    fix = t('well-known-unreachable.fixDns', { host });
  } else {
    fix = t('well-known-unreachable.fix', { host, suggestion: suggestion(suggestMServer(facts), facts.locale) });
  }
  return [
    {
      id: 'well-known-unreachable',
      detail: t('well-known-unreachable.detail', { detail: fetchWords(facts), code, fallback: fallbackWords(facts) }),
      fix,
    },
  ];
};

/** 403, 500 and friends: not "no document", not a document either. */
export const wellKnownHttpStatus: Rule = (facts) => {
  const o = outcome(facts);
  const status = facts.wellKnown?.httpStatus ?? null;
  const fires =
    (o.status === 'absent' && status !== null && status !== 404) ||
    (o.status === 'error' && o.code === 'WELL_KNOWN_HTTP_STATUS');
  if (!fires || wellKnownBlockedByUserAgent(facts)) return [];
  const t = textsOf(facts);
  return [
    {
      id: 'well-known-http-status',
      detail: t('well-known-http-status.detail', { url: url(facts), status, fallback: fallbackWords(facts) }),
      fix: t('well-known-http-status.fix', { suggestion: suggestion(suggestMServer(facts), facts.locale) }),
    },
  ];
};

/** 404 and no working address: delegation would be the way out. */
export const wellKnownAbsent: Rule = (facts) => {
  const o = outcome(facts);
  if (o.status !== 'absent' || facts.wellKnown?.httpStatus !== 404 || facts.input.reachable) return [];
  // With SRV records the admin delegated that way; the SRV and address hints explain what fails.
  if (!facts.input.resolution.trace.some((e) => e.step === '6' && e.status === 'taken')) return [];
  const t = textsOf(facts);
  return [
    {
      id: 'well-known-absent',
      detail: t('well-known-absent.detail', { url: url(facts), fallback: fallbackWords(facts) }),
      fix: t('well-known-absent.fix', {
        suggestion: suggestion(suggestMServer(facts), facts.locale),
        url: url(facts),
      }),
    },
  ];
};

/** Redirects are followed by Synapse, but not by every implementation; 307/308 even less. */
export const wellKnownRedirect: Rule = (facts) => {
  const hops = facts.wellKnown?.hops ?? [];
  const code = outcome(facts).code;
  if (hops.length < 2 || (code !== null && REDIRECT_CODES.has(code))) return [];
  const t = textsOf(facts);
  const chain = hops.map((h) => t('redirect.hop', { url: h.url, status: h.status })).join(' -> ');
  const count = hops.length - 1;
  const permanentNew = hops.slice(0, -1).some((h) => h.status === 307 || h.status === 308);
  const finding: Finding = permanentNew
    ? {
        id: 'well-known-redirect-308',
        detail: t('well-known-redirect-308.detail', { count, chain }),
        fix: t('well-known-redirect-308.fix', { url: url(facts) }),
      }
    : {
        id: 'well-known-redirect',
        detail: t('well-known-redirect.detail', { count, chain }),
        fix: t('well-known-redirect.fix', { url: url(facts) }),
      };
  return [finding];
};

/** Over two seconds: every server's first contact waits for it. */
export const wellKnownSlow: Rule = (facts) => {
  const ms = facts.wellKnown?.durationMs ?? null;
  if (ms === null || ms <= WELL_KNOWN_SLOW_MS || outcome(facts).code === 'TIMEOUT') return [];
  const t = textsOf(facts);
  return [
    {
      id: 'well-known-slow',
      detail: t('well-known-slow.detail', { url: url(facts), seconds: (ms / 1000).toFixed(1) }),
      fix: t('well-known-slow.fix'),
    },
  ];
};

/** The caching headers in seconds: `max-age` wins over `Expires` (Synapse's rule); null when neither is given. */
function cacheLifetime(facts: Facts): { seconds: number | null; noStore: boolean; source: string } | null {
  const cc = facts.wellKnown?.cacheControl ?? null;
  const expires = facts.wellKnown?.expires ?? null;
  const directives = new Map<string, string | null>();
  for (const part of (cc ?? '').split(',')) {
    const [name, value] = part.split('=', 2);
    const key = (name ?? '').trim().toLowerCase();
    if (key !== '') directives.set(key, value === undefined ? null : value.trim().replace(/^"|"$/g, ''));
  }
  // Only no-store forbids caching; no-cache means "revalidate before use", and Synapse ignores it (the default
  // lifetime then applies). Synapse reads no-store, max-age and Expires (well_known_resolver.py).
  const noStore = directives.has('no-store');
  const maxAge = directives.get('max-age');
  if (maxAge !== undefined && maxAge !== null && /^\d+$/.test(maxAge)) {
    return { seconds: Number(maxAge), noStore, source: `Cache-Control: ${cc ?? ''}` };
  }
  if (expires !== null) {
    const at = Date.parse(expires);
    // An unparseable Expires means "already expired" (RFC 9111 §5.3), as Synapse reads it.
    return {
      seconds: Number.isNaN(at) ? 0 : Math.round((at - facts.nowMs) / 1000),
      noStore,
      source: `Expires: ${expires}`,
    };
  }
  if (noStore) return { seconds: null, noStore, source: `Cache-Control: ${cc ?? ''}` };
  return null;
}

/** Longer than 48 hours: clamped by Synapse, but a bad delegation then sticks for days elsewhere. */
export const wellKnownCacheTooLong: Rule = (facts) => {
  if (outcome(facts).status !== 'delegated') return [];
  const life = cacheLifetime(facts);
  if (life === null || life.noStore || life.seconds === null || life.seconds <= WELL_KNOWN_MAX_CACHE_SECONDS) return [];
  const t = textsOf(facts);
  return [
    {
      id: 'well-known-cache-too-long',
      detail: t('well-known-cache-too-long.detail', {
        source: life.source,
        hours: (life.seconds / 3600).toFixed(0),
      }),
      fix: t('well-known-cache-too-long.fix'),
    },
  ];
};

/** no-store / max-age=0 / an Expires in the past: Synapse caches 5 minutes only, others may refetch for every request. */
export const wellKnownNoCache: Rule = (facts) => {
  if (outcome(facts).status !== 'delegated') return [];
  const life = cacheLifetime(facts);
  if (life === null || !(life.noStore || (life.seconds !== null && life.seconds <= 0))) return [];
  const t = textsOf(facts);
  return [
    {
      id: 'well-known-no-cache',
      detail: t('well-known-no-cache.detail', { source: life.source }),
      fix: t('well-known-no-cache.fix'),
    },
  ];
};

/** Not application/json: parsed anyway (the spec says so), but tools and caches may not. */
export const wellKnownContentType: Rule = (facts) => {
  if (outcome(facts).status !== 'delegated') return [];
  const type = facts.wellKnown?.contentType ?? null;
  if (type !== null && (type.split(';')[0] ?? '').trim().toLowerCase() === 'application/json') return [];
  const t = textsOf(facts);
  return [
    {
      id: 'well-known-content-type',
      detail: t('well-known-content-type.detail', { type }),
      fix: t('well-known-content-type.fix'),
    },
  ];
};

/** The rules of this file, in order. */
export const wellKnownRules: readonly Rule[] = [
  wellKnownMServerMalformed,
  wellKnownHtml,
  wellKnownBom,
  wellKnownInvalidDocument,
  wellKnownTooLarge,
  wellKnownBadRedirect,
  wellKnownUnreachable,
  wellKnownHttpStatus,
  wellKnownAbsent,
  wellKnownRedirect,
  wellKnownSlow,
  wellKnownCacheTooLong,
  wellKnownNoCache,
  wellKnownContentType,
];
