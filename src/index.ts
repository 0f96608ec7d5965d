// matrix-delegation: the library entry point (re-exports the public API of each module).

export * from './errors.js';
export { VERSION, USER_AGENT } from './version.js';
export * from './server-name/index.js';
export { resolveServerName } from './resolver/resolve.js';
export { RESOLVE_DEFAULTS } from './resolver/options.js';
export type * from './resolver/types.js';
export { createFederationClient, federationFetch } from './client/federation-client.js';
export type {
  FederationAttempt,
  FederationClient,
  FederationClientOptions,
  FederationRequestInit,
  FederationResponse,
} from './client/federation-client.js';
export { createAddressPolicy, DEFAULT_DENY_NETWORKS } from './net/address-policy.js';
export type { AddressPolicy, AddressVerdict } from './net/types.js';
export { classifyNetworkError } from './net/errors.js';
export type { NetworkFailure } from './net/errors.js';
export { buildTrustedCas, readCaFile } from './net/trust.js';
export * from './dns/index.js';
export * from './well-known/index.js';
