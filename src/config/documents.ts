// The three well-known documents (server, client, support) and their response headers, built once from a ServeConfig.

import { formatHost } from '../server-name/index.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import type { JsonValue, ServeConfig } from './types.js';

/** The paths of the documents (spec server-server API "Server discovery"; client-server API "Well-known URIs", "/.well-known/matrix/support"). */
export const WELL_KNOWN_PATHS = Object.freeze({
  server: '/.well-known/matrix/server',
  client: '/.well-known/matrix/client',
  support: '/.well-known/matrix/support',
} as const);

/**
 * The CORS headers the spec recommends on every client-server response (client-server API "Web Browser
 * Clients"), lowercase as HTTP/2 requires and Node accepts.
 *
 * Sent on all three documents, not only the client one: the support document is a client-server endpoint,
 * and the server document is public data that browser-based federation testers need to read (no credentials
 * are involved, so `*` is safe). Synapse sends none on the server document; this is a deliberate difference.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
});

/** `/.well-known/matrix/server`: where federation traffic for the server name goes. */
export interface ServerDocument {
  readonly 'm.server': string;
}

/** `/.well-known/matrix/client`: the homeserver (and identity server) base URLs plus namespaced extras. */
export interface ClientDocument {
  readonly 'm.homeserver': { readonly base_url: string };
  readonly 'm.identity_server'?: { readonly base_url: string };
  readonly [key: string]: JsonValue | undefined;
}

/** One contact of the support document, with the spec's field names. */
export interface SupportDocumentContact {
  readonly matrix_id?: string;
  readonly email_address?: string;
  readonly role: string;
}

/** `/.well-known/matrix/support`: who to contact about the server. */
export interface SupportDocument {
  readonly contacts?: readonly SupportDocumentContact[];
  readonly support_page?: string;
}

/** A document ready to send: the JSON body, serialised once, and every header of a 200 response. */
export interface PreparedDocument<T> {
  /** The request path it answers. */
  readonly path: string;
  /** The document as an object (for logs and tests). */
  readonly document: T;
  /** The UTF-8 JSON body, built once: the server sends this same buffer for every request. */
  readonly body: Buffer;
  /** Content-Type, Content-Length, Cache-Control and CORS headers (lowercase names). */
  readonly headers: Readonly<Record<string, string>>;
}

/** The documents a configuration serves; null means the path answers 404. */
export interface WellKnownDocuments {
  readonly server: PreparedDocument<ServerDocument> | null;
  readonly client: PreparedDocument<ClientDocument> | null;
  readonly support: PreparedDocument<SupportDocument> | null;
}

/**
 * The server document: `delegation_target` if set; otherwise, with `serve_server_wellknown`, what Synapse
 * serves (the server name's host with its own port, or 443); otherwise null (the endpoint answers 404, and
 * remote servers go on to SRV records and port 8448: spec server-server API, "Resolving server names" step 4).
 *
 * @example
 * ```ts
 * buildServerDocument({ delegationTarget: null, serveServerWellknown: true,
 *   serverNameParts: { host: 'example.com', kind: 'dns' } }); // { 'm.server': 'example.com:443' }
 * ```
 */
export function buildServerDocument(
  config: Pick<ServeConfig, 'delegationTarget' | 'serveServerWellknown' | 'serverNameParts'>,
): ServerDocument | null {
  if (config.delegationTarget !== null) return { 'm.server': config.delegationTarget };
  if (!config.serveServerWellknown) return null;
  const name = config.serverNameParts;
  return { 'm.server': `${formatHost(name)}:${name.port ?? CONFIG_DEFAULTS.wellKnownServerPort}` };
}

/**
 * The client document, as Synapse builds it: null unless `public_baseurl` is set; `m.homeserver.base_url` from
 * it, `m.identity_server.base_url` from `default_identity_server`, then the extra keys (validation guarantees
 * they do not override the first two).
 *
 * @example
 * ```ts
 * buildClientDocument({ publicBaseurl: 'https://matrix.example.com/', defaultIdentityServer: null,
 *   extraWellKnownClientContent: {} }); // { 'm.homeserver': { base_url: 'https://matrix.example.com/' } }
 * ```
 */
