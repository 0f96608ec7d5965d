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
import { SUPPORT_PROBLEM_TEXTS } from '../check-report/document-problem-texts.js';

/**
 * The check's sentences: the catalogue's English (src/check-report/document-problem-texts.ts), which the diagnosis
 * reads back to say them in another language; every problem message below is written with it.
 */
const say = SUPPORT_PROBLEM_TEXTS.en;

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

/**
 * Why a role is unusable (error), or should be namespaced (warning), or null when it is fine; `where` names the
 * contact (`contacts[0]`). The reserved role's sentence names the spec's roles ({@link SPEC_SUPPORT_ROLES}).
 */
function roleProblem(
  role: string,
  where: string,
): { code: SupportDocumentProblemCode; severity: ProblemSeverity; why: string } | null {
  if (SPEC_SUPPORT_ROLES.includes(role)) return null;
  if (role.startsWith('m.')) {
    return { code: 'SUPPORT_CONTACT_INVALID_ROLE', severity: 'error', why: say.roleReserved({ where, role }) };
  }
  if (!NAMESPACED_IDENTIFIER.test(role)) {
    return { code: 'SUPPORT_CONTACT_INVALID_ROLE', severity: 'error', why: say.roleNotIdentifier({ where, role }) };
  }
  if (!role.includes('.')) {
    return {
      code: 'SUPPORT_CONTACT_ROLE_NOT_NAMESPACED',
      severity: 'warning',
      why: say.roleNotNamespaced({ where, role }),
    };
  }
  return null;
}

/**
 * Why a Matrix user ID is malformed (its sentence, `where` naming the contact), or null (`@localpart:server_name`,
 * spec appendix "User Identifiers").
 */
function matrixIdProblem(id: string, where: string): string | null {
  if (!id.startsWith('@')) return say.matrixIdNoAt({ where, id });
  const colon = id.indexOf(':');
  if (colon < 2) return say.matrixIdShape({ where, id });
  if (/\s/.test(id.slice(1, colon))) return say.matrixIdSpace({ where, id });
  const server = parseServerName(id.slice(colon + 1));
  if (!server.ok) return say.matrixIdServer({ where, id, server: id.slice(colon + 1), error: server.error.message });
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
    problem('SUPPORT_FETCH_FAILED', 'error', say.fetchFailed({ detail: doc.detail }), doc.code);
    return report('error');
  }
  if (doc.httpStatus === 404) return report('absent');
  if (doc.httpStatus !== 200) {
    problem('SUPPORT_HTTP_STATUS', 'error', say.httpStatus({ url: doc.url, status: String(doc.httpStatus) }));
    return report('error');
  }

  if (!isJsonContentType(contentType)) {
    problem(
      'SUPPORT_CONTENT_TYPE',
      'warning',
      contentType === null ? say.contentTypeNone : say.contentType({ type: contentType }),
    );
  }
  const cors = checkCorsHeaders(doc.headers);
  if (cors.some((m) => m.startsWith('Access-Control-Allow-Origin'))) {
    problem('SUPPORT_CORS_MISSING', 'warning', say.corsMissing);
  }
  const read = readJsonBody(doc.body ?? new Uint8Array());
  if (read.hasBom) problem('SUPPORT_BOM', 'warning', say.bom);
  if (!read.ok) {
    if (read.reason === 'empty') problem('SUPPORT_EMPTY_BODY', 'error', say.empty({ url: doc.url }));
    else if (read.looksLikeHtml) problem('SUPPORT_HTML_BODY', 'error', say.html({ url: doc.url }));
    else problem('SUPPORT_INVALID_JSON', 'error', say.invalidJson({ url: doc.url, error: read.message }));
    return report('invalid');
  }
  if (!isJsonObject(read.value)) {
    problem('SUPPORT_NOT_OBJECT', 'error', say.notObject({ type: jsonTypeName(read.value) }));
    return report('invalid');
  }
  const value = read.value;

  const rawContacts = value['contacts'];
  let contactsUsable = false;
  if (rawContacts !== undefined) {
    if (!Array.isArray(rawContacts)) {
      problem('SUPPORT_CONTACTS_NOT_ARRAY', 'error', say.contactsNotArray({ type: jsonTypeName(rawContacts) }));
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
          say.tooMany({ count: String(rawContacts.length), limit: String(REMOTE_LIST_LIMIT) }),
        );
      }
    }
  }

  const rawPage = value['support_page'];
  if (rawPage !== undefined) {
    if (typeof rawPage !== 'string') {
      problem('SUPPORT_PAGE_INVALID', 'error', say.pageNotString({ type: jsonTypeName(rawPage) }));
    } else {
      supportPage = rawPage;
      let url: URL | null = null;
      try {
        url = new URL(rawPage);
      } catch {
        url = null;
      }
      if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        problem('SUPPORT_PAGE_INVALID', 'error', say.pageNotUrl({ page: rawPage }));
      } else if (url.protocol === 'http:') {
        problem('SUPPORT_PAGE_NOT_HTTPS', 'warning', say.pagePlainHttp({ page: rawPage }));
      }
    }
  }

  // Spec: at least one of contacts or support_page; contacts alone must hold at least one entry.
  if (!contactsUsable && rawPage === undefined) {
    problem('SUPPORT_EMPTY', 'error', Array.isArray(rawContacts) ? say.emptyContacts : say.emptyDocument);
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
    problem('SUPPORT_CONTACT_NOT_OBJECT', 'error', say.contactNotObject({ where, type: jsonTypeName(entry) }));
    return { index, role: null, matrixId: null, emailAddress: null, valid: false };
  }
  let valid = true;
  const fail = (code: SupportDocumentProblemCode, severity: ProblemSeverity, message: string): void => {
    if (severity === 'error') valid = false;
    problem(code, severity, message);
  };
  const role = typeof entry['role'] === 'string' ? entry['role'] : null;
  const matrixId = typeof entry['matrix_id'] === 'string' ? entry['matrix_id'] : null;
  const emailAddress = typeof entry['email_address'] === 'string' ? entry['email_address'] : null;

  if (role === null) {
    fail(
      'SUPPORT_CONTACT_MISSING_ROLE',
      'error',
      entry['role'] === undefined
        ? say.noRole({ where })
        : say.roleNotString({ where, type: jsonTypeName(entry['role']) }),
    );
  } else {
    const found = roleProblem(role, where);
    if (found !== null) fail(found.code, found.severity, found.why);
  }
  if (entry['matrix_id'] !== undefined && matrixId === null)
    fail(
      'SUPPORT_CONTACT_INVALID_MATRIX_ID',
      'error',
      say.matrixIdNotString({ where, type: jsonTypeName(entry['matrix_id']) }),
    );
  if (entry['email_address'] !== undefined && emailAddress === null)
    fail(
      'SUPPORT_CONTACT_INVALID_EMAIL',
      'error',
      say.emailNotString({ where, type: jsonTypeName(entry['email_address']) }),
    );
  if (matrixId === null && emailAddress === null) {
    fail('SUPPORT_CONTACT_NO_ADDRESS', 'error', say.noAddress({ where }));
  }
  if (matrixId !== null) {
    const why = matrixIdProblem(matrixId, where);
    if (why !== null) fail('SUPPORT_CONTACT_INVALID_MATRIX_ID', 'error', why);
  }
  if (emailAddress !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(emailAddress)) {
    fail('SUPPORT_CONTACT_INVALID_EMAIL', 'error', say.emailInvalid({ where, email: emailAddress }));
  }
  return { index, role, matrixId, emailAddress, valid };
}
