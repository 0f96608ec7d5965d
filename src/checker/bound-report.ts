// What a report keeps of the remote parts of one address and of the documents: every remote string bounded, lists cut.

import {
  REMOTE_LIST_LIMIT,
  REMOTE_TEXT_LIMITS,
  boundRemoteStringList,
  boundRemoteStrings,
  boundRemoteText,
  boundRemoteTextOrNull,
} from '../remote-text.js';
import type {
  AddressReport,
  CertificateSummary,
  CheckProblem,
  CheckReport,
  ClientDocumentReport,
  KeysReport,
  SupportDocumentReport,
} from '../check-report/index.js';

const { name: NAME, url: URL_CHARS, message: MESSAGE } = REMOTE_TEXT_LIMITS;

/**
 * Largest key response kept as `keys.raw`, as JSON text. A real one is under 2 KB (one key, a few old ones); the
 * checks read the whole body (up to the client's 512 KiB), only the copy carried in the report is dropped.
 */
export const MAX_RAW_KEYS_CHARS = 16 * 1024;

function boundProblem<P extends { readonly message: string }>(problem: P): P;
function boundProblem<P extends { readonly message: string }>(problem: P | null): P | null;
function boundProblem<P extends { readonly message: string }>(problem: P | null): P | null {
  return problem === null ? null : { ...problem, message: boundRemoteText(problem.message, MESSAGE) };
}

function boundCertificate(c: CertificateSummary): CertificateSummary {
  return {
    ...c,
    subjectCommonName: boundRemoteText(c.subjectCommonName, NAME),
    issuerCommonName: boundRemoteText(c.issuerCommonName, NAME),
    dnsNames: boundRemoteStringList(c.dnsNames, REMOTE_LIST_LIMIT, NAME),
    ipAddresses: boundRemoteStringList(c.ipAddresses, REMOTE_LIST_LIMIT, NAME),
  };
}

/** `raw` when its JSON is at most {@link MAX_RAW_KEYS_CHARS} long, else null (a prefix of JSON is not JSON). */
function boundRaw(raw: unknown): unknown {
  if (raw === null) return null;
  return JSON.stringify(raw).length <= MAX_RAW_KEYS_CHARS ? raw : null;
}

function boundKeys(k: KeysReport): KeysReport {
  return {
    ...k,
    serverName: boundRemoteTextOrNull(k.serverName, NAME),
    problems: k.problems.map((p: CheckProblem) => boundProblem(p)),
    raw: boundRaw(k.raw),
  };
}

/**
 * One address's report with every remote string bounded (`boundRemoteText`): the version's name and version
 * (256 characters), the Content-Type, certificate names (256 characters, 64 names per certificate), error messages
 * (1024), the key response kept as `raw` only up to 16 KiB of JSON. Key ids are bounded where they are read
 * (`inspectServerKeys`). A hostile server's 500 KB version name so costs the report 256 characters, not 500 KB
 * per address.
 */
export function boundAddressReport(a: AddressReport): AddressReport {
  return {
    ...a,
    connectionError: boundProblem(a.connectionError),
    tls:
      a.tls === null
        ? null
        : {
            ...a.tls,
            chain: a.tls.chain.map(boundCertificate),
            trustError: boundProblem(a.tls.trustError),
            nameError: boundProblem(a.tls.nameError),
          },
    version:
      a.version === null
        ? null
        : {
            ...a.version,
            name: boundRemoteTextOrNull(a.version.name, NAME),
            version: boundRemoteTextOrNull(a.version.version, NAME),
            contentType: boundRemoteTextOrNull(a.version.contentType, NAME),
            error: boundProblem(a.version.error),
          },
    keys: a.keys === null ? null : boundKeys(a.keys),
  };
}

/** The client document's report with its remote strings bounded: URLs (1024), versions and extra keys (64 of 256), messages (1024). */
export function boundClientDocumentReport(r: ClientDocumentReport): ClientDocumentReport {
  const baseUrl = <
    T extends {
      readonly baseUrl: string | null;
      readonly url: string | null;
      readonly error: { readonly message: string } | null;
    },
  >(
    b: T,
  ): T => ({
    ...b,
    baseUrl: boundRemoteTextOrNull(b.baseUrl, URL_CHARS),
    url: boundRemoteTextOrNull(b.url, URL_CHARS),
    error: boundProblem(b.error),
  });
  return {
    ...r,
    url: boundRemoteText(r.url, URL_CHARS),
    contentType: boundRemoteTextOrNull(r.contentType, NAME),
    cacheControl: boundRemoteTextOrNull(r.cacheControl, NAME),
    cors: { get: r.cors.get, preflight: { ...r.cors.preflight, error: boundProblem(r.cors.preflight.error) } },
    homeserver:
      r.homeserver === null
        ? null
        : {
            ...baseUrl(r.homeserver),
            versions: r.homeserver.versions === null ? null : boundRemoteStringList(r.homeserver.versions),
          },
    identityServer: r.identityServer === null ? null : baseUrl(r.identityServer),
    extras: boundRemoteStringList(r.extras),
    problems: r.problems.map((p) => boundProblem(p)),
  };
}

/** The support document's report with its remote strings bounded: contacts' fields (256), the support page (1024), messages (1024). */
export function boundSupportDocumentReport(r: SupportDocumentReport): SupportDocumentReport {
  return {
    ...r,
    url: boundRemoteText(r.url, URL_CHARS),
    contentType: boundRemoteTextOrNull(r.contentType, NAME),
    contacts: r.contacts.map((c) => ({
      ...c,
      role: boundRemoteTextOrNull(c.role, NAME),
      matrixId: boundRemoteTextOrNull(c.matrixId, NAME),
      emailAddress: boundRemoteTextOrNull(c.emailAddress, NAME),
    })),
    supportPage: boundRemoteTextOrNull(r.supportPage, URL_CHARS),
    problems: r.problems.map((p) => boundProblem(p)),
  };
}

/**
 * Largest native JSON of a report. The bounds above keep a report of 32 hostile addresses under it; were a
 * server to find one more way to fill a report, {@link boundCheckReport} cuts every string shorter until it fits.
 */
export const MAX_REPORT_JSON_BYTES = 1024 * 1024;

/** String bounds tried in turn by {@link boundCheckReport} when a report is still too large. */
const SHRINKING_STRING_BOUNDS: readonly number[] = [512, 256, 64];

/**
 * The finished report with its hints bounded (4096 characters of detail or fix: a hint may quote every address),
 * then, only when its JSON would still be larger than {@link MAX_REPORT_JSON_BYTES}, every string cut to 512,
 * then 256, then 64 characters until it fits (each cut marked, see `boundRemoteText`). The verdict, the counts and
 * every code are kept whatever happens; only text is cut.
 */
export function boundCheckReport(report: CheckReport): CheckReport {
  const bounded: CheckReport = { ...report, hints: boundRemoteStrings(report.hints, REMOTE_TEXT_LIMITS.hint) };
  let candidate = bounded;
  for (const limit of SHRINKING_STRING_BOUNDS) {
    if (Buffer.byteLength(JSON.stringify(candidate), 'utf8') <= MAX_REPORT_JSON_BYTES) return candidate;
    candidate = boundRemoteStrings(bounded, limit);
  }
  return candidate;
}
