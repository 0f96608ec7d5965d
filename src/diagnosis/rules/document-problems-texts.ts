// Reads the client and support document checks' problem sentences back (the catalogue itself, English and Chinese,
// is src/check-report/document-problem-texts.ts, through which the checks write them).

import type { ClientDocumentProblemCode, SupportDocumentProblemCode } from '../../check-report/index.js';
import { CLIENT_PROBLEM_TEXTS, SUPPORT_PROBLEM_TEXTS, isJsonType } from '../../check-report/document-problem-texts.js';
import { sentenceReader, type PlaceholderNames } from './read-back.js';

export { CLIENT_PROBLEM_TEXTS, SUPPORT_PROBLEM_TEXTS, isJsonType };

type ClientEn = (typeof CLIENT_PROBLEM_TEXTS)['en'];
type SupportEn = (typeof SUPPORT_PROBLEM_TEXTS)['en'];

const CLIENT_PLACEHOLDERS: { readonly [K in keyof ClientEn]: PlaceholderNames<ClientEn[K]> } = {
  notFound: ['url'],
  fetchFailed: ['detail'],
  httpStatus: ['url', 'status'],
  bom: [],
  empty: ['url'],
  html: ['url'],
  invalidJson: ['url', 'error'],
  notObject: ['type'],
  noHomeserver: [],
  noBaseUrl: [],
  baseUrlNotString: ['type'],
  homeserverNotObject: ['type'],
  baseUrlNotUrl: ['label', 'url'],
  baseUrlPlainHttp: ['label', 'url'],
  baseUrlNotHttp: ['label', 'url'],
  versionsNoAnswer: ['label', 'detail'],
  versionsStatus: ['url', 'status'],
  versionsNotJson: ['url', 'error'],
  versionsNotObject: ['url', 'type'],
  versionsMissing: ['url'],
  identityNoBaseUrl: [],
  identityNotObject: ['type'],
  identityNotUrl: ['label', 'url'],
  identityPlainHttp: ['label', 'url'],
  identityNotHttp: ['label', 'url'],
  identityNoAnswer: ['label', 'detail'],
  identityStatus: ['url', 'status'],
  contentTypeNone: [],
  contentType: ['type'],
  corsMissing: ['missing'],
  corsBlocking: ['missing'],
  preflightNoAnswer: ['error'],
  preflightStatus: ['status'],
  preflightCors: ['missing'],
};

type ClientSentence = keyof ClientEn;

/** The sentences each client problem code is written with, the most specific first. */
const CLIENT_FORMS: Readonly<Record<ClientDocumentProblemCode, readonly ClientSentence[]>> = {
  CLIENT_NOT_FOUND: ['notFound'],
  CLIENT_FETCH_FAILED: ['fetchFailed'],
  CLIENT_HTTP_STATUS: ['httpStatus'],
  CLIENT_EMPTY_BODY: ['empty'],
  CLIENT_INVALID_JSON: ['invalidJson'],
  CLIENT_HTML_BODY: ['html'],
  CLIENT_BOM: ['bom'],
  CLIENT_NOT_OBJECT: ['notObject'],
  CLIENT_MISSING_BASE_URL: ['noHomeserver', 'noBaseUrl', 'baseUrlNotString', 'homeserverNotObject'],
  CLIENT_INVALID_BASE_URL: ['baseUrlNotUrl', 'baseUrlNotHttp'],
  CLIENT_BASE_URL_NOT_HTTPS: ['baseUrlPlainHttp'],
  CLIENT_VERSIONS_FAILED: ['versionsStatus', 'versionsNoAnswer'],
  CLIENT_VERSIONS_INVALID: ['versionsNotObject', 'versionsMissing', 'versionsNotJson'],
  CLIENT_IDENTITY_MISSING_BASE_URL: ['identityNoBaseUrl', 'identityNotObject'],
  CLIENT_IDENTITY_INVALID_BASE_URL: ['identityNotUrl', 'identityPlainHttp', 'identityNotHttp'],
  CLIENT_IDENTITY_FAILED: ['identityStatus', 'identityNoAnswer'],
  CLIENT_CONTENT_TYPE: ['contentTypeNone', 'contentType'],
  CLIENT_CORS_MISSING: ['corsBlocking', 'corsMissing'],
  CLIENT_PREFLIGHT_FAILED: ['preflightStatus', 'preflightNoAnswer'],
  CLIENT_PREFLIGHT_CORS_MISSING: ['preflightCors'],
};

