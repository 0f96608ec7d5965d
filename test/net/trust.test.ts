// Tests of the trust list and its secure context cache: same inputs give the same objects, a changed input a new list,
// and the context trusts exactly Node's roots, the NODE_EXTRA_CA_CERTS file and the extras (real TLS connections).

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, rootCertificates } from 'node:tls';
import type { SecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTrustedCas,
  certificatesNotAmongRoots,
  secureContextFor,
  trustedCertificates,
} from '../../src/net/trust.js';
import { createCertificateAuthority, type LabCertificateAuthority } from '../../src/testing/index.js';

// Two real certificates as the extras (any will do: trust is not exercised here, but the secure context parses them).
const EXTRA_A = rootCertificates[0]!;
const EXTRA_B = rootCertificates[1]!;

const dir = mkdtempSync(join(tmpdir(), 'trust-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three unrelated CAs: one named by NODE_EXTRA_CA_CERTS, one passed as an extra, one nobody trusts. */
let fileCa: LabCertificateAuthority;
let extraCa: LabCertificateAuthority;
let strangerCa: LabCertificateAuthority;
beforeAll(async () => {
  const named = (name: string) => createCertificateAuthority({ commonName: `trust test ${name}` });
  [fileCa, extraCa, strangerCa] = await Promise.all([named('file'), named('extra'), named('stranger')]);
});

describe('buildTrustedCas', () => {
  it("is undefined without extras (Node's own trust store applies)", () => {
    expect(buildTrustedCas(undefined, {})).toBeUndefined();
    expect(buildTrustedCas([], {})).toBeUndefined();
  });

  it('is the system roots, then the NODE_EXTRA_CA_CERTS file (without the roots it repeats), then the extras', () => {
    const file = join(dir, 'order.pem');
    writeFileSync(file, `${rootCertificates[5]!}\n${fileCa.certPem}`);
    const list = buildTrustedCas([EXTRA_A, EXTRA_B], { NODE_EXTRA_CA_CERTS: file })!;
    expect(list.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(list.slice(rootCertificates.length)).toEqual([`${fileCa.certPem.trim()}\n`, EXTRA_A, EXTRA_B]);
  });

  it('gives the same list for fresh arrays holding the same extras, and so the same secure context', () => {
    const first = buildTrustedCas([EXTRA_A], {});
    const second = buildTrustedCas([EXTRA_A], {});
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const context = secureContextFor(first);
    expect(context).toBeDefined();
    expect(secureContextFor(buildTrustedCas([EXTRA_A], {}))).toBe(context);
  });

  it('gives another list for other extras', () => {
    const a = buildTrustedCas([EXTRA_A], {})!;
    const b = buildTrustedCas([EXTRA_B], {})!;
    expect(b).not.toBe(a);
    expect(b.at(-1)).toBe(EXTRA_B);
  });

  it('sees a NODE_EXTRA_CA_CERTS file that changed since the last call', () => {
    const file = join(dir, 'changing.pem');
    writeFileSync(file, fileCa.certPem);
    const before = buildTrustedCas([EXTRA_A], { NODE_EXTRA_CA_CERTS: file })!;
    expect(before).toContain(`${fileCa.certPem.trim()}\n`);
    expect(buildTrustedCas([EXTRA_A], { NODE_EXTRA_CA_CERTS: file })).toBe(before);
    writeFileSync(file, `${fileCa.certPem}\n${extraCa.certPem}`);
    const after = buildTrustedCas([EXTRA_A], { NODE_EXTRA_CA_CERTS: file })!;
    expect(after).toContain(`${fileCa.certPem.trim()}\n${extraCa.certPem.trim()}\n`);
    expect(after).not.toContain(`${fileCa.certPem.trim()}\n`);
  });

  it('the same extras array again: its list without another look at the file, unless the array changed', () => {
    // A check passes one array to all its connections (issue 19): no stat of NODE_EXTRA_CA_CERTS for each of them.
    const file = join(dir, 'removed.pem');
    writeFileSync(file, fileCa.certPem);
    const env = { NODE_EXTRA_CA_CERTS: file };
    const extras = [EXTRA_A];
    const first = buildTrustedCas(extras, env)!;
    expect(first).toContain(`${fileCa.certPem.trim()}\n`);
    rmSync(file);
    // Within a second the same array gets the same list (an edited file is seen a second later at most)...
    expect(buildTrustedCas(extras, env)).toBe(first);
    // ...but an array changed in place is another set of extras, and another array makes the file be looked at.
    extras.push(EXTRA_B);
    const changed = buildTrustedCas(extras, env)!;
    expect(changed.at(-1)).toBe(EXTRA_B);
    expect(buildTrustedCas([EXTRA_A], env)).not.toContain(`${fileCa.certPem.trim()}\n`);
  });

  it('ignores a NODE_EXTRA_CA_CERTS file that does not exist, as Node does', () => {
    const list = buildTrustedCas([EXTRA_A], { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') })!;
    expect(list).toEqual([...rootCertificates, EXTRA_A]);
  });
});

describe('certificatesNotAmongRoots', () => {
  it('drops the certificates Node already has as roots, whatever their line layout, and keeps the others', () => {
    const rewrapped = rootCertificates[3]!.replace(/\n/g, '').replace(/(.{76})/g, '$1\n');
    const bundle = `# a comment\n${rootCertificates[2]!}\n${fileCa.certPem}\n${rewrapped}\n${extraCa.certPem}`;
    expect(certificatesNotAmongRoots(bundle)).toBe(`${fileCa.certPem.trim()}\n${extraCa.certPem.trim()}\n`);
    expect(certificatesNotAmongRoots(rootCertificates.join('\n'))).toBe('');
  });
});

describe('trustedCertificates: the certificates of a trust list, cached with its context', () => {
  const der = (pem: string): string => new X509Certificate(pem).raw.toString('base64');

  it("holds Node's roots and the extra CAs, as DER in base64, and nothing else", () => {
    const list = buildTrustedCas([extraCa.certPem], {});
    const certificates = trustedCertificates(list);
    expect(certificates.has(der(extraCa.certPem))).toBe(true);
    expect(certificates.has(der(rootCertificates[0]!))).toBe(true);
    expect(certificates.has(der(strangerCa.certPem))).toBe(false);
    expect(certificates.size).toBe(new Set(rootCertificates.map(der)).size + 1);
  });

  it("without extra CAs is Node's roots; the same list gives the same set", () => {
    expect(trustedCertificates(undefined).size).toBe(new Set(rootCertificates.map(der)).size);
    expect(trustedCertificates(undefined).has(der(extraCa.certPem))).toBe(false);
    const list = buildTrustedCas([extraCa.certPem], {});
    expect(trustedCertificates(list)).toBe(trustedCertificates(buildTrustedCas([extraCa.certPem], {})));
  });
});

describe('secureContextFor: what the context trusts (real TLS handshakes)', () => {
  /** Whether a client with `context` accepts a server whose certificate for `localhost` was issued by `ca`. */
  async function accepts(context: SecureContext | undefined, ca: LabCertificateAuthority): Promise<boolean> {
    const leaf = await ca.issue({ dnsNames: ['localhost'] });
    const server = createServer({ key: leaf.keyPem, cert: leaf.fullChainPem }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      return await new Promise<boolean>((resolve) => {
        const socket = connect(
          { host: '127.0.0.1', port, servername: 'localhost', ...(context ? { secureContext: context } : {}) },
          () => {
            resolve(socket.authorized);
            socket.destroy();
          },
        );
        socket.on('error', () => resolve(false));
      });
    } finally {
      server.close();
    }
  }

  it('trusts the NODE_EXTRA_CA_CERTS file and the extras, not another CA', async () => {
    const file = join(dir, 'trusted-file.pem');
    writeFileSync(file, `${rootCertificates[0]!}\n${fileCa.certPem}`);
    const context = secureContextFor(buildTrustedCas([extraCa.certPem], { NODE_EXTRA_CA_CERTS: file }));
    expect(await accepts(context, fileCa)).toBe(true);
    expect(await accepts(context, extraCa)).toBe(true);
    expect(await accepts(context, strangerCa)).toBe(false);
  });

  it("a list that does not start with Node's roots is trusted exactly as given", async () => {
    const context = secureContextFor(Object.freeze([extraCa.certPem]));
    expect(await accepts(context, extraCa)).toBe(true);
    expect(await accepts(context, fileCa)).toBe(false);
  });
});
