// Checks /.well-known/matrix/client the way a client discovers a homeserver: status, JSON, base URLs, CORS.

import { performance } from 'node:perf_hooks';
import type { DnsPort } from '../dns/types.js';
import type { ErrorCode } from '../errors.js';
import type { AddressPolicy } from '../net/types.js';
import { fetchHttpsDocument, fetchWellKnownDocument } from '../well-known/fetch-document.js';
import type { WellKnownDocumentOptions, WellKnownDocumentResult } from '../well-known/types.js';
import { boundClientDocumentReport } from './bound-report.js';
import { checkCorsHeaders } from './cors.js';

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
  readonly dns: DnsPort;
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

/** The spec's client discovery outcomes (client-server API "Well-known URIs", the auto-discovery flow). */
export type ClientDiscoveryStatus =
  /** 404: no document; clients carry on with what the user typed. */
  | 'IGNORE'
  /** The document is unusable (not 200, empty, not JSON, no `m.homeserver.base_url`): clients ask the user. */
  | 'FAIL_PROMPT'
  /** The document is valid but points nowhere usable: clients stop the login. */
  | 'FAIL_ERROR'
  /** Clients find the homeserver (and identity server, when one is given). */
  | 'SUCCESS';

/** What can be wrong with a client well-known document or what it points to. */
export type ClientDocumentProblemCode =
  | 'CLIENT_NOT_FOUND'
  | 'CLIENT_FETCH_FAILED'
  | 'CLIENT_HTTP_STATUS'
  | 'CLIENT_EMPTY_BODY'
  | 'CLIENT_INVALID_JSON'
  | 'CLIENT_HTML_BODY'
  | 'CLIENT_BOM'
  | 'CLIENT_NOT_OBJECT'
  | 'CLIENT_MISSING_BASE_URL'
  | 'CLIENT_INVALID_BASE_URL'
  | 'CLIENT_BASE_URL_NOT_HTTPS'
  | 'CLIENT_VERSIONS_FAILED'
  | 'CLIENT_VERSIONS_INVALID'
  | 'CLIENT_IDENTITY_MISSING_BASE_URL'
  | 'CLIENT_IDENTITY_INVALID_BASE_URL'
  | 'CLIENT_IDENTITY_FAILED'
  | 'CLIENT_CONTENT_TYPE'
  | 'CLIENT_CORS_MISSING'
  | 'CLIENT_PREFLIGHT_FAILED'
  | 'CLIENT_PREFLIGHT_CORS_MISSING';

/** How much a problem matters: `error` breaks clients (or some of them), `warning` deviates from the spec, `info` is a fact. */
export type ProblemSeverity = 'error' | 'warning' | 'info';

/** One finding, in plain words. */
export interface DocumentProblem<Code extends string> {
  readonly code: Code;
  readonly severity: ProblemSeverity;
  readonly message: string;
  /** The network or fetch code behind it (`CONNECT_REFUSED`, `TLS_EXPIRED`, ...), when there is one. */
  readonly cause: ErrorCode | null;
}

/** A problem of the client document. */
export type ClientDocumentProblem = DocumentProblem<ClientDocumentProblemCode>;

/** The check of one base URL (`m.homeserver` or `m.identity_server`). */
export interface BaseUrlCheck {
  /** `base_url` as the document gave it; null when missing or not a string. */
  readonly baseUrl: string | null;
  /** The endpoint requested (`<base_url>/_matrix/client/versions` or `/_matrix/identity/v2`); null when not requested. */
  readonly url: string | null;
  /** The status the endpoint answered; null when it was not requested or no answer came. */
  readonly httpStatus: number | null;
  /** Why this base URL is unusable, or null when it works. */
  readonly error: { readonly code: ClientDocumentProblemCode; readonly message: string; readonly cause: ErrorCode | null } | null;
}

/** The homeserver check: a base URL check plus the spec versions the server advertises. */
export interface HomeserverCheck extends BaseUrlCheck {
  /** `versions` from `/_matrix/client/versions` (e.g. `["v1.1", ..., "v1.12"]`), or null when not obtained. */
  readonly versions: readonly string[] | null;
}

