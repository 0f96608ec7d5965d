// Facts derived once from a check report for the rules: the parsed names, the well-known trace data, the documents.

import type { ClientDocumentReport } from '../checker/client-document.js';
import type { SupportDocumentReport } from '../checker/support-document.js';
import type { AddressReport } from '../checker/types.js';
import type { TraceEntry } from '../resolver/types.js';
import { parseServerName } from '../server-name/index.js';
import type { ServerName } from '../server-name/index.js';
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
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Reads the well-known fetch data the resolver put in the trace (`httpStatus`, `hops`, `headers`, `durationMs`). */
function wellKnownTraceFacts(entry: TraceEntry | null): WellKnownTraceFacts | null {
  const data = entry?.data;
  if (data === undefined) return null;
  const headers = isObject(data['headers']) ? data['headers'] : {};
  const hops = Array.isArray(data['hops'])
    ? (data['hops'] as unknown[]).filter(isObject).map((h) => ({ url: stringOrNull(h['url']) ?? '', status: numberOrNull(h['status']) }))
    : [];
  return {
    httpStatus: numberOrNull(data['httpStatus']),
    hops,
    cacheControl: stringOrNull(headers['cacheControl']),
    expires: stringOrNull(headers['expires']),
    contentType: stringOrNull(headers['contentType']),
    durationMs: numberOrNull(data['durationMs']) ?? entry?.durationMs ?? null,
  };
}

/** Derives the facts of one report. Pure. */
export function deriveFacts(input: DiagnosisInput): Facts {
  const parsed = input.resolution.parsed;
  const host = parsed?.kind === 'dns' ? parsed.host.toLowerCase() : null;
  const wellKnownTried = host !== null && parsed?.port === undefined;
  const wellKnownEntry = input.resolution.trace.find((e) => e.step === '3') ?? null;
  const mServer = input.resolution.wellKnown.status === 'delegated' ? input.resolution.wellKnown.mServer : null;
  const delegatedParse = mServer === null ? null : parseServerName(mServer);
  const nowMs = Date.parse(input.checkedAt);
  return {
    input,
    serverName: input.serverName,
    parsed,
    host,
    wellKnownTried,
    wellKnownEntry,
    wellKnown: wellKnownTraceFacts(wellKnownEntry),
    delegated: delegatedParse?.ok === true ? delegatedParse.value : null,
    client: input.client,
    support: input.support,
    nowMs: Number.isNaN(nowMs) ? Date.now() : nowMs,
    connected: input.addresses.filter((a) => a.connectionError === null && a.tls !== null),
  };
}
