// Checks /.well-known/matrix/client the way a client discovers a homeserver: status, JSON, base URLs, CORS.

import { performance } from 'node:perf_hooks';
import type { DnsResolver } from '../dns/types.js';
import type {
  BaseUrlCheck,
  ClientDiscoveryStatus,
  ClientDocumentProblem,
  ClientDocumentProblemCode,
  ClientDocumentReport,
  HomeserverCheck,
} from '../check-report/client-document.js';
import type { ClientSettingsReport } from '../check-report/client-settings.js';
import type { ProblemSeverity } from '../check-report/problem.js';
import type { ErrorCode } from '../errors.js';
import { isJsonObject, jsonTypeName, readJsonBody } from '../net/json-body.js';
import type { AddressPolicy } from '../net/types.js';
import { fetchHttpsDocument, fetchWellKnownDocument } from '../well-known/fetch-document.js';
import type { WellKnownDocumentOptions, WellKnownDocumentResult } from '../well-known/types.js';
import { boundClientDocumentReport } from './bound-report.js';
import { checkClientSettings } from './client-settings/check-settings.js';
import { checkCorsHeaders, formatMissingCors } from './cors.js';
import { CLIENT_PROBLEM_TEXTS } from '../check-report/document-problem-texts.js';

/**
 * The check's sentences: the catalogue's English (src/check-report/document-problem-texts.ts), which the diagnosis
 * reads back to say them in another language; every problem message below is written with it.
 */
const say = CLIENT_PROBLEM_TEXTS.en;

/** The path of the client well-known document (client-server API "Well-known URIs"). */
export const WELL_KNOWN_CLIENT_PATH = '/.well-known/matrix/client';

/**
 * The `Origin` sent with the document request and its preflight, as a web client on another site would send one.
 * The `.invalid` top-level domain (RFC 2606) can never be a real site, so no server special-cases it.
 */
export const CORS_PROBE_ORIGIN = 'https://matrix-delegation.invalid';

