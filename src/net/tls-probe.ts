// One TLS handshake to one address that accepts any certificate, then reports protocol, cipher, chain, trust and name match.

import { createHash, X509Certificate } from 'node:crypto';
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  checkServerIdentity,
  connect as tlsConnect,
  type DetailedPeerCertificate,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { MatrixDelegationError, type ErrorCode } from '../errors.js';
import { timeoutOption } from '../options/validate.js';
import { onAbort } from './abort.js';
import { classifyNetworkError } from './errors.js';
import { NET_ERROR_EN as SAY } from './net-error-texts.js';
import { buildTrustedCas, secureContextFor, trustedCertificates } from './trust.js';
import type { AddressPolicy } from './types.js';

/** Default budget of a probe (TCP connect plus handshake), in milliseconds. */
export const TLS_PROBE_DEFAULT_TIMEOUT_MS = 10_000;

/** Options of {@link probeTls}. */
export interface TlsProbeOptions {
  /** The IP address to dial (bare, no brackets). */
  readonly ip: string;
  readonly port: number;
  /** The SNI to send; null sends none (connections to an IP literal, spec "Resolving server names"). */
  readonly sni: string | null;
  /** The name (DNS name or IP address) the certificate must be valid for; checked against its SANs. */
  readonly tlsServerName: string;
  /** Extra trusted CA certificates (PEM), added to Node's default roots. Default none. */
  readonly ca?: readonly string[];
  /** Budget of the TCP connect plus the handshake. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** The clock for `expiresInDays` (milliseconds since the epoch). Default `Date.now`. */
  readonly now?: () => number;
  /** When given, `ip` is checked first and a denied address is never contacted (`ADDRESS_DENIED`). */
  readonly policy?: AddressPolicy;
  /** Cancels the probe: the promise then rejects with the signal's reason (a caller's choice, not a remote fault). */
  readonly signal?: AbortSignal;
}

/** One certificate of the chain the server presented. */
export interface TlsCertificateInfo {
  /** The subject's common name (CN); empty when it has none. */
  readonly subjectCommonName: string;
  /** The issuer's common name (CN); empty when it has none. */
  readonly issuerCommonName: string;
  /** The full subject and issuer distinguished names, one `KEY=value` per line as Node prints them. */
  readonly subject: string;
  readonly issuer: string;
  /** The SHA-256 of the certificate's DER encoding, in standard base64 without `=` padding (RFC 4648 §3.2). */
  readonly sha256Fingerprint: string;
  /** The same digest as uppercase hex pairs joined by colons (`AB:CD:...`), as `openssl x509 -fingerprint` shows it. */
  readonly sha256Hex: string;
  /** DNS names of the subjectAltName. */
  readonly dnsNames: readonly string[];
  /** IP addresses of the subjectAltName (IPv6 compressed, lowercase). */
  readonly ipAddresses: readonly string[];
  /** notBefore and notAfter, ISO 8601. */
  readonly validFrom: string;
  readonly validTo: string;
  /** Issued and signed by its own key. */
  readonly selfSigned: boolean;
  /** Marked as a CA certificate (basicConstraints CA:TRUE). */
  readonly isCa: boolean;
  /**
   * `peer` when the server sent it; `trust-store` for a certificate Node appended from the trust store to complete
   * the chain (servers usually do not send their root). Judged by comparison: a certificate after the leaf that is
   * in the trust list (Node's roots plus `ca`) counts as appended, as do those after it.
   */
  readonly source: 'peer' | 'trust-store';
}

/** A failure in stable terms. */
export interface TlsProbeError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** Why a chain is not trusted: the stable code, plain words, and what Node's verification said. */
export interface TlsTrustError extends TlsProbeError {
  /** Node's `authorizationError`: an OpenSSL verify code such as `CERT_HAS_EXPIRED`. */
  readonly verifyError: string;
}

