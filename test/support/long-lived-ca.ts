// Test helper: a CA whose leaves live as long as asked (90 days as Let's Encrypt's, or 5 days to near their end).

import { KeyObject, webcrypto } from 'node:crypto';
import type { LabCertificate } from '../../src/testing/index.js';

const DAY_MS = 86_400_000;

/** A CA that issues leaves of a chosen lifetime (the lab's own leaves live one day). */
export interface LongLivedCa {
  readonly certPem: string;
  /** A leaf for `dnsNames`, valid from an hour ago for `days` days. */
  issue(dnsNames: readonly string[], days?: number): Promise<LabCertificate>;
}

/** Creates the CA (root valid a year). */
export async function createLongLivedCa(): Promise<LongLivedCa> {
  await import('reflect-metadata'); // @peculiar/x509 2 needs the polyfill first
  const x509 = await import('@peculiar/x509');
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const newKeys = (): Promise<webcrypto.CryptoKeyPair> =>
    webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const pem = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
  const serial = (): string =>
    `4${webcrypto.getRandomValues(new Uint8Array(15)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '')}`;
  const now = Date.now();
  const rootKeys = await newKeys();
  const root = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: [{ CN: ['matrix-delegation test root CA (long-lived leaves)'] }],
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 365 * DAY_MS),
      signingAlgorithm: algorithm,
      keys: rootKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      ],
    },
    webcrypto,
  );
  return {
    certPem: pem(root.toString('pem')),
    async issue(dnsNames, days = 90) {
      const keys = await newKeys();
      const notBefore = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);
      const notAfter = new Date(notBefore.getTime() + 3_600_000 + days * DAY_MS);
      const leaf = await x509.X509CertificateGenerator.create(
        {
          serialNumber: serial(),
          subject: [{ CN: [dnsNames[0]!] }],
          issuer: root.subjectName,
          notBefore,
          notAfter,
          signingAlgorithm: algorithm,
          publicKey: keys.publicKey,
          signingKey: rootKeys.privateKey,
          extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
            new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))),
          ],
        },
        webcrypto,
      );
      const certPem = pem(leaf.toString('pem'));
      return {
        certPem,
        keyPem: pem(String(KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }))),
        chainPem: '',
        fullChainPem: certPem,
        dnsNames: [...dnsNames],
        ipAddresses: [],
        notBefore,
        notAfter,
      };
    },
  };
}
