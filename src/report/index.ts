// The renderers of a check report: native JSON, matrix-federation-tester JSON, human text, and the resolution path.

export {
  NATIVE_SCHEMA,
  jsonSafe,
  toNativeErrorJson,
  toNativeJson,
  type NativeAddressJson,
  type NativeBaseUrlJson,
  type NativeCertificateJson,
  type NativeCheckErrorJson,
  type NativeCheckJson,
  type NativeClientJson,
  type NativeKeysJson,
  type NativeSupportJson,
  type NativeTargetJson,
  type NativeTlsJson,
  type NativeVersionJson,
} from './native.js';
export {
  toFederationTesterReport,
  type FederationTesterReport,
  type TesterConnectionReport,
  type TesterDnsResult,
  type TesterError,
} from './federation-tester.js';
export {
  checkServerKeys,
  toFederationTesterKeyChecks,
  type FederationTesterEd25519Checks,
  type FederationTesterKeyChecks,
} from './federation-tester-keys.js';
export { addressProblems, renderCheckText, type TextRenderOptions } from './text.js';
export {
  formatAddress,
  formatMs,
  resolveJson,
  resolutionWords,
  resolveText,
  targetJson,
  targetLine,
  targetLines,
  traceLines,
  wellKnownLine,
  type ResolutionTextOptions,
  type ResolveJson,
  type TargetJson,
  type TraceLine,
} from './resolution.js';
// The resolution described in a language from the typed result (the words of the text renderers above).
export { describeResolutionError, describeTrace, describeWellKnown } from '../resolver/describe.js';