/** What {@link probeTls} saw. Remote faults are results, never exceptions. */
export type TlsProbeResult =
  | {
      readonly ok: true;
      readonly ip: string;
      readonly port: number;
      readonly sni: string | null;
      readonly tlsServerName: string;
      /** The negotiated protocol, e.g. `TLSv1.3`. */
      readonly protocol: string | null;
      readonly cipher: { readonly name: string; readonly standardName: string; readonly version: string } | null;
      /** The ALPN protocol the server chose (`http/1.1` offered), or null. */
      readonly alpnProtocol: string | null;
      /**
       * The chain, leaf first, following each certificate's issuer: what the server sent (`source: 'peer'`) plus,
       * at the end, the issuers Node found in the trust store (`source: 'trust-store'`, usually the root, which
       * servers do not send). Empty when the server sent no certificate.
       */
      readonly chain: readonly TlsCertificateInfo[];
      /** The chain verifies against the trust store (Node's roots plus `ca`); the name is not part of this. */
      readonly trusted: boolean;
      /** Why the chain is not trusted (`TLS_EXPIRED`, `TLS_SELF_SIGNED`, `TLS_INCOMPLETE_CHAIN`, ...), else null. */
      readonly trustError: TlsTrustError | null;
      /** The leaf is valid for `tlsServerName` (DNS SANs with wildcards, or IP SANs for an IP address). */
      readonly nameMatches: boolean;
      /** Why the name does not match (`TLS_NAME_MISMATCH`), else null. */
      readonly nameError: TlsProbeError | null;
      /** Whole days until the leaf's notAfter (negative once expired), or null without a certificate. */
      readonly expiresInDays: number | null;
      readonly durationMs: number;
    }
  | {
      readonly ok: false;
      readonly ip: string;
      readonly port: number;
      readonly sni: string | null;
      readonly tlsServerName: string;
      /** `CONNECT_REFUSED`, `CONNECT_TIMEOUT`, `CONNECT_UNREACHABLE`, `CONNECTION_RESET`, `TIMEOUT`, `TLS_ERROR`, `ADDRESS_DENIED`. */
      readonly error: TlsProbeError;
      readonly durationMs: number;
    };

const DAY_MS = 24 * 60 * 60 * 1000;

/** What each trust failure means, in TLS terms (what to do about it is the checker's to say). */
const TRUST_WORDS: Partial<Record<ErrorCode, string>> = {
  TLS_EXPIRED: 'the certificate has expired',
  TLS_NOT_YET_VALID: 'the certificate is not valid yet (its notBefore is in the future)',
  TLS_SELF_SIGNED: 'the certificate is self-signed',
  TLS_INCOMPLETE_CHAIN: 'the chain sent lacks the intermediate certificate(s) between the leaf and a trusted root',
  TLS_UNTRUSTED: 'the certificate chain does not lead to a trusted root CA',
};

/** The TLS context trusting Node's roots plus `ca`, and the certificates of that trust list (both cached in `trust.ts`). */
function trustFor(ca: readonly string[] | undefined): {
  context: SecureContext | undefined;
  certificates: ReadonlySet<string>;
} {
  const list = buildTrustedCas(ca);
  return { context: secureContextFor(list), certificates: trustedCertificates(list) };
}

function firstValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value[0] ?? '';
  return value;
}

/**
 * Splits a subjectAltName as Node prints it (`DNS:a.example, IP Address:127.0.0.1`; a value holding a comma or a
 * quote is JSON-quoted) into DNS names and IP addresses.
 */
export function parseSubjectAltName(san: string | undefined): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  if (san === undefined || san === '') return { dnsNames, ipAddresses };
  let i = 0;
  while (i < san.length) {
    const colon = san.indexOf(':', i);
    if (colon < 0) break;
    const kind = san.slice(i, colon).trim();
    let value: string;
    let next: number;
    if (san[colon + 1] === '"') {
      // A JSON string: find its closing quote, skipping escaped characters.
      let j = colon + 2;
      while (j < san.length && san[j] !== '"') j += san[j] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(san.slice(colon + 1, j + 1)) as string;
      } catch {
        value = san.slice(colon + 2, j);
      }
      const comma = san.indexOf(',', j + 1);
      next = comma < 0 ? san.length : comma + 1;
    } else {
      const comma = san.indexOf(', ', colon + 1);
      value = san.slice(colon + 1, comma < 0 ? san.length : comma);
      next = comma < 0 ? san.length : comma + 2;
    }
    if (kind === 'DNS') dnsNames.push(value);
    else if (kind === 'IP Address') ipAddresses.push(canonicalIp(value));
    i = next;
  }
  return { dnsNames, ipAddresses };
}

/** IPv6 addresses compressed and lowercase (Node may print them uncompressed); IPv4 as is. */
function canonicalIp(value: string): string {
  if (isIP(value) !== 6) return value;
  try {
    return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  } catch {
    return value;
  }
}

function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/** A certificate's description without its place in the chain: a function of its DER bytes alone. */
type CertificateFacts = Omit<TlsCertificateInfo, 'source'>;

