// The report of the /.well-known/matrix/support check: its status, the contacts as served, the support page, problems.

import type { DocumentProblem } from './problem.js';

/** What the support check concluded. */
export type SupportDocumentStatus =
  /** 404: no document. Fine: it is optional. */
  | 'absent'
  /** Served and valid (warnings aside). */
  | 'valid'
  /** Served with status 200 but not a valid document. */
  | 'invalid'
  /** No answer, or an answer other than 200 / 404. */
  | 'error';

/** What can be wrong with a support document. */
export type SupportDocumentProblemCode =
  | 'SUPPORT_FETCH_FAILED'
  | 'SUPPORT_HTTP_STATUS'
  | 'SUPPORT_EMPTY_BODY'
  | 'SUPPORT_INVALID_JSON'
  | 'SUPPORT_HTML_BODY'
  | 'SUPPORT_BOM'
  | 'SUPPORT_NOT_OBJECT'
  | 'SUPPORT_CONTACTS_NOT_ARRAY'
  | 'SUPPORT_CONTACT_NOT_OBJECT'
  | 'SUPPORT_CONTACT_MISSING_ROLE'
  | 'SUPPORT_CONTACT_INVALID_ROLE'
  | 'SUPPORT_CONTACT_ROLE_NOT_NAMESPACED'
  | 'SUPPORT_CONTACT_NO_ADDRESS'
  | 'SUPPORT_CONTACT_INVALID_MATRIX_ID'
  | 'SUPPORT_CONTACT_INVALID_EMAIL'
  | 'SUPPORT_TOO_MANY_CONTACTS'
  | 'SUPPORT_EMPTY'
  | 'SUPPORT_PAGE_INVALID'
  | 'SUPPORT_PAGE_NOT_HTTPS'
  | 'SUPPORT_CONTENT_TYPE'
  | 'SUPPORT_CORS_MISSING';

/** A problem of the support document. */
export type SupportDocumentProblem = DocumentProblem<SupportDocumentProblemCode>;

/** One entry of `contacts`, as served (fields null when missing or not strings). */
export interface SupportContact {
  /** Position in `contacts`. */
  readonly index: number;
  readonly role: string | null;
  readonly matrixId: string | null;
  readonly emailAddress: string | null;
  /** The entry has no error-level problem. */
  readonly valid: boolean;
}

/** The report of the support document check (`checkSupportDocument`). */
export interface SupportDocumentReport {
  readonly status: SupportDocumentStatus;
  /** The URL of the last request (after redirects). */
  readonly url: string;
  readonly httpStatus: number | null;
  readonly contentType: string | null;
  /** CORS headers missing from the answer (see `checkCorsHeaders`); null when no answer came. */
  readonly cors: readonly string[] | null;
  readonly contacts: readonly SupportContact[];
  /** `support_page` as served, when it is a string. */
  readonly supportPage: string | null;
  readonly problems: readonly SupportDocumentProblem[];
  readonly durationMs: number;
}
