// The check-report model: what a check found, built by the checker and read by the diagnosis and the renderers.

export type { CheckProblem, DocumentProblem, ProblemSeverity } from './problem.js';
export { ed25519KeyChecks, ed25519VerifyKeys, formatAddress } from './address.js';
export type {
  AddressReport,
  CertificateSummary,
  Ed25519KeyCheck,
  KeysReport,
  TlsReport,
  VersionReport,
} from './address.js';
export type {
  BaseUrlCheck,
  ClientDiscoveryStatus,
  ClientDocumentProblem,
  ClientDocumentProblemCode,
  ClientDocumentReport,
  HomeserverCheck,
} from './client-document.js';
export { CLIENT_SETTING_KEYS, OTHER_KNOWN_CLIENT_KEYS, SECURE_BACKUP_SETUP_METHODS } from './client-settings.js';
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
} from './client-settings.js';
export type {
  SupportContact,
  SupportDocumentProblem,
  SupportDocumentProblemCode,
  SupportDocumentReport,
  SupportDocumentStatus,
} from './support-document.js';
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
} from './field.js';
export { NO_PROBES } from './probes.js';
export type {
  HttpsPortProbe,
  ProbeReport,
  SrvProbe,
  SrvService,
  WellKnownBodyProbe,
  WellKnownElsewhereProbe,
} from './probes.js';
export { HINT_AREAS, HINT_SEVERITY_ORDER } from './hint.js';
export type { Hint, HintArea, HintSeverity } from './hint.js';
export { federationVerdict } from './report.js';
export type { CheckReport, CheckVersion, WellKnownByAddress } from './report.js';
