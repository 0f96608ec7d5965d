// The report of the /.well-known/matrix/client check: the spec's discovery outcome, the base URLs, CORS, problems.

import type { ErrorCode } from '../errors.js';
import type { ClientSettingsReport } from './client-settings.js';
import type { DocumentProblem } from './problem.js';

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
  readonly error: {
    readonly code: ClientDocumentProblemCode;
    readonly message: string;
    readonly cause: ErrorCode | null;
  } | null;
}

/** The homeserver check: a base URL check plus the spec versions the server advertises. */
export interface HomeserverCheck extends BaseUrlCheck {
  /** `versions` from `/_matrix/client/versions` (e.g. `["v1.1", ..., "v1.12"]`), or null when not obtained. */
  readonly versions: readonly string[] | null;
}

/** The report of the client document check (`checkClientDocument`). */
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
  /**
   * The client settings among them (E2EE, Jitsi, MatrixRTC, sign-in, maps, other keys) and their checks; null when
   * the document could not be read as a JSON object. Absent only from reports made before it existed (0.1) or by hand.
   */
  readonly settings?: ClientSettingsReport | null;
  readonly problems: readonly ClientDocumentProblem[];
  readonly durationMs: number;
}
