// The site every web-server snippet describes, built once from a ServeConfig: listeners, names, documents, proxy.

import { isIP } from 'node:net';
import { posix } from 'node:path';
import { MatrixDelegationError } from '../errors.js';
import type { ServeConfig } from '../config/types.js';
import { WELL_KNOWN_PATHS, preflightHeaders, prepareWellKnownDocuments } from '../config/documents.js';
import type { PreparedDocument } from '../config/documents.js';
import { formatHost, parseServerName } from '../server-name/index.js';
import { VERSION } from '../version.js';
import type { ProxyConfigOptions } from './types.js';

/** Where document files go unless told otherwise. */
export const DEFAULT_DOCUMENTS_DIR = '/var/www/matrix-delegation';

/** The port other servers use when neither the server name nor `m.server` has one (spec server-server API). */
export const DEFAULT_FEDERATION_PORT = 8448;

/**
 * The path prefixes proxied to the homeserver: the Matrix APIs and Synapse's own client pages (password
 * reset, SSO), as Synapse's reverse-proxy guide lists them.
 */
export const PROXIED_PATHS = ['/_matrix', '/_synapse/client'] as const;

/** Where a listener binds: every address of both families, every IPv4 address, or one address. */
export type Bind =
  | { readonly kind: 'any' }
  | { readonly kind: 'any-ipv4' }
  | { readonly kind: 'ip'; readonly ip: string; readonly family: 4 | 6 };

/** One port the web server listens on. */
export interface SiteListener {
  readonly port: number;
  readonly tls: boolean;
  readonly binds: readonly Bind[];
  /** Added for federation traffic ({@link ProxyConfigOptions.federationPort}), not taken from the config. */
  readonly federation: boolean;
}

/** One document to serve, with the exact body and headers of `matrix-delegation serve`. */
export interface SiteDocument {
  readonly name: 'server' | 'client' | 'support';
  /** The request path, e.g. `/.well-known/matrix/server`. */
  readonly path: string;
  /** The exact body. */
  readonly body: Buffer;
  /** {@link body} as text (UTF-8). */
  readonly text: string;
  /** The Content-Type value (`application/json`). */
  readonly contentType: string;
  /** Every other header of a 200 answer (Cache-Control, CORS) with canonical names, Content-Length left out. */
  readonly headers: readonly (readonly [string, string])[];
  /** Where the document's file goes when a server serves it from a file. */
  readonly filePath: string;
}

/** The homeserver that `/_matrix` and `/_synapse/client` are proxied to. */
export interface SiteProxy {
  readonly scheme: 'http' | 'https';
  /** The host as in a URL (IPv6 bracketed). */
  readonly host: string;
  /** The host as a TLS name or bare IP (IPv6 without brackets). */
  readonly hostname: string;
  readonly port: number;
  /** `scheme://host:port`, port always written. */
  readonly url: string;
}

/** Everything a snippet needs, derived once. */
export interface SiteModel {
  /** Where the config came from (a file path or a label). */
  readonly source: string;
  readonly serverName: string;
  /** The names this site answers for (lowercase DNS names, IPv6 bracketed): the server name, plus with a proxy the delegated and client hosts. */
  readonly hosts: readonly string[];
  readonly listeners: readonly SiteListener[];
  /** The certificate and key paths, when a listener uses TLS. */
  readonly tls: { readonly certificatePath: string; readonly privateKeyPath: string } | null;
  /** The documents this config serves (server, client, support; absent ones are left out and answer 404). */
  readonly documents: readonly SiteDocument[];
  /** The headers of the answer to a CORS preflight (`OPTIONS`). */
  readonly preflightHeaders: readonly (readonly [string, string])[];
  readonly proxy: SiteProxy | null;
  readonly documentsDir: string;
}

/** `cache-control` -> `Cache-Control`: HTTP names are case-insensitive, configs read better in canonical case. */
export function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map((part) => (part === '' ? part : part[0]!.toUpperCase() + part.slice(1).toLowerCase()))
    .join('-');
}

