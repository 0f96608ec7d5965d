// matrix-delegation/client: federation requests made as a homeserver makes them (resolution, SNI, Host, certificate name).

export * from '../errors.js';
export { createFederationClient, federationFetch } from './federation-client.js';
export type {
  FederationAttempt,
  FederationClient,
  FederationClientOptions,
  FederationRequestInit,
  FederationResponse,
} from './federation-client.js';
export { classifyNetworkError } from '../net/errors.js';
export type { NetworkFailure } from '../net/errors.js';
// The trusted CA list the client (and the well-known fetch) verify against: Node's roots, NODE_EXTRA_CA_CERTS, extras.
export { buildTrustedCas, readCaFile } from '../net/trust.js';
