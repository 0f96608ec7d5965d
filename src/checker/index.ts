// matrix-delegation/checker: the federation tester that explains (checkServer), its report model and renderers, and the key checks.

export * from '../errors.js';
export { checkServer, CHECK_DEFAULTS } from './check.js';
export { checkSummary } from './summary.js';
export type { CheckOptions } from './types.js';
export { federationVerdict } from '../check-report/index.js';
// The report model. `SupportContact` stays the config's name in the main entry (src/server): the report's contact
// type is reached as `SupportDocumentReport['contacts'][number]`.
export type {
  AddressReport,
  BaseUrlCheck,
  CertificateSummary,
  CheckProblem,
  CheckReport,
  CheckVersion,
  ClientDiscoveryStatus,
  ClientDocumentProblem,
  ClientDocumentProblemCode,
  ClientDocumentReport,
  DocumentProblem,
  Ed25519KeyCheck,
  Hint,
  HintArea,
  HintSeverity,
  HomeserverCheck,
  HttpsPortProbe,
  KeysReport,
  ProbeReport,
  ProblemSeverity,
  SrvProbe,
  SrvService,
  SupportDocumentProblem,
  SupportDocumentProblemCode,
  SupportDocumentReport,
  SupportDocumentStatus,
  TlsReport,
  VersionReport,
  WellKnownBodyProbe,
  WellKnownByAddress,
  WellKnownElsewhereProbe,
} from '../check-report/index.js';
// The client settings of the client document (issue 21): the keys clients read, and what the check found.
export { CLIENT_SETTING_KEYS, OTHER_KNOWN_CLIENT_KEYS, SECURE_BACKUP_SETUP_METHODS } from '../check-report/index.js';
export type {
  AuthSettingReport,
  ClientSettingKey,
  ClientSettingProblem,
  ClientSettingProblemCode,
  ClientSettingsReport,
  E2eeSettingReport,
  JitsiSettingReport,
  RtcFocusReport,
  RtcSettingReport,
  RtcTransportsReport,
  RtcTransportsStatus,
  SettingRequest,
  TileServerSettingReport,
} from '../check-report/index.js';
// What answered and the requests repeated to tell a CDN, a firewall or a proxy apart (issue 16).
export type {
  AddressRetries,
  AnswerHeaders,
  BrowserRetry,
  BrowserRetryTrigger,
  EncodedPathProbe,
  HostFormRetry,
  PathAnswer,
  SrvMistake,
  SrvMistakeProbe,
  TargetHttpsProbe,
} from '../check-report/index.js';
export { checkClientDocument } from './client-document.js';
export type { DocumentCheckOptions } from './client-document.js';
export { checkSupportDocument } from './support-document.js';
export { fetchWellKnownDocument, fetchHttpsDocument } from '../well-known/fetch-document.js';
export { probeTls } from '../net/tls-probe.js';
export type { TlsProbeOptions, TlsProbeResult } from '../net/tls-probe.js';
export * from '../keys/index.js';
export * from '../report/index.js';
