// Keys: canonical JSON, unpadded base64, ed25519 signatures and the checks of /_matrix/key/v2/server responses.

export {
  canonicalJson,
  canonicalJsonBytes,
  compareCodePoints,
  CANONICAL_JSON_MAX_INTEGER,
  CANONICAL_JSON_MIN_INTEGER,
} from './canonical-json.js';
export { decodeBase64, encodeUnpaddedBase64, parseBase64 } from './base64.js';
export type { Base64Alphabet, Base64DecodeOptions, Base64ErrorReason, Base64ParseResult } from './base64.js';
export {
  ED25519_KEY_BYTES,
  ED25519_KEY_ID_PREFIX,
  ED25519_SIGNATURE_BYTES,
  ed25519PrivateKeyObject,
  ed25519PublicKeyFromSeed,
  ed25519PublicKeyObject,
  generateEd25519Seed,
  signEd25519,
  signJson,
  verifyEd25519,
  verifyJsonSignature,
} from './ed25519.js';
export type { Ed25519Seed, JsonSignatures } from './ed25519.js';
export { buildSignedKeyResponse, inspectServerKeys } from './key-response.js';
export type {
  OldVerifyKeyCheck,
  ServerKeysInspection,
  SignedKeyResponse,
  SignedKeyResponseOptions,
  VerifyKeyCheck,
} from './key-response.js';
export { KEY_CHECK_CODES } from './types.js';
export type { KeyCheckCode, KeyCheckError, SignatureCheckResult } from './types.js';
