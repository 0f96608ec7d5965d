// Rules about the server well-known document itself (spec step 3; ground-truth §2 "The well-known fetch", §3).

import type { Facts } from '../facts.js';
import type { Finding, Rule } from '../rule.js';
import { SPEC_FEDERATION_PORT, cleanServerName, serverDocument, suggestMServer, suggestion } from '../text.js';
import { wellKnownBlockedByUserAgent } from './field-http.js';

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

/** Where resolution went after the well-known, in words, for details ("servers fall back to ..."). */
function fallbackWords(facts: Facts): string {
  const steps = new Set(facts.input.resolution.targets.map((t) => t.step));
  if (steps.has('4')) return `the SRV records of ${facts.host ?? ''}`;
  if (steps.has('5')) return `the deprecated _matrix._tcp SRV records of ${facts.host ?? ''}`;
  if (steps.has('6'))
    return `${facts.host ?? ''} on port ${facts.input.resolution.targets[0]?.port ?? SPEC_FEDERATION_PORT}`;
  return 'SRV records or port 8448 of the server name (which give no working address here)';
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
  const raw = outcome(facts).mServer ?? '';
  const c = cleanServerName(raw);
  const faults =
    c.faults.length > 0 ? `it has ${c.faults.join(' and ')}` : 'it is not a host name with an optional port';
  let fix: string;
  if (c.cleaned === null) {
    fix = `Write "m.server" as host[:port] without scheme, path or spaces, e.g. ${suggestion(suggestMServer(facts))}.`;
  } else if (c.cleaned.includes(':') || !c.hadHttpsScheme) {
    fix = `Change the file to ${serverDocument(c.cleaned)}${c.cleaned.includes(':') ? '' : ` (port 8448), or ${serverDocument(`${c.cleaned}:443`)} if the homeserver answers federation on port 443`}.`;
  } else {
    fix =
      `Change the file to ${serverDocument(`${c.cleaned}:443`)} if the homeserver answers federation on port 443 (as behind the reverse proxy of ` +
      `${raw.trim()}), or ${serverDocument(c.cleaned)} if it listens on port 8448.`;
  }
  return [
    {
      id: 'well-known-m-server-malformed',
      // Spec step 3: an invalid response skips to step 4. Synapse instead takes the string as it is (it only checks that
      // "m.server" is a string) and connects to whatever it names (well_known_resolver.py), which fails.
      detail:
        `${url(facts)} says ${serverDocument(raw)}, but "m.server" must be a host name with an optional port, and ${faults}. ` +
        `Servers that follow the spec ignore the document and fall back to ${fallbackWords(facts)}; Synapse takes the value as ` +
        'it is and tries to connect to what it names, so Synapse servers do not reach this server at all.',
      fix,
    },
  ];
};

/** An HTML page where JSON belongs: a default page or an app's catch-all route answers the path. */
export const wellKnownHtml: Rule = (facts) => {
  if (!isInvalidJson(facts) || hasBom(facts) || !looksLikeHtml(facts)) return [];
  // A challenge page that a browser does not get: firewall-blocks-homeservers explains it.
  if (wellKnownBlockedByUserAgent(facts)) return [];
  const probe = facts.input.probes.wellKnownBody;
  const start = probe !== null && probe.start !== '' ? ` It starts with "${probe.start}".` : '';
  const type = facts.wellKnown?.contentType ?? probe?.contentType ?? null;
  return [
    {
      id: 'well-known-html',
      detail: `${url(facts)} answers 200 with an HTML page${type !== null ? ` (Content-Type ${type})` : ''} instead of JSON.${start} Servers ignore it and fall back to ${fallbackWords(facts)}.`,
      fix:
        `Serve the JSON file at exactly /.well-known/matrix/server on ${facts.host ?? 'the server name'}, before any catch-all rule, e.g. in nginx: ` +
        `location = /.well-known/matrix/server { default_type application/json; return 200 '${serverDocument(suggestMServer(facts).value)}'; }` +
        (suggestMServer(facts).certain ? '' : " (an example: put your homeserver's host and port)"),
    },
  ];
};

/** A byte order mark: JSON forbids it and Synapse's parser rejects the whole document. */
export const wellKnownBom: Rule = (facts) => {
  if (!isInvalidJson(facts) || !hasBom(facts)) return [];
  return [
    {
      id: 'well-known-bom',
      detail: `${url(facts)} starts with a UTF-8 byte order mark (bytes EF BB BF). JSON does not allow it and Synapse rejects the document, so servers fall back to ${fallbackWords(facts)}.`,
      fix: 'Save the file as UTF-8 without BOM (in Notepad: "UTF-8" rather than "UTF-8 with BOM"; or run sed -i \'1s/^\\xEF\\xBB\\xBF//\' on it).',
    },
  ];
};

