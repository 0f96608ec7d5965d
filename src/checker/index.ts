// matrix-delegation/checker: the federation tester that explains (checkServer), its report renderers, and the key checks.

export * from '../errors.js';
export { checkServer, federationVerdict, CHECK_DEFAULTS } from './check.js';
export type * from './types.js';
export { checkClientDocument } from './client-document.js';
export type { ClientDocumentReport, DocumentCheckOptions } from './client-document.js';
export { checkSupportDocument } from './support-document.js';
export type { SupportDocumentReport } from './support-document.js';
export { fetchWellKnownDocument, fetchHttpsDocument } from '../well-known/fetch-document.js';
export { probeTls } from '../net/tls-probe.js';
export type { TlsProbeOptions, TlsProbeResult } from '../net/tls-probe.js';
export * from '../keys/index.js';
export * from '../report/index.js';