/** Options of {@link checkClientDocument} and `checkSupportDocument`. Only `dns` and `policy` are required. */
export interface DocumentCheckOptions {
  /** Resolves the document's host and every base URL's host (AAAA and A). */
  readonly dns: DnsResolver;
  /** Checked before every connection, for the document, its redirects and the base URLs alike. */
  readonly policy: AddressPolicy;
  /**
   * Port dialled for the well-known document (and redirects without a port). Default 443, as clients use;
   * injectable for labs. Base URLs are dialled on their own port (443 when the URL has none).
   */
  readonly port?: number;
  /** Extra trusted CA certificates (PEM), added to Node's default roots. Default none. */
  readonly ca?: readonly string[];
  /**
   * Budget of each request (the document, its preflight, each base URL check), in milliseconds. The document
   * and its preflight run together, then the base URL checks together, so a check takes at most about twice
   * this. Default 10 000.
   */
  readonly timeoutMs?: number;
  /** The User-Agent header. Default `matrix-delegation/<package version>`. */
  readonly userAgent?: string;
  /** Cancels the check: the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

// The report's types are the model's (src/check-report/); named here too, beside the check that makes the report.
export type {
  BaseUrlCheck,
  ClientDiscoveryStatus,
  ClientDocumentProblem,
  ClientDocumentProblemCode,
  ClientDocumentReport,
  HomeserverCheck,
} from '../check-report/client-document.js';

/** True for `application/json` with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  return (contentType.split(';')[0] ?? '').trim().toLowerCase() === 'application/json';
}

/** The transport every request of a document check shares, built once from its options. */
export function transportOptions(options: DocumentCheckOptions): WellKnownDocumentOptions {
  return {
    dns: options.dns,
    policy: options.policy,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

/** Which base URL is being checked, with its endpoint and problem codes. */
interface BaseUrlRole {
  readonly label: string;
  readonly endpoint: string;
  readonly invalid: ClientDocumentProblemCode;
  readonly failed: ClientDocumentProblemCode;
}

const HOMESERVER: BaseUrlRole = {
  label: 'm.homeserver base_url',
  endpoint: '/_matrix/client/versions',
  invalid: 'CLIENT_INVALID_BASE_URL',
  failed: 'CLIENT_VERSIONS_FAILED',
};
const IDENTITY: BaseUrlRole = {
  label: 'm.identity_server base_url',
  endpoint: '/_matrix/identity/v2',
  invalid: 'CLIENT_IDENTITY_INVALID_BASE_URL',
  failed: 'CLIENT_IDENTITY_FAILED',
};

/** Largest endpoint answer read (`/versions` lists versions and unstable features: a few KiB). */
const MAX_ENDPOINT_BODY_BYTES = 1024 * 1024;

/** What is wrong with a base URL or its endpoint: the form of its sentence and the form's values. */
type BaseUrlFault =
  | { readonly kind: 'notUrl' | 'plainHttp' | 'notHttp'; readonly params: { label: string; url: string } }
  | { readonly kind: 'noAnswer'; readonly params: { label: string; detail: string } }
  | { readonly kind: 'status'; readonly params: { url: string; status: string } };

/**
 * A base URL fault's sentence: the plain form (the base URL check's `error.message`, and the homeserver's problem), or
 * for the identity server's problem the form that adds why it matters (clients stop on a broken identity server).
 */
function faultSentence(fault: BaseUrlFault, identity: boolean): string {
  switch (fault.kind) {
    case 'notUrl':
      return identity ? say.identityNotUrl(fault.params) : say.baseUrlNotUrl(fault.params);
    case 'plainHttp':
      return identity ? say.identityPlainHttp(fault.params) : say.baseUrlPlainHttp(fault.params);
    case 'notHttp':
      return identity ? say.identityNotHttp(fault.params) : say.baseUrlNotHttp(fault.params);
    case 'noAnswer':
      return identity ? say.identityNoAnswer(fault.params) : say.versionsNoAnswer(fault.params);
    case 'status':
      return identity ? say.identityStatus(fault.params) : say.versionsStatus(fault.params);
  }
}

/** The endpoint URL of a base URL, or why there is none. Clients strip trailing slashes before appending the path. */
function endpointOf(
  baseUrl: string,
  role: BaseUrlRole,
): { ok: true; url: URL } | { ok: false; code: ClientDocumentProblemCode; fault: BaseUrlFault } {
  const params = { label: role.label, url: baseUrl };
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return { ok: false, code: role.invalid, fault: { kind: 'notUrl', params } };
  }
  if (parsed.protocol === 'http:') {
    return {
      ok: false,
      code: role === HOMESERVER ? 'CLIENT_BASE_URL_NOT_HTTPS' : role.invalid,
      fault: { kind: 'plainHttp', params },
    };
  }
  if (parsed.protocol !== 'https:') {
    return { ok: false, code: role.invalid, fault: { kind: 'notHttp', params } };
  }
  return { ok: true, url: new URL(`${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}${role.endpoint}`) };
}

/**
 * Requests one base URL's endpoint; `validate` judges a 200 body (the sentence of what is wrong, given the URL).
 * `fault` is what went wrong before a body was judged, for the identity server's problem sentence.
 */
async function checkBaseUrl(
  baseUrl: string,
  role: BaseUrlRole,
  transport: WellKnownDocumentOptions,
  validate: (body: Uint8Array, url: string) => string | null,
): Promise<{ check: BaseUrlCheck; body: Uint8Array | null; fault: BaseUrlFault | null }> {
  const endpoint = endpointOf(baseUrl, role);
  if (!endpoint.ok)
    return {
      check: {
        baseUrl,
        url: null,
        httpStatus: null,
        error: { code: endpoint.code, message: faultSentence(endpoint.fault, false), cause: null },
      },
      body: null,
      fault: endpoint.fault,
    };
  // Base URLs carry their own port: 443 when they have none, whatever port the well-known document used.
  const result = await fetchHttpsDocument(endpoint.url, {
    ...transport,
    port: 443,
    maxBodyBytes: MAX_ENDPOINT_BODY_BYTES,
  });
  const base = { baseUrl, url: endpoint.url.href, httpStatus: result.httpStatus };
  if (result.outcome !== 'response') {
    const fault: BaseUrlFault = { kind: 'noAnswer', params: { label: role.label, detail: result.detail } };
    return {
      check: { ...base, error: { code: role.failed, message: faultSentence(fault, false), cause: result.code } },
      body: null,
      fault,
    };
  }
  if (result.httpStatus !== 200) {
    const fault: BaseUrlFault = { kind: 'status', params: { url: result.url, status: String(result.httpStatus) } };
    return {
      check: { ...base, error: { code: role.failed, message: faultSentence(fault, false), cause: null } },
      body: null,
      fault,
    };
  }
  const body = result.body ?? new Uint8Array();
  const invalid = validate(body, result.url);
  if (invalid !== null) {
    const code = role === HOMESERVER ? 'CLIENT_VERSIONS_INVALID' : role.failed;
    return { check: { ...base, error: { code, message: invalid, cause: null } }, body, fault: null };
  }
  return { check: { ...base, error: null }, body, fault: null };
}

/** The `versions` array of a `/_matrix/client/versions` body, or why it is not one (its sentence, given the URL). */
function parseVersions(body: Uint8Array): { versions: string[] } | { error: (url: string) => string } {
  const read = readJsonBody(body);
  if (!read.ok) return { error: (url) => say.versionsNotJson({ url, error: read.message }) };
  if (!isJsonObject(read.value)) {
    const type = jsonTypeName(read.value);
    return { error: (url) => say.versionsNotObject({ url, type }) };
  }
  const versions = read.value['versions'];
  if (!Array.isArray(versions) || !versions.every((v) => typeof v === 'string')) {
    return { error: (url) => say.versionsMissing({ url }) };
  }
  return { versions: versions as string[] };
}

/** Why a `/versions` body at `url` is unusable, or null. */
function versionsProblem(body: Uint8Array, url: string): string | null {
  const parsed = parseVersions(body);
  return 'error' in parsed ? parsed.error(url) : null;
}

/**
 * Checks `https://<hostname>/.well-known/matrix/client` as a client's auto-discovery would (client-server API
 * "Well-known URIs"; ground-truth §3), and what a web client additionally needs.
 *
 * The flow and its verdicts (the first failing step decides `status`):
 * 1. GET the document (redirects followed). 404 -> `IGNORE`; no answer or any other non-200, an empty body, a
 *    body that is not JSON or not an object, no `m.homeserver.base_url` string -> `FAIL_PROMPT`.
 * 2. `base_url` not an https URL -> `FAIL_ERROR` (plain http is reported as such: web clients on HTTPS cannot use
 *    it, and only HTTPS is checked); `GET <base_url>/_matrix/client/versions` failing or answering without a
 *    `versions` array of strings -> `FAIL_ERROR`.
 * 3. `m.identity_server` present without a `base_url` string -> `FAIL_PROMPT`; its base URL invalid or
 *    `GET <base_url>/_matrix/identity/v2` not answering 200 -> `FAIL_ERROR`. Otherwise `SUCCESS`.
 *
 * Alongside the flow: CORS headers on the GET answer and on an `OPTIONS` preflight (sent with `Origin` and
 * `Access-Control-Request-Method: GET`, not redirected, as browsers do), the Content-Type (application/json
 * expected), a byte order mark or an HTML page instead of JSON, Cache-Control (recorded), and the other
 * top-level keys. Base URL hosts are resolved through `dns` and every address passes `policy`, like the document.
 *
 * Never rejects for remote faults; rejects only when `signal` aborts, and throws `INVALID_ARGUMENT` for an
 * unusable hostname or option.
 *
 * @example
 * ```ts
 * const report = await checkClientDocument('example.org', { dns: createDnsClient(), policy: createAddressPolicy() });
 * console.log(report.status, report.homeserver?.baseUrl, report.cors.get);
 * for (const p of report.problems) console.log(p.severity, p.code, p.message);
 * ```
 */
export async function checkClientDocument(
  hostname: string,
  options: DocumentCheckOptions,
): Promise<ClientDocumentReport> {
  return checkClientDocumentWith(hostname, transportOptions(options));
}

/**
 * {@link checkClientDocument} over a transport built once: from its options (`transportOptions`), or from a check's
 * context (`fetchTransport`). Every request of the check (the document, its preflight, the base URLs) shares it.
 */
export async function checkClientDocumentWith(
  hostname: string,
  transport: WellKnownDocumentOptions,
): Promise<ClientDocumentReport> {
  const started = performance.now();
  const [doc, preflight] = await Promise.all([
    fetchWellKnownDocument(hostname, WELL_KNOWN_CLIENT_PATH, { ...transport, headers: { origin: CORS_PROBE_ORIGIN } }),
    fetchWellKnownDocument(hostname, WELL_KNOWN_CLIENT_PATH, {
      ...transport,
      method: 'OPTIONS',
      headers: { origin: CORS_PROBE_ORIGIN, 'access-control-request-method': 'GET' },
      followRedirects: false,
    }),
  ]);

  const problems: ClientDocumentProblem[] = [];
  const problem = (
    code: ClientDocumentProblemCode,
    severity: ProblemSeverity,
    message: string,
    cause: ErrorCode | null = null,
  ): void => {
    problems.push({ code, severity, message, cause });
  };
  // The spec's flow stops at its first failing step, so the first verdict other than SUCCESS stands.
  let status: ClientDiscoveryStatus = 'SUCCESS';
  const verdict = (next: ClientDiscoveryStatus): void => {
    if (status === 'SUCCESS') status = next;
  };

  const contentType = doc.headers['content-type'] ?? null;
  let hasBom = false;
  let htmlBody = false;
  let homeserver: HomeserverCheck | null = null;
  let identityServer: BaseUrlCheck | null = null;
  let extras: string[] = [];
  let settings: ClientSettingsReport | null = null;
  const corsGet = doc.outcome === 'response' ? checkCorsHeaders(doc.headers) : null;
  const preflightReport = summarizePreflight(preflight);

  const document = readDocument(doc, problem);
  if (document.status !== null) verdict(document.status);
  hasBom = document.hasBom;
  htmlBody = document.htmlBody;

  if (doc.outcome === 'response' && doc.httpStatus === 200) {
    if (!isJsonContentType(contentType)) {
      problem(
        'CLIENT_CONTENT_TYPE',
        'warning',
        contentType === null ? say.contentTypeNone : say.contentType({ type: contentType }),
      );
    }
    reportCors(corsGet ?? [], preflightReport, problem);
  }

  if (document.value !== null) {
    const value = document.value;
    extras = Object.keys(value).filter((k) => k !== 'm.homeserver' && k !== 'm.identity_server');
    const hs = value['m.homeserver'];
    const hsBase = isJsonObject(hs) && typeof hs['base_url'] === 'string' ? hs['base_url'] : null;
    const is = Object.hasOwn(value, 'm.identity_server') ? value['m.identity_server'] : undefined;
    const isBase = isJsonObject(is) && typeof is['base_url'] === 'string' ? is['base_url'] : null;

    const hsEndpoint = hsBase === null ? null : endpointOf(hsBase, HOMESERVER);
    const [hsCheck, isCheck, settingsReport] = await Promise.all([
      hsBase === null ? null : checkBaseUrl(hsBase, HOMESERVER, transport, versionsProblem),
      isBase === null ? null : checkBaseUrl(isBase, IDENTITY, transport, () => null),
      // The settings (Jitsi, calls, sign-in, maps...) are checked alongside: they never change the verdict.
      checkClientSettings(value, {
        transport,
        origin: CORS_PROBE_ORIGIN,
        homeserverBase: hsEndpoint?.ok === true ? hsEndpoint.url.href.slice(0, -HOMESERVER.endpoint.length) : null,
      }),
    ]);
    settings = settingsReport;

    // Step 4: m.homeserver.base_url.
    if (hsCheck === null) {
      const message =
        hs === undefined
          ? say.noHomeserver
          : isJsonObject(hs)
            ? hs['base_url'] === undefined
              ? say.noBaseUrl
              : say.baseUrlNotString({ type: jsonTypeName(hs['base_url']) })
            : say.homeserverNotObject({ type: jsonTypeName(hs) });
      homeserver = {
        baseUrl: null,
        url: null,
        httpStatus: null,
        versions: null,
        error: { code: 'CLIENT_MISSING_BASE_URL', message, cause: null },
      };
      problem('CLIENT_MISSING_BASE_URL', 'error', message);
      verdict('FAIL_PROMPT');
    } else {
      const parsed = hsCheck.check.error === null && hsCheck.body !== null ? parseVersions(hsCheck.body) : null;
      homeserver = { ...hsCheck.check, versions: parsed !== null && 'versions' in parsed ? parsed.versions : null };
      // Step 5: the homeserver base URL must be a URL and answer /versions.
      if (hsCheck.check.error !== null) {
        const e = hsCheck.check.error;
        problem(e.code, 'error', e.message, e.cause);
        verdict('FAIL_ERROR');
      }
    }

    // Step 6: m.identity_server, when present.
    if (is !== undefined) {
      if (isCheck === null) {
        const message = isJsonObject(is) ? say.identityNoBaseUrl : say.identityNotObject({ type: jsonTypeName(is) });
        identityServer = {
          baseUrl: null,
          url: null,
          httpStatus: null,
          error: { code: 'CLIENT_IDENTITY_MISSING_BASE_URL', message, cause: null },
        };
        problem('CLIENT_IDENTITY_MISSING_BASE_URL', 'error', message);
        verdict('FAIL_PROMPT');
      } else {
        identityServer = isCheck.check;
        // The identity server's endpoint is never judged by its body, so every error of it has a fault.
        if (isCheck.check.error !== null && isCheck.fault !== null) {
          const e = isCheck.check.error;
          problem(e.code, 'error', faultSentence(isCheck.fault, true), e.cause);
          verdict('FAIL_ERROR');
        }
      }
    }
  }
  // Checked with the values as served; the report keeps a bounded copy of each (see bound-report.ts).
  return boundClientDocumentReport({
    status,
    url: doc.url,
    httpStatus: doc.httpStatus,
    contentType,
    cacheControl: doc.headers['cache-control'] ?? null,
    hasBom,
    htmlBody,
    cors: { get: corsGet, preflight: preflightReport },
    homeserver,
    identityServer,
    extras,
    settings,
    problems,
    durationMs: performance.now() - started,
  });
}

/** Steps 1-3 of the flow: the response and its body. `status` is set when one of them already decides. */
function readDocument(
  doc: WellKnownDocumentResult,
  problem: (
    code: ClientDocumentProblemCode,
    severity: ProblemSeverity,
    message: string,
    cause?: ErrorCode | null,
  ) => void,
): { status: ClientDiscoveryStatus | null; value: Record<string, unknown> | null; hasBom: boolean; htmlBody: boolean } {
  const none = { value: null, hasBom: false, htmlBody: false };
  if (doc.outcome !== 'response') {
    problem('CLIENT_FETCH_FAILED', 'error', say.fetchFailed({ detail: doc.detail }), doc.code);
    return { status: 'FAIL_PROMPT', ...none };
  }
  if (doc.httpStatus === 404) {
    problem('CLIENT_NOT_FOUND', 'info', say.notFound({ url: doc.url }));
    return { status: 'IGNORE', ...none };
  }
  if (doc.httpStatus !== 200) {
    problem('CLIENT_HTTP_STATUS', 'error', say.httpStatus({ url: doc.url, status: String(doc.httpStatus) }));
    return { status: 'FAIL_PROMPT', ...none };
  }
  const read = readJsonBody(doc.body ?? new Uint8Array());
  if (read.hasBom) {
    problem('CLIENT_BOM', 'warning', say.bom);
  }
  if (!read.ok) {
    if (read.reason === 'empty') {
      problem('CLIENT_EMPTY_BODY', 'error', say.empty({ url: doc.url }));
    } else if (read.looksLikeHtml) {
      problem('CLIENT_HTML_BODY', 'error', say.html({ url: doc.url }));
    } else {
      problem('CLIENT_INVALID_JSON', 'error', say.invalidJson({ url: doc.url, error: read.message }));
    }
    return { status: 'FAIL_PROMPT', value: null, hasBom: read.hasBom, htmlBody: read.looksLikeHtml };
  }
  if (!isJsonObject(read.value)) {
    problem('CLIENT_NOT_OBJECT', 'error', say.notObject({ type: jsonTypeName(read.value) }));
    return { status: 'FAIL_PROMPT', value: null, hasBom: read.hasBom, htmlBody: false };
  }
  return { status: null, value: read.value, hasBom: read.hasBom, htmlBody: false };
}

function summarizePreflight(preflight: WellKnownDocumentResult): ClientDocumentReport['cors']['preflight'] {
  if (preflight.outcome !== 'response') {
    return {
      status: preflight.httpStatus,
      missing: null,
      error: { code: preflight.code ?? 'HTTP_ERROR', message: preflight.detail },
    };
  }
  return { status: preflight.httpStatus, missing: checkCorsHeaders(preflight.headers), error: null };
}

/** CORS findings, for a document that exists (ground-truth §3: the document must carry CORS and answer preflights). */
function reportCors(
  get: readonly string[],
  preflight: ClientDocumentReport['cors']['preflight'],
  problem: (
    code: ClientDocumentProblemCode,
    severity: ProblemSeverity,
    message: string,
    cause?: ErrorCode | null,
  ) => void,
): void {
  if (get.length > 0) {
    // Without Allow-Origin a browser hides the answer from the page: web clients cannot discover the server.
    const blocking = get.some((m) => m.startsWith('Access-Control-Allow-Origin'));
    problem(
      'CLIENT_CORS_MISSING',
      blocking ? 'error' : 'warning',
      (blocking ? say.corsBlocking : say.corsMissing)({ missing: formatMissingCors(get) }),
    );
  }
  // A plain GET needs no preflight, so these findings are warnings: the spec still asks servers to answer one.
  if (preflight.error !== null) {
    problem(
      'CLIENT_PREFLIGHT_FAILED',
      'warning',
      say.preflightNoAnswer({ error: preflight.error.message }),
      preflight.error.code,
    );
  } else if (preflight.status === null || preflight.status < 200 || preflight.status > 299) {
    problem('CLIENT_PREFLIGHT_FAILED', 'warning', say.preflightStatus({ status: String(preflight.status) }));
  } else if (preflight.missing !== null && preflight.missing.length > 0) {
    problem(
      'CLIENT_PREFLIGHT_CORS_MISSING',
      'warning',
      say.preflightCors({ missing: formatMissingCors(preflight.missing) }),
    );
  }
}