/** Bad JSON, not an object, no string `m.server`: the other ways a 200 answer is unusable. */
export const wellKnownInvalidDocument: Rule = (facts) => {
  const o = outcome(facts);
  if (o.status !== 'invalid' || isMalformedMServer(facts)) return [];
  if (isInvalidJson(facts) && (hasBom(facts) || looksLikeHtml(facts))) return [];
  const probe = facts.input.probes.wellKnownBody;
  const start = probe !== null && probe.start !== '' ? ` (the body starts with "${probe.start}")` : '';
  return [
    {
      id: 'well-known-invalid-document',
      detail: `${o.detail}${start}. Servers ignore the document and fall back to ${fallbackWords(facts)}.`,
      fix: `Serve exactly ${suggestion(suggestMServer(facts))} at ${url(facts)}.`,
    },
  ];
};

/** Over Synapse's 50 KiB limit: usually a page or a file served by mistake. */
export const wellKnownTooLarge: Rule = (facts) => {
  if (outcome(facts).code !== 'WELL_KNOWN_TOO_LARGE') return [];
  return [
    {
      id: 'well-known-too-large',
      detail: `${outcome(facts).detail}. Synapse gives up above 50 KiB and falls back to ${fallbackWords(facts)}.`,
      fix: `Serve only the document, a few dozen bytes: ${suggestion(suggestMServer(facts))}.`,
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
  const consequence =
    code === 'WELL_KNOWN_BAD_REDIRECT'
      ? 'The spec asks servers to follow redirects with normal X.509 certificate validation, which a plain-http answer ' +
        "cannot have, and says nothing more; Synapse's redirect handling does not refuse http:// itself, so some servers may " +
        `follow it unauthenticated while others (this checker among them) treat it as a failed fetch and fall back to ${fallbackWords(facts)}`
      : `Servers give up on redirect loops and long chains (Synapse after 20 redirects) and fall back to ${fallbackWords(facts)}`;
  return [
    {
      id: 'well-known-bad-redirect',
      detail: `${outcome(facts).detail}. ${consequence}.`,
      fix: `Serve the document directly at ${url(facts)} with status 200 (exempt /.well-known/matrix/ from the redirect rules); if a redirect must stay, keep it on https:// and make it end in one or two hops.`,
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
  let fix: string;
  if (code.startsWith('TLS_')) {
    fix = `Serve https://${host}/ on port 443 with a valid certificate for ${host} (e.g. certbot -d ${host}), including the intermediate certificates.`;
  } else if (code.startsWith('DNS_')) {
    fix = `Publish an A (and AAAA) record for ${host} pointing at a web server that serves the well-known document, or delegate with SRV records instead.`;
  } else {
    fix =
      `Make https://${host}/ answer on port 443 and serve /.well-known/matrix/server there, e.g. ${suggestion(suggestMServer(facts))}; ` +
      `if ${host} has no web server, publish an SRV record _matrix-fed._tcp.${host} instead.`;
  }
  return [
    {
      id: 'well-known-unreachable',
      detail: `${o.detail} (${code}). Without it servers fall back to ${fallbackWords(facts)}, and nothing works there either.`,
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
  return [
    {
      id: 'well-known-http-status',
      detail: `${url(facts)} answers ${status ?? 'an error'}. ${status !== null && status >= 500 ? 'A server error counts as a temporary failure: servers retry, cache the failure and meanwhile' : 'Servers treat it as "no delegation" and'} fall back to ${fallbackWords(facts)}.`,
      fix:
        `Answer 200 with the document, e.g. ${suggestion(suggestMServer(facts))}, or 404 if you do not delegate. A 401/403 usually comes from an ` +
        "authentication, IP, geo-blocking or bot-protection rule (bot protection such as Cloudflare's Bot Fight Mode challenges " +
        'clients that are not browsers, homeservers included) that must exempt /.well-known/matrix/.',
    },
  ];
};

/** 404 and no working address: delegation would be the way out. */
export const wellKnownAbsent: Rule = (facts) => {
  const o = outcome(facts);
  if (o.status !== 'absent' || facts.wellKnown?.httpStatus !== 404 || facts.input.reachable) return [];
  // With SRV records the admin delegated that way; the SRV and address hints explain what fails.
  if (!facts.input.resolution.trace.some((e) => e.step === '6' && e.status === 'taken')) return [];
  return [
    {
      id: 'well-known-absent',
      detail: `${url(facts)} answers 404, so there is no delegation and servers use ${fallbackWords(facts)}.`,
      fix: `If the homeserver runs on another host or port, delegate to it: serve ${suggestion(suggestMServer(facts))} at ${url(facts)}.`,
    },
  ];
};

/** Redirects are followed by Synapse, but not by every implementation; 307/308 even less. */
export const wellKnownRedirect: Rule = (facts) => {
  const hops = facts.wellKnown?.hops ?? [];
  const code = outcome(facts).code;
  if (hops.length < 2 || (code !== null && REDIRECT_CODES.has(code))) return [];
  const chain = hops.map((h) => `${h.url} (${h.status ?? 'no answer'})`).join(' -> ');
  const permanentNew = hops.slice(0, -1).some((h) => h.status === 307 || h.status === 308);
  const finding: Finding = permanentNew
    ? {
        id: 'well-known-redirect-308',
        detail: `The well-known is reached through ${hops.length - 1} redirect(s), including 307/308: ${chain}. Current Synapse follows them, but some implementations and older HTTP libraries only follow 301, 302 and 303.`,
        fix: `Serve the document directly at ${url(facts)} with status 200; if a redirect must stay, use 301 or 302.`,
      }
    : {
        id: 'well-known-redirect',
        detail: `The well-known is reached through ${hops.length - 1} redirect(s): ${chain}. Synapse follows them, but not every implementation does, and each hop slows down the first contact.`,
        fix: `Serve the document directly at ${url(facts)} with status 200 (exempt /.well-known/matrix/ from the redirect, e.g. an nginx "location /.well-known/matrix/" block before the redirect).`,
      };
  return [finding];
};

/** Over two seconds: every server's first contact waits for it. */
export const wellKnownSlow: Rule = (facts) => {
  const ms = facts.wellKnown?.durationMs ?? null;
  if (ms === null || ms <= WELL_KNOWN_SLOW_MS || outcome(facts).code === 'TIMEOUT') return [];
  return [
    {
      id: 'well-known-slow',
      detail: `Fetching ${url(facts)} took ${(ms / 1000).toFixed(1)} s. Every server that contacts this one for the first time (or after its cache expires) waits for it, and impatient implementations give up.`,
      fix: 'Serve the well-known as a static file or a fixed response from the web server (not from an application), close to the edge; it should take well under a second.',
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
  return [
    {
      id: 'well-known-cache-too-long',
      detail: `The well-known is sent with ${life.source}, a lifetime of ${(life.seconds / 3600).toFixed(0)} hours. The spec caps it at 48 hours and Synapse clamps it, but a change of delegation then takes days to reach some servers.`,
      fix: "Send Cache-Control: max-age=86400 (24 hours, the spec's default) or less on /.well-known/matrix/server.",
    },
  ];
};

/** no-store / max-age=0 / an Expires in the past: Synapse caches 5 minutes only, others may refetch for every request. */
export const wellKnownNoCache: Rule = (facts) => {
  if (outcome(facts).status !== 'delegated') return [];
  const life = cacheLifetime(facts);
  if (life === null || !(life.noStore || (life.seconds !== null && life.seconds <= 0))) return [];
  return [
    {
      id: 'well-known-no-cache',
      detail: `The well-known is sent with ${life.source}, which forbids caching. Synapse then caches it for 5 minutes only (its minimum) instead of a day; other servers may fetch it again for every request, slowing federation down.`,
      fix: 'Drop no-store and max-age=0 (and a past Expires) from /.well-known/matrix/server (a rule meant for /.well-known/matrix/client, where Synapse sends them, often catches both) and send Cache-Control: max-age=3600 or more.',
    },
  ];
};

/** Not application/json: parsed anyway (the spec says so), but tools and caches may not. */
export const wellKnownContentType: Rule = (facts) => {
  if (outcome(facts).status !== 'delegated') return [];
  const type = facts.wellKnown?.contentType ?? null;
  if (type !== null && (type.split(';')[0] ?? '').trim().toLowerCase() === 'application/json') return [];
  return [
    {
      id: 'well-known-content-type',
      detail: `The well-known is served ${type === null ? 'without a Content-Type' : `as "${type}"`}. Servers parse it as JSON anyway, but proxies, browsers and other tools may not.`,
      fix: 'Serve it with Content-Type: application/json (nginx: default_type application/json; in the location block).',
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