const SUPPORT_PLACEHOLDERS: { readonly [K in keyof SupportEn]: PlaceholderNames<SupportEn[K]> } = {
  fetchFailed: ['detail'],
  httpStatus: ['url', 'status'],
  contentTypeNone: [],
  contentType: ['type'],
  corsMissing: [],
  bom: [],
  empty: ['url'],
  html: ['url'],
  invalidJson: ['url', 'error'],
  notObject: ['type'],
  contactsNotArray: ['type'],
  tooMany: ['count', 'limit'],
  pageNotString: ['type'],
  pageNotUrl: ['page'],
  pagePlainHttp: ['page'],
  emptyContacts: [],
  emptyDocument: [],
  contactNotObject: ['where', 'type'],
  noRole: ['where'],
  roleNotString: ['where', 'type'],
  roleReserved: ['where', 'role'],
  roleNotIdentifier: ['where', 'role'],
  roleNotNamespaced: ['where', 'role'],
  matrixIdNotString: ['where', 'type'],
  emailNotString: ['where', 'type'],
  noAddress: ['where'],
  matrixIdNoAt: ['where', 'id'],
  matrixIdShape: ['where', 'id'],
  matrixIdSpace: ['where', 'id'],
  matrixIdServer: ['where', 'id', 'server', 'error'],
  emailInvalid: ['where', 'email'],
};

type SupportSentence = keyof SupportEn;

/** The sentences each support problem code is written with, the most specific first. */
const SUPPORT_FORMS: Readonly<Record<SupportDocumentProblemCode, readonly SupportSentence[]>> = {
  SUPPORT_FETCH_FAILED: ['fetchFailed'],
  SUPPORT_HTTP_STATUS: ['httpStatus'],
  SUPPORT_EMPTY_BODY: ['empty'],
  SUPPORT_INVALID_JSON: ['invalidJson'],
  SUPPORT_HTML_BODY: ['html'],
  SUPPORT_BOM: ['bom'],
  SUPPORT_NOT_OBJECT: ['notObject'],
  SUPPORT_CONTACTS_NOT_ARRAY: ['contactsNotArray'],
  SUPPORT_CONTACT_NOT_OBJECT: ['contactNotObject'],
  SUPPORT_CONTACT_MISSING_ROLE: ['noRole', 'roleNotString'],
  SUPPORT_CONTACT_INVALID_ROLE: ['roleReserved', 'roleNotIdentifier'],
  SUPPORT_CONTACT_ROLE_NOT_NAMESPACED: ['roleNotNamespaced'],
  SUPPORT_CONTACT_NO_ADDRESS: ['noAddress'],
  SUPPORT_CONTACT_INVALID_MATRIX_ID: [
    'matrixIdNotString',
    'matrixIdNoAt',
    'matrixIdShape',
    'matrixIdSpace',
    'matrixIdServer',
  ],
  SUPPORT_CONTACT_INVALID_EMAIL: ['emailNotString', 'emailInvalid'],
  SUPPORT_TOO_MANY_CONTACTS: ['tooMany'],
  SUPPORT_EMPTY: ['emptyContacts', 'emptyDocument'],
  SUPPORT_PAGE_INVALID: ['pageNotString', 'pageNotUrl'],
  SUPPORT_PAGE_NOT_HTTPS: ['pagePlainHttp'],
  SUPPORT_CONTENT_TYPE: ['contentTypeNone', 'contentType'],
  SUPPORT_CORS_MISSING: ['corsMissing'],
};

const readClient = sentenceReader(CLIENT_PROBLEM_TEXTS.en, CLIENT_PLACEHOLDERS);
const readSupport = sentenceReader(SUPPORT_PROBLEM_TEXTS.en, SUPPORT_PLACEHOLDERS);

/** A client problem's sentence read back into its form and values, or null when it is worded otherwise. */
export function readClientProblem(code: string, message: string): ReturnType<typeof readClient> {
  const forms = (CLIENT_FORMS as Readonly<Record<string, readonly ClientSentence[]>>)[code];
  return forms === undefined ? null : readClient(message, forms);
}

/** A support problem's sentence read back into its form and values, or null when it is worded otherwise. */
export function readSupportProblem(code: string, message: string): ReturnType<typeof readSupport> {
  const forms = (SUPPORT_FORMS as Readonly<Record<string, readonly SupportSentence[]>>)[code];
  return forms === undefined ? null : readSupport(message, forms);
}
