// The federation lab's throwaway certificate authority: a root, an intermediate and leaves, good and deliberately bad.

import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import type * as X509 from '@peculiar/x509';
import { MatrixDelegationError } from '../errors.js';
import type { LabCertificate, LabCertificateSpec } from './types.js';

/** A lab certificate authority: a fresh root and intermediate, with their own keys, that issues leaves. */
export interface LabCertificateAuthority {
  /** Root CA certificate PEM: what clients must trust (e.g. `tls.connect({ ca: [ca.certPem] })`). */
  readonly certPem: string;
  /** The intermediate CA certificate PEM (leaves of kind `valid` are signed by it). */
  readonly intermediatePem: string;
  /**
   * Issue a leaf certificate with a fresh P-256 key. `spec.kind` picks a deliberately bad certificate
   * (see {@link LabCertificateSpec}); the default is a valid one chaining to {@link certPem}.
   *
   * @throws MatrixDelegationError `INVALID_ARGUMENT` when no name is given (except for `wrong-name`), a
   *   DNS name is not plain ASCII, or an IP address is not an IP literal without a zone.
   */
  issue(spec: LabCertificateSpec): Promise<LabCertificate>;
}

/** Options of {@link createCertificateAuthority}. */
export interface CertificateAuthorityOptions {
  /** Base of the CA subject names (default `matrix-delegation lab`). */
  readonly commonName?: string;
}

type X509Module = typeof X509;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const WRONG_NAME = 'wrong.invalid';

// ECDSA P-256 keys and signatures: generating and signing take well under a millisecond, unlike RSA.
const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

let x509ModulePromise: Promise<X509Module> | undefined;

/**
 * Load `@peculiar/x509` once per process (the module only; no key or certificate is ever shared).
 *
 * Version 2 of that library resolves its algorithms through `tsyringe`, which needs the `reflect-metadata`
 * polyfill loaded first; the dynamic import keeps both off the start-up path of code that never issues one.
 */
function loadX509(): Promise<X509Module> {
  if (x509ModulePromise === undefined) {
    x509ModulePromise = import('reflect-metadata').then(() => import('@peculiar/x509'));
    // A failed load should be retried by the next caller, not cached forever.
    x509ModulePromise.catch(() => {
      x509ModulePromise = undefined;
    });
  }
  return x509ModulePromise;
}

/** A random positive 128-bit serial number in hex (RFC 5280 section 4.1.2.2: at most 20 octets, positive). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  // Clear the sign bit (a positive INTEGER) and set the next one, so the serial keeps all 16 octets.
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** X.509 times have one-second resolution: round down so the returned dates equal those in the certificate. */
function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

