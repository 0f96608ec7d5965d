// Facts derived once from a check report for the rules: the parsed names, the well-known trace data, the documents.

import type { AddressReport, ClientDocumentReport, SupportDocumentReport } from '../check-report/index.js';
import type { TraceEntry, WellKnownTraceEntry } from '../resolver/types.js';
import type { ServerName } from '../server-name/index.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/index.js';
import type { DiagnosisInput } from './types.js';

/** One request of the well-known fetch, as the trace records it. */
export interface WellKnownHopFact {
  readonly url: string;
  readonly status: number | null;
}

/** What the trace says about the well-known fetch (step 3), read defensively. */
export interface WellKnownTraceFacts {
  readonly httpStatus: number | null;
  readonly hops: readonly WellKnownHopFact[];
  readonly cacheControl: string | null;
  readonly expires: string | null;
  readonly contentType: string | null;
  /** The whole fetch, redirects included, in milliseconds. */
  readonly durationMs: number | null;
}

/** Everything the rules read, computed once per report. */
export interface Facts {
  readonly input: DiagnosisInput;
  readonly serverName: string;
  readonly parsed: ServerName | null;
  /** The server name's host when it is a DNS name, lowercase; null for IP literals and invalid names. */
  readonly host: string | null;
  /** The well-known fetch was made (a DNS name without a port). */
  readonly wellKnownTried: boolean;
  /** The step-3 trace entry, when there is one. */
  readonly wellKnownEntry: TraceEntry | null;
  readonly wellKnown: WellKnownTraceFacts | null;
  /** The parsed `m.server` when the well-known delegated. */
  readonly delegated: ServerName | null;
  /** The client document report, when it was checked. */
  readonly client: ClientDocumentReport | null;
  /** The support document report, when it was checked. */
  readonly support: SupportDocumentReport | null;
  /** The time of the check (ms since the epoch), for `Expires`. */
  readonly nowMs: number;
  /** Addresses that connected and completed TLS. */
  readonly connected: readonly AddressReport[];
  /** The language the rules write their details and fixes in. */
  readonly locale: Locale;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Reads the well-known fetch data the resolver put in the trace (`httpStatus`, `hops`, `headers`, `durationMs`). */
function wellKnownTraceFacts(entry: WellKnownTraceEntry | null): WellKnownTraceFacts | null {
  const data = entry?.data;
  if (data === undefined) return null;
  return {
    httpStatus: numberOrNull(data.httpStatus),
    hops: (data.hops ?? []).map((h) => ({ url: stringOrNull(h.url) ?? '', status: numberOrNull(h.status) })),
    cacheControl: stringOrNull(data.headers?.cacheControl),
    expires: stringOrNull(data.headers?.expires),
    contentType: stringOrNull(data.headers?.contentType),
    durationMs: numberOrNull(data.durationMs) ?? entry?.durationMs ?? null,
  };
}

/** Derives the facts of one report, for hints in `locale` ['en']. Pure. */
export function deriveFacts(input: DiagnosisInput, locale: Locale = DEFAULT_LOCALE): Facts {
  const parsed = input.resolution.parsed;
  const host = parsed?.kind === 'dns' ? parsed.host.toLowerCase() : null;
  const wellKnownTried = host !== null && parsed?.port === undefined;
  const wellKnownEntry = input.resolution.trace.find((e) => e.step === '3') ?? null;
  const nowMs = Date.parse(input.checkedAt);
  return {
    input,
    serverName: input.serverName,
    parsed,
    host,
    wellKnownTried,
    wellKnownEntry,
    wellKnown: wellKnownTraceFacts(wellKnownEntry),
    // m.server as the well-known parser parsed it (the resolver's outcome carries it).
    delegated: input.resolution.wellKnown.status === 'delegated' ? input.resolution.wellKnown.serverName : null,
    client: input.client,
    support: input.support,
    nowMs: Number.isNaN(nowMs) ? Date.now() : nowMs,
    connected: input.addresses.filter((a) => a.connectionError === null && a.tls !== null),
    locale,
  };
}