/**
 * Parses the `proxyTo` option: an http(s) URL with scheme, host and optional port only (Matrix paths are passed
 * through unchanged, so a base path would break every request).
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for anything else, with the fix in the message.
 */
export function parseProxyTarget(text: string): SiteProxy {
  const bad = (why: string): MatrixDelegationError =>
    new MatrixDelegationError('INVALID_ARGUMENT', `the homeserver to proxy to, ${JSON.stringify(text)}, ${why}`, {
      detail: { proxyTo: text },
    });
  if (!/^https?:\/\//i.test(text))
    throw bad(
      `is not an http(s) URL; write it as http://127.0.0.1:8008 (Synapse's default listener) or https://host:port`,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('is not a valid URL');
  }
  if (url.username !== '' || url.password !== '')
    throw bad('holds a user name or password; give scheme, host and port only');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw bad(
      `has a path, query or fragment; give scheme, host and port only (requests keep their own /_matrix/... path)`,
    );
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  const host = url.hostname;
  const hostname = host.startsWith('[') ? host.slice(1, -1) : host;
  return { scheme, host, hostname, port, url: `${scheme}://${host}:${port}` };
}

/** The canonical text of an IPv6 address (RFC 5952 as the URL parser writes it), lowercase IPv4 untouched. */
function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/**
 * The binds of a set of addresses: `::` means every address of both families (a dual-stack socket, as
 * `serve` and Synapse get from it), `0.0.0.0` every IPv4 address; addresses a wildcard already covers are dropped.
 */
export function normalizeBinds(addresses: readonly string[]): Bind[] {
  const ips = [...new Set(addresses.map(canonicalIp))];
  if (ips.includes('::')) return [{ kind: 'any' }];
  const binds: Bind[] = [];
  const anyIpv4 = ips.includes('0.0.0.0');
  if (anyIpv4) binds.push({ kind: 'any-ipv4' });
  for (const ip of ips) {
    const family = isIP(ip) === 6 ? 6 : 4;
    if (family === 4 && anyIpv4) continue;
    binds.push({ kind: 'ip', ip, family });
  }
  return binds;
}

/** True when one of the binds covers every address (of at least one family). */
export function hasWildcard(binds: readonly Bind[]): boolean {
  return binds.some((b) => b.kind !== 'ip');
}

function siteDocument(
  name: SiteDocument['name'],
  prepared: PreparedDocument<unknown>,
  documentsDir: string,
): SiteDocument {
  const headers = Object.entries(prepared.headers)
    .filter(([key]) => key !== 'content-type' && key !== 'content-length')
    .map(([key, value]) => [canonicalHeaderName(key), value] as const);
  return {
    name,
    path: prepared.path,
    body: prepared.body,
    text: prepared.body.toString('utf8'),
    contentType: prepared.headers['content-type'] ?? 'application/json',
    headers,
    filePath: posix.join(documentsDir, `${name}.json`),
  };
}

/** The host of an `m.server` value, formatted for a name list (IPv6 bracketed), or null when it does not parse. */
function serverHost(mServer: string): string | null {
  const parsed = parseServerName(mServer);
  if (!parsed.ok) return null;
  return parsed.value.kind === 'dns' ? parsed.value.host.toLowerCase() : formatHost(parsed.value);
}

function federationListener(config: ServeConfig, port: number): SiteListener | null {
  const existing = config.listeners.find((l) => l.port === port);
  if (existing !== undefined) {
    if (existing.tls) return null;
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `listener port ${port} is plain HTTP in the config, but federation on port ${port} needs TLS; give that listener tls: true, or choose another federation port`,
    );
  }
  const tlsListeners = config.listeners.filter((l) => l.tls);
  if (tlsListeners.length === 0 || config.tls === null) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `proxying federation on port ${port} needs TLS, and the config has no listener with tls: true; add one (with tls_certificate_path and tls_private_key_path), or leave out the federation listener (--no-federation-port)`,
    );
  }
  return { port, tls: true, binds: normalizeBinds(tlsListeners.flatMap((l) => l.bindAddresses)), federation: true };
}