/** The report of {@link checkClientDocument}. */
export interface ClientDocumentReport {
  /** The spec's discovery outcome: the first failing step decides it. */
  readonly status: ClientDiscoveryStatus;
  /** The URL of the last request (after redirects). */
  readonly url: string;
  /** Status of the document's final response, or null when none came. */
  readonly httpStatus: number | null;
  /** Content-Type as served (application/json expected), or null. */
  readonly contentType: string | null;
  /** Cache-Control as served, or null. */
  readonly cacheControl: string | null;
  /** The body started with a UTF-8 byte order mark. */
  readonly hasBom: boolean;
  /** The body looks like an HTML page (a web server's default page or an app's catch-all route). */
  readonly htmlBody: boolean;
  readonly cors: {
    /** CORS headers missing from the document response (see `checkCorsHeaders`); null when no response came. */
    readonly get: readonly string[] | null;
    readonly preflight: {
      /** Status of the `OPTIONS` answer (2xx expected), or null when none came. */
      readonly status: number | null;
      /** CORS headers missing from it; null when no answer came. */
      readonly missing: readonly string[] | null;
      /** Why no answer came, or null. */
      readonly error: { readonly code: ErrorCode; readonly message: string } | null;
    };
  };
  /** The `m.homeserver` check; null when the document could not be read as a JSON object. */
  readonly homeserver: HomeserverCheck | null;
  /** The `m.identity_server` check; null when the document has none (it is optional). */
  readonly identityServer: BaseUrlCheck | null;
  /** Other top-level keys (`im.vector.riot.jitsi`, `io.element.e2ee`, ...). */
  readonly extras: readonly string[];
  readonly problems: readonly ClientDocumentProblem[];
  readonly durationMs: number;
}

/** A body read as a JSON document: the value, or why it is not one. */
export type JsonDocumentRead =
  | { readonly ok: true; readonly value: unknown; readonly hasBom: boolean; readonly looksLikeHtml: false }
  | {
      readonly ok: false;
      readonly reason: 'empty' | 'not-utf8' | 'invalid-json';
      readonly message: string;
      readonly hasBom: boolean;
      readonly looksLikeHtml: boolean;
    };

/**
 * Reads a well-known body as JSON whatever its Content-Type (the spec says so). A leading UTF-8 byte order mark
 * is skipped, as browsers' `response.json()` does, and reported in `hasBom`; a body that starts with `<` (after
 * white space) is flagged as HTML.
 */
export function readJsonDocument(body: Uint8Array): JsonDocumentRead {
  const hasBom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(hasBom ? body.subarray(3) : body);
  } catch {
    return { ok: false, reason: 'not-utf8', message: 'the body is not valid UTF-8 text', hasBom, looksLikeHtml: false };
  }
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty', message: 'the body is empty', hasBom, looksLikeHtml: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, hasBom, looksLikeHtml: false };
  } catch (error) {
    return {
      ok: false,
      reason: 'invalid-json',
      message: `the body is not valid JSON (${(error as Error).message})`,
      hasBom,
      looksLikeHtml: trimmed.startsWith('<'),
    };
  }
}

/** True for `application/json` with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  return (contentType.split(';')[0] ?? '').trim().toLowerCase() === 'application/json';
}

/** A plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** The transport options shared by every request of a check. */
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

/** The endpoint URL of a base URL, or why there is none. Clients strip trailing slashes before appending the path. */
function endpointOf(baseUrl: string, role: BaseUrlRole): { ok: true; url: URL } | { ok: false; code: ClientDocumentProblemCode; message: string } {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return { ok: false, code: role.invalid, message: `${role.label} "${baseUrl}" is not a URL; it should look like "https://matrix.example.org"` };
  }
  if (parsed.protocol === 'http:') {
    return {
      ok: false,
      code: role === HOMESERVER ? 'CLIENT_BASE_URL_NOT_HTTPS' : role.invalid,
      message:
        `${role.label} "${baseUrl}" uses plain http: web clients served over HTTPS cannot use it (mixed content) and ` +
        'this checker only validates HTTPS endpoints; serve it over https://',
    };
  }
  if (parsed.protocol !== 'https:') {
    return { ok: false, code: role.invalid, message: `${role.label} "${baseUrl}" is not an http(s) URL` };
  }
  return { ok: true, url: new URL(`${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}${role.endpoint}`) };
}

