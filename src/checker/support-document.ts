// Checks /.well-known/matrix/support (spec v1.10): optional, but when served it must list usable contacts or a support page.

import { performance } from 'node:perf_hooks';
import type { ErrorCode } from '../errors.js';
import { parseServerName } from '../server-name/index.js';
import { fetchWellKnownDocument } from '../well-known/fetch-document.js';
import type { ProblemSeverity } from '../check-report/problem.js';
import type {
  SupportContact,
  SupportDocumentProblem,
  SupportDocumentProblemCode,
  SupportDocumentReport,
  SupportDocumentStatus,
} from '../check-report/support-document.js';
import type { WellKnownDocumentOptions } from '../well-known/types.js';
import { isJsonObject, jsonTypeName, readJsonBody } from '../net/json-body.js';
import {
  CORS_PROBE_ORIGIN,
  isJsonContentType,
  transportOptions,
  type DocumentCheckOptions,
} from './client-document.js';
import { REMOTE_LIST_LIMIT } from '../remote-text.js';
import { boundSupportDocumentReport } from './bound-report.js';
import { checkCorsHeaders } from './cors.js';

/** The path of the support well-known document (client-server API, "GET /.well-known/matrix/support"). */
export const WELL_KNOWN_SUPPORT_PATH = '/.well-known/matrix/support';

/** The roles the spec defines; others must be namespaced identifiers outside `m.`. */
export const SPEC_SUPPORT_ROLES: readonly string[] = Object.freeze(['m.role.admin', 'm.role.security']);

// The report's types are the model's (src/check-report/); named here too, beside the check that makes the report.
export type {
  SupportContact,
  SupportDocumentProblem,
  SupportDocumentProblemCode,
  SupportDocumentReport,
  SupportDocumentStatus,
} from '../check-report/support-document.js';

/** Common namespaced identifier grammar (spec appendix): 1-255 of [a-z0-9._-], starting with a letter. */
const NAMESPACED_IDENTIFIER = /^[a-z][a-z0-9._-]{0,254}$/;

/** Why a role is unusable (error), or should be namespaced (warning), or null when it is fine. */
function roleProblem(
  role: string,
): { code: SupportDocumentProblemCode; severity: ProblemSeverity; why: string } | null {
  if (SPEC_SUPPORT_ROLES.includes(role)) return null;
  if (role.startsWith('m.')) {
    return {
      code: 'SUPPORT_CONTACT_INVALID_ROLE',
      severity: 'error',
      why: `"${role}" is not a role of the spec (the "m." namespace is reserved; use ${SPEC_SUPPORT_ROLES.join(' or ')})`,
    };
  }
  if (!NAMESPACED_IDENTIFIER.test(role)) {
    return {
      code: 'SUPPORT_CONTACT_INVALID_ROLE',
      severity: 'error',
      why: `"${role}" is not a namespaced identifier (lowercase letters, digits, ".", "_", "-"; e.g. "org.example.role.abuse")`,
    };
  }
  if (!role.includes('.')) {
    return {
      code: 'SUPPORT_CONTACT_ROLE_NOT_NAMESPACED',
      severity: 'warning',
      why: `"${role}" should carry a reversed domain name, like "org.example.${role}"`,
    };
  }
  return null;
}

/** Why a Matrix user ID is malformed, or null (`@localpart:server_name`, spec appendix "User Identifiers"). */
function matrixIdProblem(id: string): string | null {
  if (!id.startsWith('@')) return 'it must start with "@"';
  const colon = id.indexOf(':');
  if (colon < 2) return 'it must look like "@localpart:server.name"';
  if (/\s/.test(id.slice(1, colon))) return 'the localpart must not contain white space';
  const server = parseServerName(id.slice(colon + 1));
  if (!server.ok) return `"${id.slice(colon + 1)}" is not a valid server name (${server.error.message})`;
  return null;
}

/**
 * Checks `https://<hostname>/.well-known/matrix/support` (client-server API, added in spec v1.10; ground-truth §3).
 *
 * - 404 -> `absent`: the document is optional. No answer or another status -> `error`.
 * - A 200 body must be a JSON object (read whatever its Content-Type; a byte order mark and an HTML page are
 *   flagged). `contacts`, when present, is an array of objects, each with a `role` (`m.role.admin`,
 *   `m.role.security`, or a namespaced identifier outside `m.`) and at least one of `matrix_id` (a user ID) and
 *   `email_address`. The document needs a non-empty `contacts` or a `support_page` (a URL).
 * - `valid` when no error-level problem was found; warnings (Content-Type, CORS, un-namespaced role, a support
 *   page on plain http) do not make it invalid.
 *
 * Never rejects for remote faults; rejects only when `signal` aborts.
 *
 * @example
 * ```ts
 * const report = await checkSupportDocument('example.org', { dns: createDnsClient(), policy: createAddressPolicy() });
 * if (report.status === 'invalid') for (const p of report.problems) console.log(p.code, p.message);
 * ```
 */