/**
 * Descriptions of certificates seen lately, by the SHA-256 of their DER (Node's `fingerprint256`, collision-resistant):
 * the same intermediates and roots come back in most chains, and a tester sees the same leaves again and again. Parsing
 * one (X.509 decoding, and a signature check for a self-issued one) costs more than a tenth of a TLS handshake.
 */
const describedCertificates = new Map<string, CertificateFacts>();
/** Most descriptions kept (about 1 KB each); the oldest goes first. */
const MAX_DESCRIBED_CERTIFICATES = 256;

function certificateFacts(cert: DetailedPeerCertificate): CertificateFacts {
  const key = typeof cert.fingerprint256 === 'string' ? cert.fingerprint256 : '';
  const known = key === '' ? undefined : describedCertificates.get(key);
  if (known !== undefined) return known;
  const digest = createHash('sha256').update(cert.raw).digest();
  const x509 = new X509Certificate(cert.raw);
  const { dnsNames, ipAddresses } = parseSubjectAltName(x509.subjectAltName);
  let selfSigned = false;
  try {
    // Not checkIssued(): OpenSSL refuses a leaf without keyCertSign as its own issuer, yet it is self-signed.
    selfSigned = x509.subject === x509.issuer && x509.verify(x509.publicKey);
  } catch {
    selfSigned = false;
  }
  const facts: CertificateFacts = Object.freeze({
    subjectCommonName: firstValue(cert.subject?.CN as string | string[] | undefined),
    issuerCommonName: firstValue(cert.issuer?.CN as string | string[] | undefined),
    subject: x509.subject,
    issuer: x509.issuer,
    sha256Fingerprint: digest.toString('base64').replace(/=+$/, ''),
    sha256Hex: [...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':'),
    dnsNames: Object.freeze(dnsNames),
    ipAddresses: Object.freeze(ipAddresses),
    validFrom: isoDate(x509.validFrom),
    validTo: isoDate(x509.validTo),
    selfSigned,
    isCa: x509.ca,
  });
  if (key === '') return facts;
  if (describedCertificates.size >= MAX_DESCRIBED_CERTIFICATES) {
    const oldest = describedCertificates.keys().next();
    if (oldest.done !== true) describedCertificates.delete(oldest.value);
  }
  describedCertificates.set(key, facts);
  return facts;
}

function describeCertificate(cert: DetailedPeerCertificate, source: TlsCertificateInfo['source']): TlsCertificateInfo {
  return { ...certificateFacts(cert), source };
}

/**
 * The peer chain, leaf first, each issuer once (a root's issuer is itself; a looping chain must not hang us).
 * Node's detailed certificate links what the server sent and then issuers it found in the trust store; a
 * certificate after the leaf that is in `trusted` starts the appended part.
 */
function peerChain(
  leaf: DetailedPeerCertificate | null | undefined,
  trusted: ReadonlySet<string>,
): { leaf: DetailedPeerCertificate | null; chain: TlsCertificateInfo[] } {
  if (leaf === null || leaf === undefined || leaf.raw === undefined) return { leaf: null, chain: [] };
  const chain: TlsCertificateInfo[] = [];
  const seen = new Set<string>();
  let fromStore = false;
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current !== undefined && current.raw !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    if (chain.length > 0 && trusted.has(current.raw.toString('base64'))) fromStore = true;
    chain.push(describeCertificate(current, fromStore ? 'trust-store' : 'peer'));
    current = current.issuerCertificate;
  }
  return { leaf, chain };
}

/** Maps Node's `authorizationError` (an OpenSSL verify code such as `CERT_HAS_EXPIRED`) to a stable code. */
function trustError(reason: unknown): TlsTrustError {
  const text = reason instanceof Error ? ((reason as { code?: string }).code ?? reason.message) : String(reason);
  const classified = classifyNetworkError(Object.assign(new Error(text), { code: text }));
  const code: ErrorCode = classified.code.startsWith('TLS_') ? classified.code : 'TLS_UNTRUSTED';
  const words = TRUST_WORDS[code];
  return {
    code,
    message: words === undefined ? `the certificate chain is not trusted (${text})` : `${words} (${text})`,
    verifyError: text,
  };
}