/** Requests one base URL's endpoint; `validate` judges a 200 body. */
async function checkBaseUrl(
  baseUrl: string,
  role: BaseUrlRole,
  options: DocumentCheckOptions,
  validate: (body: Uint8Array) => string | null,
): Promise<{ check: BaseUrlCheck; body: Uint8Array | null }> {
  const endpoint = endpointOf(baseUrl, role);
  if (!endpoint.ok) return { check: { baseUrl, url: null, httpStatus: null, error: { code: endpoint.code, message: endpoint.message, cause: null } }, body: null };
  // Base URLs carry their own port: 443 when they have none, whatever port the well-known document used.
  const result = await fetchHttpsDocument(endpoint.url, { ...transportOptions(options), port: 443, maxBodyBytes: MAX_ENDPOINT_BODY_BYTES });
  const base = { baseUrl, url: endpoint.url.href, httpStatus: result.httpStatus };
  if (result.outcome !== 'response') {
    return { check: { ...base, error: { code: role.failed, message: `${role.label}: ${result.detail}`, cause: result.code } }, body: null };
  }
  if (result.httpStatus !== 200) {
    return {
      check: { ...base, error: { code: role.failed, message: `${result.url} answered ${String(result.httpStatus)} instead of 200`, cause: null } },
      body: null,
    };
  }
  const body = result.body ?? new Uint8Array();
  const invalid = validate(body);
  if (invalid !== null) {
    const code = role === HOMESERVER ? 'CLIENT_VERSIONS_INVALID' : role.failed;
    return { check: { ...base, error: { code, message: `${result.url}: ${invalid}`, cause: null } }, body };
  }
  return { check: { ...base, error: null }, body };
}

/** The `versions` array of a `/_matrix/client/versions` body, or why it is not one. */
function parseVersions(body: Uint8Array): { versions: string[] } | { error: string } {
  const read = readJsonDocument(body);
  if (!read.ok) return { error: `${read.message}; a homeserver answers {"versions": ["v1.1", ...]}` };
  if (!isJsonObject(read.value)) return { error: `the answer is ${typeName(read.value)}, not a JSON object with a "versions" array` };
  const versions = read.value['versions'];
  if (!Array.isArray(versions) || !versions.every((v) => typeof v === 'string')) {
    return { error: 'the answer has no "versions" array of strings: this is not a Matrix homeserver\'s client API' };
  }
  return { versions: versions as string[] };
}

/** Why a `/versions` body is unusable, or null. */
function versionsProblem(body: Uint8Array): string | null {
  const parsed = parseVersions(body);
  return 'error' in parsed ? parsed.error : null;
}

/**
 * Checks `https://<hostname>/.well-known/matrix/client` as a client's auto-discovery would (client-server API
 * "Well-known URIs"; spec-notes §3), and what a web client additionally needs.
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
export async function checkClientDocument(hostname: string, options: DocumentCheckOptions): Promise<ClientDocumentReport> {
  const started = performance.now();
  const transport = transportOptions(options);
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
  const problem = (code: ClientDocumentProblemCode, severity: ProblemSeverity, message: string, cause: ErrorCode | null = null): void => {
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
        `the document is served as ${contentType === null ? 'no Content-Type' : `"${contentType}"`}; serve it as application/json (clients parse it anyway, but tools and caches may not)`,
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

    const [hsCheck, isCheck] = await Promise.all([
      hsBase === null ? null : checkBaseUrl(hsBase, HOMESERVER, options, versionsProblem),
      isBase === null ? null : checkBaseUrl(isBase, IDENTITY, options, () => null),
    ]);

    // Step 4: m.homeserver.base_url.
    if (hsCheck === null) {
      const message =
        hs === undefined
          ? 'the document has no "m.homeserver"; it should be {"m.homeserver": {"base_url": "https://matrix.example.org"}}'
          : isJsonObject(hs)
            ? `"m.homeserver" has ${hs['base_url'] === undefined ? 'no "base_url"' : `a "base_url" that is ${typeName(hs['base_url'])}, not a string`}`
            : `"m.homeserver" is ${typeName(hs)}, not an object with a "base_url"`;
      homeserver = { baseUrl: null, url: null, httpStatus: null, versions: null, error: { code: 'CLIENT_MISSING_BASE_URL', message, cause: null } };
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
        const message = isJsonObject(is)
          ? `"m.identity_server" is present but has no "base_url" string; remove it or give {"base_url": "https://identity.example.org"}`
          : `"m.identity_server" is ${typeName(is)}, not an object with a "base_url"`;
        identityServer = { baseUrl: null, url: null, httpStatus: null, error: { code: 'CLIENT_IDENTITY_MISSING_BASE_URL', message, cause: null } };
        problem('CLIENT_IDENTITY_MISSING_BASE_URL', 'error', message);
        verdict('FAIL_PROMPT');
      } else {
        identityServer = isCheck.check;
        if (isCheck.check.error !== null) {
          const e = isCheck.check.error;
          problem(e.code, 'error', `${e.message} (the spec has clients stop when the identity server given does not work; remove "m.identity_server" if you have none)`, e.cause);
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
    problems,
    durationMs: performance.now() - started,
  });
}

/** Steps 1-3 of the flow: the response and its body. `status` is set when one of them already decides. */
function readDocument(
  doc: WellKnownDocumentResult,
  problem: (code: ClientDocumentProblemCode, severity: ProblemSeverity, message: string, cause?: ErrorCode | null) => void,
): { status: ClientDiscoveryStatus | null; value: Record<string, unknown> | null; hasBom: boolean; htmlBody: boolean } {
  const none = { value: null, hasBom: false, htmlBody: false };
  if (doc.outcome !== 'response') {
    problem('CLIENT_FETCH_FAILED', 'error', `the client well-known document could not be fetched: ${doc.detail}`, doc.code);
    return { status: 'FAIL_PROMPT', ...none };
  }
  if (doc.httpStatus === 404) {
    problem('CLIENT_NOT_FOUND', 'info', `${doc.url} answered 404: there is no client well-known document, so clients cannot discover the homeserver from the user ID`);
    return { status: 'IGNORE', ...none };
  }
  if (doc.httpStatus !== 200) {
    problem('CLIENT_HTTP_STATUS', 'error', `${doc.url} answered ${String(doc.httpStatus)} instead of 200 (or 404 when there is no document)`);
    return { status: 'FAIL_PROMPT', ...none };
  }
  const read = readJsonDocument(doc.body ?? new Uint8Array());
  if (read.hasBom) {
    problem('CLIENT_BOM', 'warning', 'the document starts with a UTF-8 byte order mark (bytes EF BB BF), which JSON forbids; browsers skip it but other clients may not: save the file as UTF-8 without BOM');
  }
  if (!read.ok) {
    if (read.reason === 'empty') {
      problem('CLIENT_EMPTY_BODY', 'error', `${doc.url} answered 200 with an empty body`);
    } else if (read.looksLikeHtml) {
      problem('CLIENT_HTML_BODY', 'error', `${doc.url} answered an HTML page instead of JSON: the web server probably serves its default page or a catch-all route there; serve the JSON file at exactly this path`);
    } else {
      problem('CLIENT_INVALID_JSON', 'error', `${doc.url}: ${read.message}`);
    }
    return { status: 'FAIL_PROMPT', value: null, hasBom: read.hasBom, htmlBody: read.looksLikeHtml };
  }
  if (!isJsonObject(read.value)) {
    problem('CLIENT_NOT_OBJECT', 'error', `the document is ${typeName(read.value)}, not a JSON object like {"m.homeserver": {"base_url": "https://matrix.example.org"}}`);
    return { status: 'FAIL_PROMPT', value: null, hasBom: read.hasBom, htmlBody: false };
  }
  return { status: null, value: read.value, hasBom: read.hasBom, htmlBody: false };
}