export async function checkSupportDocument(
  hostname: string,
  options: DocumentCheckOptions,
): Promise<SupportDocumentReport> {
  return checkSupportDocumentWith(hostname, transportOptions(options));
}

/** {@link checkSupportDocument} over a transport built once: from its options, or from a check's context (`fetchTransport`). */
export async function checkSupportDocumentWith(
  hostname: string,
  transport: WellKnownDocumentOptions,
): Promise<SupportDocumentReport> {
  const started = performance.now();
  const doc = await fetchWellKnownDocument(hostname, WELL_KNOWN_SUPPORT_PATH, {
    ...transport,
    headers: { origin: CORS_PROBE_ORIGIN },
  });
  const problems: SupportDocumentProblem[] = [];
  const problem = (
    code: SupportDocumentProblemCode,
    severity: ProblemSeverity,
    message: string,
    cause: ErrorCode | null = null,
  ): void => {
    problems.push({ code, severity, message, cause });
  };
  const contentType = doc.headers['content-type'] ?? null;
  const contacts: SupportContact[] = [];
  let supportPage: string | null = null;
  // The report keeps a bounded copy of what was served (see bound-report.ts).
  const report = (status: SupportDocumentStatus): SupportDocumentReport =>
    boundSupportDocumentReport({
      status: status === 'valid' && problems.some((p) => p.severity === 'error') ? 'invalid' : status,
      url: doc.url,
      httpStatus: doc.httpStatus,
      contentType,
      cors: doc.outcome === 'response' ? checkCorsHeaders(doc.headers) : null,
      contacts,
      supportPage,
      problems,
      durationMs: performance.now() - started,
    });

  if (doc.outcome !== 'response') {
    problem('SUPPORT_FETCH_FAILED', 'error', `the support document could not be fetched: ${doc.detail}`, doc.code);
    return report('error');
  }
  if (doc.httpStatus === 404) return report('absent');
  if (doc.httpStatus !== 200) {
    problem(
      'SUPPORT_HTTP_STATUS',
      'error',
      `${doc.url} answered ${String(doc.httpStatus)}; serve the document with 200, or answer 404 when there is none`,
    );
    return report('error');
  }

  if (!isJsonContentType(contentType)) {
    problem(
      'SUPPORT_CONTENT_TYPE',
      'warning',
      `the document is served as ${contentType === null ? 'no Content-Type' : `"${contentType}"`}; serve it as application/json`,
    );
  }
  const cors = checkCorsHeaders(doc.headers);
  if (cors.some((m) => m.startsWith('Access-Control-Allow-Origin'))) {
    problem(
      'SUPPORT_CORS_MISSING',
      'warning',
      'the document lacks "Access-Control-Allow-Origin: *", so web clients cannot show the support contacts',
    );
  }
  const read = readJsonBody(doc.body ?? new Uint8Array());
  if (read.hasBom)
    problem(
      'SUPPORT_BOM',
      'warning',
      'the document starts with a UTF-8 byte order mark, which JSON forbids; save it as UTF-8 without BOM',
    );
  if (!read.ok) {
    if (read.reason === 'empty') problem('SUPPORT_EMPTY_BODY', 'error', `${doc.url} answered 200 with an empty body`);
    else if (read.looksLikeHtml)
      problem(
        'SUPPORT_HTML_BODY',
        'error',
        `${doc.url} answered an HTML page instead of JSON: serve the JSON file at exactly this path`,
      );
    else problem('SUPPORT_INVALID_JSON', 'error', `${doc.url}: ${read.message}`);
    return report('invalid');
  }
  if (!isJsonObject(read.value)) {
    problem(
      'SUPPORT_NOT_OBJECT',
      'error',
      `the document is ${jsonTypeName(read.value)}, not a JSON object like {"contacts": [...], "support_page": "https://..."}`,
    );
    return report('invalid');
  }
  const value = read.value;

  const rawContacts = value['contacts'];
  let contactsUsable = false;
  if (rawContacts !== undefined) {
    if (!Array.isArray(rawContacts)) {
      problem(
        'SUPPORT_CONTACTS_NOT_ARRAY',
        'error',
        `"contacts" is ${jsonTypeName(rawContacts)}, not an array of contacts`,
      );
    } else {
      contactsUsable = rawContacts.length > 0;
      // A support document lists a few people or roles: the first 64 are checked and reported, the rest counted.
      rawContacts
        .slice(0, REMOTE_LIST_LIMIT)
        .forEach((entry: unknown, index) => contacts.push(checkContact(entry, index, problem)));
      if (rawContacts.length > REMOTE_LIST_LIMIT) {
        problem(
          'SUPPORT_TOO_MANY_CONTACTS',
          'warning',
          `"contacts" has ${rawContacts.length} entries; only the first ${REMOTE_LIST_LIMIT} were checked (list a few people or roles)`,
        );
      }
    }
  }

  const rawPage = value['support_page'];
  if (rawPage !== undefined) {
    if (typeof rawPage !== 'string') {
      problem('SUPPORT_PAGE_INVALID', 'error', `"support_page" is ${jsonTypeName(rawPage)}, not a URL string`);
    } else {
      supportPage = rawPage;
      let url: URL | null = null;
      try {
        url = new URL(rawPage);
      } catch {
        url = null;
      }
      if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        problem('SUPPORT_PAGE_INVALID', 'error', `"support_page" "${rawPage}" is not an http(s) URL`);
      } else if (url.protocol === 'http:') {
        problem(
          'SUPPORT_PAGE_NOT_HTTPS',
          'warning',
          `"support_page" "${rawPage}" uses plain http; link to an https:// page`,
        );
      }
    }
  }

  // Spec: at least one of contacts or support_page; contacts alone must hold at least one entry.
  if (!contactsUsable && rawPage === undefined) {
    problem(
      'SUPPORT_EMPTY',
      'error',
      Array.isArray(rawContacts)
        ? '"contacts" is empty and there is no "support_page": give at least one contact or a support page'
        : 'the document has neither "contacts" nor "support_page": give at least one of them',
    );
  }
  return report('valid');
}