/**
 * Builds the site a snippet describes. The documents come from `prepareWellKnownDocuments`, the same function
 * `serve` uses, so every snippet serves the same bytes and headers.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for a bad `proxyTo`, a relative `documentsDir`, or a
 *   federation listener that cannot have TLS.
 * @example
 * ```ts
 * const model = buildSiteModel(config, { proxyTo: 'http://127.0.0.1:8008' });
 * model.documents.map((d) => d.path); // ['/.well-known/matrix/server', '/.well-known/matrix/client']
 * ```
 */
export function buildSiteModel(config: ServeConfig, options: ProxyConfigOptions = {}): SiteModel {
  const documentsDir = options.documentsDir ?? DEFAULT_DOCUMENTS_DIR;
  if (!posix.isAbsolute(documentsDir)) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `the documents directory must be an absolute path, not ${JSON.stringify(documentsDir)}`,
    );
  }
  const proxy = options.proxyTo === undefined || options.proxyTo === null ? null : parseProxyTarget(options.proxyTo);
  const prepared = prepareWellKnownDocuments(config);
  const documents: SiteDocument[] = [];
  if (prepared.server !== null) documents.push(siteDocument('server', prepared.server, documentsDir));
  if (prepared.client !== null) documents.push(siteDocument('client', prepared.client, documentsDir));
  if (prepared.support !== null) documents.push(siteDocument('support', prepared.support, documentsDir));

  const parts = config.serverNameParts;
  const hosts = [parts.kind === 'dns' ? parts.host.toLowerCase() : formatHost(parts)];
  if (proxy !== null) {
    // With a proxy the same site also answers for the names the documents send servers and clients to.
    const delegated = prepared.server === null ? null : serverHost(prepared.server.document['m.server']);
    if (delegated !== null) hosts.push(delegated);
    if (config.publicBaseurl !== null) hosts.push(new URL(config.publicBaseurl).hostname.toLowerCase());
  }

  const listeners: SiteListener[] = config.listeners.map((l) => ({
    port: l.port,
    tls: l.tls,
    binds: normalizeBinds(l.bindAddresses),
    federation: false,
  }));
  const federationPort = options.federationPort === undefined ? DEFAULT_FEDERATION_PORT : options.federationPort;
  if (proxy !== null && federationPort !== null) {
    const extra = federationListener(config, federationPort);
    if (extra !== null) listeners.push(extra);
  }

  return {
    source: config.source,
    serverName: config.serverName,
    hosts: [...new Set(hosts)],
    listeners,
    tls:
      config.tls === null
        ? null
        : { certificatePath: config.tls.certificatePath, privateKeyPath: config.tls.privateKeyPath },
    documents,
    preflightHeaders: Object.entries(preflightHeaders()).map(([k, v]) => [canonicalHeaderName(k), v] as const),
    proxy,
    documentsDir,
  };
}

/** The opening comment lines every generated file shares: what it is, where it came from, what it serves. */
export function describeSite(model: SiteModel, place: string): string[] {
  const served = model.documents.map((d) => d.path.replace('/.well-known/matrix/', '')).join(', ');
  const lines = [
    `matrix-delegation ${VERSION}: the Matrix well-known documents of ${model.serverName}, from ${model.source}.`,
    `Place: ${place}`,
    served === ''
      ? 'This config serves no document (no delegation_target, serve_server_wellknown, public_baseurl or support).'
      : `Serves ${WELL_KNOWN_PATHS.server.replace('server', '')}{${served}} with the exact bytes and headers of \`matrix-delegation serve\`.`,
  ];
  const absent = (['server', 'client', 'support'] as const).filter((n) => !model.documents.some((d) => d.name === n));
  if (absent.length > 0) lines.push(`Not served: ${absent.map((n) => `/.well-known/matrix/${n}`).join(', ')}.`);
  if (model.proxy !== null) {
    const federation = model.listeners.find((l) => l.federation);
    lines.push(
      `Proxies ${PROXIED_PATHS.join(' and ')} to the homeserver at ${model.proxy.url}` +
        (federation === undefined ? '.' : `, also on port ${federation.port} (federation).`),
    );
  }
  return lines;
}