function checkOptions(options: TlsProbeOptions): number {
  if (isIP(options.ip) === 0)
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `ip must be an IP address without brackets, not "${options.ip}"`,
    );
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65_535) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `port must be an integer from 1 to 65535, not ${String(options.port)}`,
    );
  }
  // RFC 6066 §3: literal IP addresses are not permitted in SNI; an IP target sends none.
  if (options.sni !== null && (options.sni === '' || isIP(options.sni) !== 0)) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `sni must be a DNS name or null (never an IP address), not "${options.sni}"`,
    );
  }
  return timeoutOption('timeoutMs', options.timeoutMs, TLS_PROBE_DEFAULT_TIMEOUT_MS);
}

/**
 * Makes one TLS handshake with `ip:port` and reports what the server presented, without trusting it first: the
 * handshake accepts any certificate (`rejectUnauthorized: false`) so that a bad one can still be inspected, then
 * judges it the way a homeserver would (server-server API, "TLS"): `trusted` (the chain verifies against
 * Node's roots plus `ca`) and `nameMatches` (the leaf is valid for `tlsServerName`; for an IP address that means
 * an IP SAN). No HTTP request is made; the connection is closed right after the handshake (see
 * {@link probeTlsConnection} to keep it for requests).
 *
 * Connection failures are results (`ok: false`): refused, unreachable, TCP connect timeout (`CONNECT_TIMEOUT`),
 * reset, a TLS protocol error (`TLS_ERROR`), and a server that accepts TCP but never completes the handshake
 * (`TIMEOUT` once `timeoutMs` has passed). Throws only `INVALID_ARGUMENT` for unusable options, and rejects with
 * the reason when the caller's `signal` aborts.
 *
 * @example
 * ```ts
 * const r = await probeTls({ ip: '192.0.2.10', port: 8448, sni: 'matrix.example.org', tlsServerName: 'matrix.example.org' });
 * if (r.ok) console.log(r.protocol, r.trusted, r.nameMatches, r.expiresInDays, r.chain[0]?.sha256Fingerprint);
 * else console.log(r.error.code, r.error.message);
 * ```
 */
export function probeTls(options: TlsProbeOptions): Promise<TlsProbeResult> {
  // Not async: unusable options throw at once, as they always did.
  return probeTlsConnection(options).then(({ result, socket }) => {
    socket?.destroy();
    return result;
  });
}

/** What {@link probeTlsConnection} gives: the probe's result, and the connection when the handshake succeeded. */
export interface TlsProbeConnection {
  readonly result: TlsProbeResult;
  /**
   * The connection the handshake was made on (ALPN `http/1.1` offered, the certificate not enforced), open and ready
   * for requests when `result.ok`; null otherwise. The caller's to use and to destroy.
   */
  readonly socket: TLSSocket | null;
}

/**
 * {@link probeTls}, keeping the connection: the handshake a checker needs to judge the certificate is also the
 * connection its requests to that address can go over, instead of a handshake of their own each. The socket is the
 * caller's (destroy it when done); it was dialled to `ip` after the address policy allowed it (when `policy` is given).
 *
 * The certificate chain is read from the handshake once: Node decodes it for its own identity check (which the probe
 * turns into a no-op, to judge the name itself), and the probe keeps that copy instead of asking for it again (each
 * `getPeerCertificate(true)` decodes the whole chain anew, a sixth of the cost of a handshake).
 *
 * @example
 * ```ts
 * const { result, socket } = await probeTlsConnection({ ip: '192.0.2.10', port: 8448, sni: 'matrix.example.org', tlsServerName: 'matrix.example.org' });
 * try {
 *   if (result.ok) console.log(result.trusted, socket?.alpnProtocol);
 * } finally {
 *   socket?.destroy();
 * }
 * ```
 */