/** Checks one entry of `contacts`, reporting its problems. */
function checkContact(
  entry: unknown,
  index: number,
  problem: (code: SupportDocumentProblemCode, severity: ProblemSeverity, message: string) => void,
): SupportContact {
  const where = `contacts[${index}]`;
  if (!isJsonObject(entry)) {
    problem(
      'SUPPORT_CONTACT_NOT_OBJECT',
      'error',
      `${where} is ${jsonTypeName(entry)}, not an object with "role" and "matrix_id" or "email_address"`,
    );
    return { index, role: null, matrixId: null, emailAddress: null, valid: false };
  }
  let valid = true;
  const fail = (code: SupportDocumentProblemCode, severity: ProblemSeverity, message: string): void => {
    if (severity === 'error') valid = false;
    problem(code, severity, `${where}: ${message}`);
  };
  const role = typeof entry['role'] === 'string' ? entry['role'] : null;
  const matrixId = typeof entry['matrix_id'] === 'string' ? entry['matrix_id'] : null;
  const emailAddress = typeof entry['email_address'] === 'string' ? entry['email_address'] : null;

  if (role === null) {
    fail(
      'SUPPORT_CONTACT_MISSING_ROLE',
      'error',
      entry['role'] === undefined
        ? 'has no "role" (required: "m.role.admin" or "m.role.security")'
        : `"role" is ${jsonTypeName(entry['role'])}, not a string`,
    );
  } else {
    const found = roleProblem(role);
    if (found !== null) fail(found.code, found.severity, found.why);
  }
  if (entry['matrix_id'] !== undefined && matrixId === null)
    fail(
      'SUPPORT_CONTACT_INVALID_MATRIX_ID',
      'error',
      `"matrix_id" is ${jsonTypeName(entry['matrix_id'])}, not a string`,
    );
  if (entry['email_address'] !== undefined && emailAddress === null)
    fail(
      'SUPPORT_CONTACT_INVALID_EMAIL',
      'error',
      `"email_address" is ${jsonTypeName(entry['email_address'])}, not a string`,
    );
  if (matrixId === null && emailAddress === null) {
    fail(
      'SUPPORT_CONTACT_NO_ADDRESS',
      'error',
      'has neither "matrix_id" nor "email_address": give at least one way to reach this contact',
    );
  }
  if (matrixId !== null) {
    const why = matrixIdProblem(matrixId);
    if (why !== null)
      fail('SUPPORT_CONTACT_INVALID_MATRIX_ID', 'error', `"matrix_id" "${matrixId}" is not a Matrix user ID: ${why}`);
  }
  if (emailAddress !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(emailAddress)) {
    fail('SUPPORT_CONTACT_INVALID_EMAIL', 'error', `"email_address" "${emailAddress}" is not an email address`);
  }
  return { index, role, matrixId, emailAddress, valid };
}
