// matrix-delegation/client: federation requests made as a homeserver makes them (resolution, SNI, Host, certificate name,
// X-Matrix signatures), and the checks of signed requests received (server keys, verification).

export * from '../errors.js';
export { createFederationClient, federationFetch, FederationFetchResponse } from './federation-client.js';
export type {
  FederationAttempt,
  FederationClient,
  FederationClientOptions,
  FederationHeadersInit,
  FederationRequestInit,
  FederationResponse,
  FederationResponseDetails,
  TargetResponse,
} from './federation-client.js';
// Signing keys (Synapse's signing key file) and request signatures (server-server API "Request Authentication").
export {
  loadSigningKey,
  parseSigningKey,
  parseSigningKeys,
  SigningKey,
  MAX_SIGNING_KEY_FILE_BYTES,
} from '../keys/signing-key.js';
export type { RequestSigner } from '../keys/signing-key.js';
export { federationRequestSigningBytes, signFederationRequest } from './sign-request.js';
export type { FederationRequestParts, SignFederationRequestOptions } from './sign-request.js';
export {
  formatXMatrixAuthorization,
  parseXMatrixAuthorization,
  MAX_AUTHORIZATION_LENGTH,
  MAX_X_MATRIX_CREDENTIALS,
} from './x-matrix.js';
export type { XMatrixCredentials, XMatrixParseCode, XMatrixParseResult } from './x-matrix.js';
export { REQUEST_AUTH_CODES, verifyFederationRequest } from './verify-request.js';
export type {
  FederationRequestVerification,
  RequestAuthCode,
  VerifyFederationRequestOptions,
} from './verify-request.js';
// Other servers' keys ("Retrieving server keys"): fetched through the client, checked, cached; notaries as fallback.
export { createServerKeyResolver, VERIFY_KEY_LOOKUP_CODES } from './server-key-resolver.js';
export type {
  GetVerifyKeyOptions,
  NotaryServer,
  ServerKeyResolver,
  ServerKeyResolverOptions,
  VerifyKeyLookup,
  VerifyKeyLookupCode,
  VerifyKeyPurpose,
  VerifyKeySource,
} from './server-key-resolver.js';
export { checkNotarySignature, readServerKeysDocument, MAX_KEY_VALIDITY_MS } from '../keys/server-keys-document.js';
export type { ReadServerKeysOptions, ServerKeysDocumentResult, ServerVerifyKey } from '../keys/server-keys-document.js';
export { classifyNetworkError } from '../net/errors.js';
export type { NetworkFailure } from '../net/errors.js';
// The trusted CA list the client (and the well-known fetch) verify against: Node's roots, NODE_EXTRA_CA_CERTS, extras.
export { buildTrustedCas, readCaFile } from '../net/trust.js';