export function probeTlsConnection(options: TlsProbeOptions): Promise<TlsProbeConnection> {
  const timeoutMs = checkOptions(options);
  options.signal?.throwIfAborted();
  const { ip, port, sni, tlsServerName } = options;
  const started = performance.now();
  const failure = (code: ErrorCode, message: string): TlsProbeResult => ({
    ok: false,
    ip,
    port,
    sni,
    tlsServerName,
    error: { code, message },
    durationMs: performance.now() - started,
  });
  const target = `${isIP(ip) === 6 ? `[${ip}]` : ip}:${port}`;

  if (options.policy !== undefined) {
    const verdict = options.policy.check(ip);
    if (!verdict.allowed)
      return Promise.resolve({
        result: failure('ADDRESS_DENIED', SAY.probeDenied({ address: target, reasons: verdict.reason })),
        socket: null,
      });
  }
  const { context: secureContext, certificates: trustStore } = trustFor(options.ca);
  const now = options.now ?? Date.now;

  return new Promise<TlsProbeConnection>((resolve, reject) => {
    let settled = false;
    let tcpUp = false;
    let secure: TLSSocket | undefined;
    /** The chain as Node decoded it for its identity check (absent when the chain did not verify). */
    let presented: DetailedPeerCertificate | undefined;
    // `host` is an IP literal, so node:net dials it directly without any name lookup. No Nagle delay: a request may
    // follow the handshake on this connection (as undici's own connector sets it).
    const tcp: Socket = tcpConnect({ host: ip, port, noDelay: true });

    const done = (keep: boolean): void => {
      settled = true;
      clearTimeout(timer);
      stopAbort?.();
      if (keep) return;
      secure?.destroy();
      tcp.destroy();
    };
    const fail = (code: ErrorCode, message: string): void => {
      if (settled) return;
      done(false);
      resolve({ result: failure(code, message), socket: null });
    };
    const onError = (error: Error): void => {
      const classified = classifyNetworkError(error);
      fail(classified.code, SAY.systemAt({ address: target, system: classified.message }));
    };
    const aborted = (): void => {
      if (settled) return;
      done(false);
      reject(options.signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      if (tcpUp) fail('TIMEOUT', SAY.probeHandshakeTimeout({ address: target, ms: timeoutMs }));
      else fail('CONNECT_TIMEOUT', SAY.probeTcpTimeout({ address: target, ms: timeoutMs }));
    }, timeoutMs);
    // One fanned-out listener per probe: a check's signal reaches every address at once (see onAbort).
    const stopAbort = options.signal === undefined ? undefined : onAbort(options.signal, aborted);

    // The listeners stay on a kept socket: no-ops once settled, they keep a late error from being unhandled.
    tcp.on('error', onError);
    tcp.once('connect', () => {
      if (settled) return;
      tcpUp = true;
      secure = tlsConnect({
        socket: tcp,
        // With no `servername`, Node sends no SNI for an IP `host`.
        ...(sni === null ? { host: ip } : { servername: sni }),
        ...(secureContext === undefined ? {} : { secureContext }),
        ALPNProtocols: ['http/1.1'],
        // Accept anything, then judge: a bad certificate is what a checker needs to see.
        rejectUnauthorized: false,
        // Keep the name out of `authorized`: the name is judged on its own against tlsServerName below. Node calls
        // this with the chain it has just decoded (a verified chain only): kept, so that it is decoded once.
        checkServerIdentity: (_host, cert) => {
          presented = cert as DetailedPeerCertificate;
          return undefined;
        },
      });
      secure.on('error', onError);
      secure.once('close', () => fail('CONNECTION_RESET', SAY.probeClosed({ address: target })));
      secure.once('secureConnect', () => {
        if (settled || secure === undefined) return;
        const socket = secure;
        let result: TlsProbeResult;
        try {
          const { leaf, chain } = peerChain(presented ?? socket.getPeerCertificate(true), trustStore);
          const cipher = socket.getCipher();
          const nameFailure = leaf === null ? new Error(SAY.noCertificate) : checkServerIdentity(tlsServerName, leaf);
          const validTo = chain[0] === undefined ? Number.NaN : Date.parse(chain[0].validTo);
          result = {
            ok: true,
            ip,
            port,
            sni,
            tlsServerName,
            protocol: socket.getProtocol(),
            cipher: { name: cipher.name, standardName: cipher.standardName, version: cipher.version },
            alpnProtocol: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
            chain,
            trusted: socket.authorized,
            trustError: socket.authorized ? null : trustError(socket.authorizationError),
            nameMatches: nameFailure === undefined,
            nameError:
              nameFailure === undefined
                ? null
                : {
                    code: 'TLS_NAME_MISMATCH',
                    message: SAY.notValidFor({ name: tlsServerName, inner: nameFailure.message }),
                  },
            expiresInDays: Number.isNaN(validTo) ? null : Math.floor((validTo - now()) / DAY_MS),
            durationMs: performance.now() - started,
          };
        } catch (error) {
          // A certificate Node cannot describe is the server's fault, not ours.
          result = failure(
            'TLS_ERROR',
            SAY.certificateUnreadable({ address: target, system: (error as Error).message }),
          );
        }
        done(result.ok);
        resolve({ result, socket: result.ok ? socket : null });
      });
    });
  });
}