function toPem(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  // Extractable, so that the private key can be exported as PKCS#8 for node:tls.
  return await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

function privateKeyPem(key: webcrypto.CryptoKey): string {
  const pem = KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' });
  return toPem(typeof pem === 'string' ? pem : pem.toString('utf8'));
}

/** Check a DNS name enough for an IA5String SAN entry; wildcards such as `*.example.com` are allowed. */
function checkDnsName(name: string): string {
  if (name.length === 0 || name.length > 253 || !/^[\x21-\x7e]+$/.test(name)) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `not a DNS name for a lab certificate: ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/**
 * Check an IP literal and put it in the form the SAN encoder understands. A certificate carries the raw
 * address octets (RFC 5280 section 4.2.1.6), so a zone (`fe80::1%eth0`) cannot be represented.
 */
function sanIpValue(address: string): string {
  const family = isIP(address);
  if (family === 0 || address.includes('%')) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `not an IP address for a lab certificate: ${JSON.stringify(address)}`,
    );
  }
  // The SAN encoder only understands hexadecimal groups around "::"; the WHATWG URL parser rewrites any IPv6
  // literal (including the IPv4-mapped ::ffff:127.0.0.1) into that RFC 5952 form.
  return family === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

/** Validity window of a leaf, per kind. */
function leafValidity(kind: NonNullable<LabCertificateSpec['kind']>, now: number): { notBefore: Date; notAfter: Date } {
  switch (kind) {
    case 'expired':
      return { notBefore: wholeSeconds(now - 2 * DAY_MS), notAfter: wholeSeconds(now - DAY_MS) };
    case 'not-yet-valid':
      return { notBefore: wholeSeconds(now + DAY_MS), notAfter: wholeSeconds(now + 2 * DAY_MS) };
    default:
      // An hour back tolerates small clock differences between the lab and the code under test.
      return { notBefore: wholeSeconds(now - HOUR_MS), notAfter: wholeSeconds(now + DAY_MS) };
  }
}

/**
 * Create a throwaway certificate authority for the federation lab: a fresh self-signed root, an intermediate
 * signed by it, and {@link LabCertificateAuthority.issue} for leaves. Every call makes new keys, so two labs
 * never trust each other's certificates. All keys are ECDSA P-256; private keys are PKCS#8 PEM.
 *
 * @example
 * ```ts
 * const ca = await createCertificateAuthority();
 * const leaf = await ca.issue({ dnsNames: ['matrix.example.org'], ipAddresses: ['127.0.0.1'] });
 * const server = tls.createServer({ key: leaf.keyPem, cert: leaf.fullChainPem });
 * // Clients trust the lab with: tls.connect({ ..., ca: [ca.certPem] })
 * ```
 */
export async function createCertificateAuthority(
  options?: CertificateAuthorityOptions,
): Promise<LabCertificateAuthority> {
  const x509 = await loadX509();
  const crypto = webcrypto;
  const baseName = options?.commonName ?? 'matrix-delegation lab';
  const now = Date.now();
  // The CAs cover the whole range of every leaf kind (expired: 2 days back; not-yet-valid: up to 2 days
  // ahead), so that each bad leaf fails for its own reason and nothing else.
  const caNotBefore = wholeSeconds(now - 3 * DAY_MS);
  const caNotAfter = wholeSeconds(now + 3 * DAY_MS);
  const caKeyUsage = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

  const [rootKeys, intermediateKeys] = await Promise.all([generateKeys(), generateKeys()]);
  // Each issuer's key identifier is computed once and reused as the authorityKeyIdentifier of what it signs
  // (RFC 5280 section 4.2.1.1): it saves a key export and a hash per leaf.
  const [rootKeyId, intermediateKeyId] = await Promise.all([
    x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey, false, crypto),
    x509.SubjectKeyIdentifierExtension.create(intermediateKeys.publicKey, false, crypto),
  ]);
  const root = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: [{ CN: [`${baseName} root CA`] }],
      notBefore: caNotBefore,
      notAfter: caNotAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
      keys: rootKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(caKeyUsage, true),
        rootKeyId,
      ],
    },
    crypto,
  );
  const intermediate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: [{ CN: [`${baseName} intermediate CA`] }],
      issuer: root.subjectName,
      notBefore: caNotBefore,
      notAfter: caNotAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
      publicKey: intermediateKeys.publicKey,
      signingKey: rootKeys.privateKey,
      extensions: [
        // pathLength 0: the intermediate may sign leaves only.
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(caKeyUsage, true),
        intermediateKeyId,
        new x509.AuthorityKeyIdentifierExtension(rootKeyId.keyId),
      ],
    },
    crypto,
  );
  const certPem = toPem(root.toString('pem'));
  const intermediatePem = toPem(intermediate.toString('pem'));

  /** An issuer a spec names: an intermediate of that name, signed by the lab root or by an untrusted root of its own. */
  interface NamedIssuer {
    readonly pem: string;
    readonly subjectName: X509.Name;
    readonly keys: webcrypto.CryptoKeyPair;
    readonly keyId: string;
  }
  const namedIssuers = new Map<string, Promise<NamedIssuer>>();
  async function makeNamedIssuer(commonName: string, rootCommonName: string | undefined): Promise<NamedIssuer> {
    let signer = { name: root.subjectName, key: rootKeys.privateKey, keyId: rootKeyId.keyId };
    if (rootCommonName !== undefined) {
      const otherRootKeys = await generateKeys();
      const otherRootKeyId = await x509.SubjectKeyIdentifierExtension.create(otherRootKeys.publicKey, false, crypto);
      const otherRoot = await x509.X509CertificateGenerator.createSelfSigned(
        {
          serialNumber: randomSerial(),
          name: [{ CN: [rootCommonName] }],
          notBefore: caNotBefore,
          notAfter: caNotAfter,
          signingAlgorithm: SIGNING_ALGORITHM,
          keys: otherRootKeys,
          extensions: [
            new x509.BasicConstraintsExtension(true, undefined, true),
            new x509.KeyUsagesExtension(caKeyUsage, true),
            otherRootKeyId,
          ],
        },
        crypto,
      );
      signer = { name: otherRoot.subjectName, key: otherRootKeys.privateKey, keyId: otherRootKeyId.keyId };
    }
    const keys = await generateKeys();
    const keyId = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto);
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: [{ CN: [commonName] }],
        issuer: signer.name,
        notBefore: caNotBefore,
        notAfter: caNotAfter,
        signingAlgorithm: SIGNING_ALGORITHM,
        publicKey: keys.publicKey,
        signingKey: signer.key,
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(caKeyUsage, true),
          keyId,
          new x509.AuthorityKeyIdentifierExtension(signer.keyId),
        ],
      },
      crypto,
    );
    return { pem: toPem(cert.toString('pem')), subjectName: cert.subjectName, keys, keyId: keyId.keyId };
  }
  function namedIssuer(issuer: NonNullable<LabCertificateSpec['issuer']>): Promise<NamedIssuer> {
    if (typeof issuer.commonName !== 'string' || issuer.commonName === '') {
      throw new MatrixDelegationError('INVALID_ARGUMENT', 'a lab certificate issuer needs a non-empty commonName');
    }
    const key = `${issuer.commonName}\0${issuer.rootCommonName ?? ''}`;
    let found = namedIssuers.get(key);
    if (found === undefined) {
      found = makeNamedIssuer(issuer.commonName, issuer.rootCommonName);
      // A failure is the caller's to see, and the next call tries again.
      found.catch(() => namedIssuers.delete(key));
      namedIssuers.set(key, found);
    }
    return found;
  }

  async function issue(spec: LabCertificateSpec): Promise<LabCertificate> {
    const kind = spec.kind ?? 'valid';
    const dnsNames = kind === 'wrong-name' ? [WRONG_NAME] : (spec.dnsNames ?? []).map(checkDnsName);
    const ipAddresses = kind === 'wrong-name' ? [] : [...(spec.ipAddresses ?? [])];
    const sanIps = ipAddresses.map(sanIpValue);
    const commonName = kind === 'wrong-name' ? WRONG_NAME : (spec.commonName ?? dnsNames[0] ?? ipAddresses[0]);
    if (commonName === undefined) {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        'a lab certificate needs at least one DNS name or IP address',
      );
    }
    const { notBefore, notAfter } = leafValidity(kind, Date.now());
    const keys = await generateKeys();
    const selfSigned = kind === 'self-signed';
    const extensions: X509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      // Clients match names against the subjectAltName and ignore the common name once it is present
      // (RFC 6125 section 6.4.4), so every name goes here.
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...sanIps.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
    ];
    const common = {
      serialNumber: randomSerial(),
      notBefore,
      notAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
    };
    const name: X509.JsonName = [{ CN: [commonName] }];
    const named = spec.issuer === undefined || selfSigned ? null : await namedIssuer(spec.issuer);
    const signer =
      named === null
        ? { name: intermediate.subjectName, key: intermediateKeys.privateKey, keyId: intermediateKeyId.keyId }
        : { name: named.subjectName, key: named.keys.privateKey, keyId: named.keyId };
    const leaf = selfSigned
      ? // Its own issuer, trusted by nobody: what an admin gets from a quick `openssl req -x509`.
        await x509.X509CertificateGenerator.createSelfSigned({ ...common, name, keys, extensions }, crypto)
      : await x509.X509CertificateGenerator.create(
          {
            ...common,
            subject: name,
            issuer: signer.name,
            publicKey: keys.publicKey,
            signingKey: signer.key,
            extensions: [...extensions, new x509.AuthorityKeyIdentifierExtension(signer.keyId)],
          },
          crypto,
        );
    const leafPem = toPem(leaf.toString('pem'));
    // The server sends the leaf and the intermediate; the root stays with the clients. Self-signed has no
    // chain, and missing-intermediate reproduces the common mistake of serving the leaf alone.
    const chainPem = selfSigned || kind === 'missing-intermediate' ? '' : (named?.pem ?? intermediatePem);
    const keyPem = privateKeyPem(keys.privateKey);
    return {
      certPem: leafPem,
      keyPem,
      chainPem,
      fullChainPem: leafPem + chainPem,
      dnsNames,
      ipAddresses,
      notBefore,
      notAfter,
    };
  }

  return { certPem, intermediatePem, issue };
}
