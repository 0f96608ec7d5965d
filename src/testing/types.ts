// Public types of the federation lab: zones for the DNS server, certificates, and HTTPS hosts.

import type { IncomingHttpHeaders } from 'node:http';

/** One SRV record. `target` "." alone means "service not available" (RFC 2782). */
export interface LabSrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  /** A host name (no trailing dot needed), or "." for "no service". */
  readonly target: string;
}

/**
 * What the lab DNS server knows about one name (lowercase, no trailing dot).
 *
 * Address strings in `A` / `AAAA` may be IP literals or the key of a lab host (see {@link LabHostSpec}):
 * `A: ['web']` is replaced by the address the lab gave host `web`.
 *
 * A name that is not in the zones, and is not an ancestor of a name in the zones, is NXDOMAIN. A name that
 * exists (or is an empty non-terminal such as `_tcp.example.com`) but lacks the asked type is NODATA.
 */
export interface LabNameSpec {
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  /** A CNAME; the server adds the target's records of the asked type when the target is in the zones. */
  readonly CNAME?: string;
  readonly SRV?: readonly LabSrvRecord[];
  readonly TXT?: readonly string[];
  /** TTL in seconds for every record of this name (default 300). */
  readonly ttl?: number;
  /** Delay before answering any query for this name, in milliseconds. */
  readonly delayMs?: number;
  /** Answer every query for this name with SERVFAIL. */
  readonly servfail?: boolean;
  /** Never answer queries for this name (the client times out). */
  readonly drop?: boolean;
  /** Answer UDP queries for this name with the TC bit and no records, forcing the client to retry over TCP. */
  readonly truncate?: boolean;
}

/** The zone data of a lab: fully qualified names (lowercase, no trailing dot) to their records. */
export type LabZones = Readonly<Record<string, LabNameSpec>>;

/** A DNS query the lab server received. */
export interface LabDnsQuery {
  readonly name: string;
  readonly type: string;
  readonly transport: 'udp' | 'tcp';
  readonly at: number;
}

/** A PEM certificate with its key and the chain a server should send after it. */
export interface LabCertificate {
  /** The leaf certificate, PEM. */
  readonly certPem: string;
  /** The leaf's private key, PKCS#8 PEM. */
  readonly keyPem: string;
  /** Intermediates to send after the leaf (PEM, possibly empty). */
  readonly chainPem: string;
  /** `certPem` + `chainPem`: what a server passes as `cert`. */
  readonly fullChainPem: string;
  /** The DNS names and IP addresses in the subjectAltName. */
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * How to issue a lab certificate. `kind` picks a deliberately bad certificate:
 * - `valid` (default): signed by the lab CA through its intermediate, chain included;
 * - `expired`: like valid, but notAfter is in the past;
 * - `not-yet-valid`: notBefore is in the future;
 * - `self-signed`: signed by its own key, not by the lab CA;
 * - `missing-intermediate`: signed by the intermediate, but the server sends the leaf alone;
 * - `wrong-name`: ignores the names asked for and carries `wrong.invalid` instead.
 */
export interface LabCertificateSpec {
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly kind?: 'valid' | 'expired' | 'not-yet-valid' | 'self-signed' | 'missing-intermediate' | 'wrong-name';
  /** Subject common name (default: the first DNS name or IP). */
  readonly commonName?: string;
  /**
   * Who issues it (not for `self-signed`), default the lab's intermediate. `commonName` names an intermediate of its
   * own (e.g. `"(STAGING) Artificial Apricot R3"`), sent after the leaf; it is signed by the lab root (trusted), or,
   * with `rootCommonName`, by a root of that name that nobody trusts (a staging or private CA). The same names give
   * the same intermediate within one lab.
   */
  readonly issuer?: { readonly commonName: string; readonly rootCommonName?: string };
}

/** A request as a lab HTTPS server saw it. */
export interface LabRequest {
  readonly method: string;
  /** Path with query string, as sent. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The Host header (or :authority), or null. */
  readonly host: string | null;
  /** The TLS SNI the client sent, or null when it sent none. */
  readonly sni: string | null;
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly localPort: number;
  /** The lab host key that served this request. */
  readonly server: string;
  readonly body: Buffer;
}

/** A canned response. Every field is optional; the default is 200 with an empty body. */
export interface LabResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Sent as JSON with `Content-Type: application/json` unless `headers` sets another. */
  readonly json?: unknown;
  /** Raw body (a string is sent as UTF-8). */
  readonly body?: string | Buffer;
  /** Redirect to this URL with `status` (default 302). */
  readonly redirect?: string;
  /** Wait this long before sending the status line. */
  readonly delayMs?: number;
  /** Send the body slowly: this many bytes per second (headers are sent at once). */
  readonly bodyBytesPerSecond?: number;
  /** Send a body of this many bytes (filled with spaces after `body`/`json`), for size-limit tests. */
  readonly padToBytes?: number;
  /** Destroy the socket after sending this many bytes of body. */
  readonly resetAfterBytes?: number;
  /**
   * Never finish the response head: send the status line, then header lines without end at this many bytes per
   * second until the client goes away ("headers that never end", for hardening tests). `status`, `headers` and
   * any body are ignored. A positive finite number.
   */
  readonly endlessHeadersBytesPerSecond?: number;
}

/** A handler: a canned response, or a function computing one from the request. */
export type LabHandler = LabResponse | ((request: LabRequest) => LabResponse | Promise<LabResponse>);

/** One HTTPS server of the lab. */
export interface LabHostSpec {
  /**
   * Loopback address to listen on (`127.x.y.z` or `::1`). Default: a fresh random 127.x.y.z address no
   * other lab in this machine is using, so that labs in parallel test workers never collide.
   */
  readonly address?: string;
  /**
   * Port, or `'https'` for the lab's HTTPS port (443 when the process may bind it, else a shared
   * ephemeral port: read it from `lab.ports.https`) or `'federation'` for the lab's federation port
   * (8448 when free, else ephemeral: `lab.ports.federation`). `0` gives the host an ephemeral port of
   * its own (read it from `lab.hosts[key].port`). Default `'https'`.
   */
  readonly port?: number | 'https' | 'federation';
  /**
   * Certificates; the server picks one by SNI (exact, then wildcard, then the first). Default: one valid
   * certificate for the host names that point at this host in the zones, plus its IP address. A spec
   * without `dnsNames` / `ipAddresses` gets those default names / that address.
   */
  readonly certificates?: readonly (LabCertificateSpec | LabCertificate)[];
  /** Routes: `"GET /path"`, `"/path"` (any method) to handlers. Matched on the path without the query. */
  readonly routes?: Readonly<Record<string, LabHandler>>;
  /** Handler for requests no route matches. Default: the echo handler. */
  readonly fallback?: LabHandler;
  /** `'plain-tcp'` accepts TCP and never speaks TLS (for hardening tests); `'http'` serves plain HTTP. */
  readonly mode?: 'https' | 'http' | 'plain-tcp';
  /**
   * Wait this long (milliseconds) after accepting a TCP connection before the TLS handshake starts (before
   * the first byte is read, in modes `'http'` and `'plain-tcp'`), simulating a connection round trip. The
   * connection still counts in `connectionCount` at once. Default 0; at most 60000.
   */
  readonly acceptDelayMs?: number;
}
