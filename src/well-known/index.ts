// Well-known documents: the /.well-known/matrix/server fetch (redirects, limits, address policy) and its parser.

export { fetchWellKnownServer, WELL_KNOWN_FETCH_DEFAULTS, WELL_KNOWN_SERVER_PATH } from './fetch.js';
export { parseWellKnownServer } from './parse-server.js';
export type { WellKnownServerParseCode, WellKnownServerParseResult } from './parse-server.js';
export type {
  WellKnownFetchOptions,
  WellKnownFetchResult,
  WellKnownHeaders,
  WellKnownHop,
  WellKnownFetchStatus,
  WellKnownDocumentMethod,
  WellKnownDocumentOptions,
  WellKnownDocumentOutcome,
  WellKnownDocumentResult,
} from './types.js';
export { fetchWellKnownDocument, fetchHttpsDocument } from './fetch-document.js';