function summarizePreflight(preflight: WellKnownDocumentResult): ClientDocumentReport['cors']['preflight'] {
  if (preflight.outcome !== 'response') {
    return { status: preflight.httpStatus, missing: null, error: { code: preflight.code ?? 'HTTP_ERROR', message: preflight.detail } };
  }
  return { status: preflight.httpStatus, missing: checkCorsHeaders(preflight.headers), error: null };
}

/** CORS findings, for a document that exists (spec-notes §3: the document must carry CORS and answer preflights). */
function reportCors(
  get: readonly string[],
  preflight: ClientDocumentReport['cors']['preflight'],
  problem: (code: ClientDocumentProblemCode, severity: ProblemSeverity, message: string, cause?: ErrorCode | null) => void,
): void {
  if (get.length > 0) {
    // Without Allow-Origin a browser hides the answer from the page: web clients cannot discover the server.
    const blocking = get.some((m) => m.startsWith('Access-Control-Allow-Origin'));
    problem(
      'CLIENT_CORS_MISSING',
      blocking ? 'error' : 'warning',
      `the document's response lacks CORS headers the spec asks for: ${get.join('; ')}` +
        (blocking ? ' (without Access-Control-Allow-Origin: * web clients such as Element Web cannot read it)' : ''),
    );
  }
  // A plain GET needs no preflight, so these findings are warnings: the spec still asks servers to answer one.
  if (preflight.error !== null) {
    problem('CLIENT_PREFLIGHT_FAILED', 'warning', `the OPTIONS preflight got no answer: ${preflight.error.message}`, preflight.error.code);
  } else if (preflight.status === null || preflight.status < 200 || preflight.status > 299) {
    problem('CLIENT_PREFLIGHT_FAILED', 'warning', `the OPTIONS preflight answered ${String(preflight.status)}; browsers need a 2xx answer (200 or 204) with the CORS headers`);
  } else if (preflight.missing !== null && preflight.missing.length > 0) {
    problem('CLIENT_PREFLIGHT_CORS_MISSING', 'warning', `the OPTIONS preflight answer lacks CORS headers: ${preflight.missing.join('; ')}`);
  }
}