export function buildClientDocument(
  config: Pick<ServeConfig, 'publicBaseurl' | 'defaultIdentityServer' | 'extraWellKnownClientContent'>,
): ClientDocument | null {
  if (config.publicBaseurl === null) return null;
  const document: Record<string, JsonValue> = { 'm.homeserver': { base_url: config.publicBaseurl } };
  if (config.defaultIdentityServer !== null) document['m.identity_server'] = { base_url: config.defaultIdentityServer };
  for (const [key, value] of Object.entries(config.extraWellKnownClientContent)) {
    // Defence in depth: validation already refuses these keys.
    if (key === 'm.homeserver' || key === 'm.identity_server') continue;
    Object.defineProperty(document, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return document as unknown as ClientDocument;
}

/**
 * The support document (spec v1.10): `contacts` when there are any, `support_page` when set; null when the
 * config has no `support` section (the endpoint answers 404, which clients read as "no support information").
 */
export function buildSupportDocument(config: Pick<ServeConfig, 'support'>): SupportDocument | null {
  const support = config.support;
  if (support === null) return null;
  const contacts = support.contacts.map((contact): SupportDocumentContact => ({
    ...(contact.matrixId === undefined ? {} : { matrix_id: contact.matrixId }),
    ...(contact.emailAddress === undefined ? {} : { email_address: contact.emailAddress }),
    role: contact.role,
  }));
  return {
    ...(contacts.length === 0 ? {} : { contacts }),
    ...(support.supportPage === null ? {} : { support_page: support.supportPage }),
  };
}

/** Headers of the server document: JSON, `Cache-Control: max-age=<cache.server_max_age_seconds>`, CORS. */
export function serverDocumentHeaders(config: Pick<ServeConfig, 'cache'>): Record<string, string> {
  return {
    'content-type': 'application/json',
    'cache-control': `max-age=${config.cache.serverMaxAgeSeconds}`,
    ...CORS_HEADERS,
  };
}

/** Headers of the client document: JSON, `cache.client_cache_control` (Synapse's no-cache by default), CORS (spec: required). */
export function clientDocumentHeaders(config: Pick<ServeConfig, 'cache'>): Record<string, string> {
  return { 'content-type': 'application/json', 'cache-control': config.cache.clientCacheControl, ...CORS_HEADERS };
}

/** Headers of the support document: JSON, `Cache-Control: max-age=<cache.support_max_age_seconds>`, CORS. */
export function supportDocumentHeaders(config: Pick<ServeConfig, 'cache'>): Record<string, string> {
  return {
    'content-type': 'application/json',
    'cache-control': `max-age=${config.cache.supportMaxAgeSeconds}`,
    ...CORS_HEADERS,
  };
}

/**
 * Headers of the answer to a CORS preflight (`OPTIONS`) on any of the documents. The spec says the server
 * must not run the endpoint's logic for OPTIONS, so this is the same for all three, served or not.
 */
export function preflightHeaders(): Record<string, string> {
  return { ...CORS_HEADERS };
}

/**
 * Builds and serialises the documents of a configuration once, with their headers, for a server that answers
 * them at a high rate.
 *
 * @example
 * ```ts
 * const docs = prepareWellKnownDocuments(config);
 * // in the request handler:
 * const doc = docs.server;
 * if (doc === null) { res.writeHead(404); res.end(); } else { res.writeHead(200, doc.headers); res.end(doc.body); }
 * ```
 */
export function prepareWellKnownDocuments(config: ServeConfig): WellKnownDocuments {
  return {
    server: prepare(WELL_KNOWN_PATHS.server, buildServerDocument(config), serverDocumentHeaders(config)),
    client: prepare(WELL_KNOWN_PATHS.client, buildClientDocument(config), clientDocumentHeaders(config)),
    support: prepare(WELL_KNOWN_PATHS.support, buildSupportDocument(config), supportDocumentHeaders(config)),
  };
}

function prepare<T>(path: string, document: T | null, headers: Record<string, string>): PreparedDocument<T> | null {
  if (document === null) return null;
  const body = Buffer.from(JSON.stringify(document), 'utf8');
  return Object.freeze({
    path,
    document,
    body,
    headers: Object.freeze({ ...headers, 'content-length': String(body.byteLength) }),
  });
}
