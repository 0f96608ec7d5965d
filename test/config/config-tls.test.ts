// The serve config's TLS files: required with tls: true, read at load, missing/unreadable/non-PEM/mismatched named by key.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigErrors, loadConfig, parseConfig } from '../../src/config/index.js';
import type { ConfigResult } from '../../src/config/index.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import type { LabCertificate } from '../../src/testing/index.js';

let dir: string;
let good: LabCertificate;
let other: LabCertificate;
let expired: LabCertificate;

const file = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-config-tls-'));
  const ca = await createCertificateAuthority();
  good = await ca.issue({ dnsNames: ['example.com'] });
  other = await ca.issue({ dnsNames: ['other.example.org'] });
  expired = await ca.issue({ dnsNames: ['example.com'], kind: 'expired' });
  writeFileSync(file('fullchain.pem'), good.fullChainPem);
  writeFileSync(file('privkey.pem'), good.keyPem);
  writeFileSync(file('other-key.pem'), other.keyPem);
  writeFileSync(file('other-chain.pem'), other.fullChainPem);
  writeFileSync(file('expired-chain.pem'), expired.fullChainPem);
  writeFileSync(file('expired-key.pem'), expired.keyPem);
  writeFileSync(file('not-pem.txt'), 'this is not a certificate\n');
  const encrypted = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' },
  });
  writeFileSync(file('encrypted-key.pem'), encrypted.privateKey);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function tlsConfig(cert: string, key: string, serverName = 'example.com'): string {
  return [
    `server_name: ${serverName}`,
    'serve_server_wellknown: true',
    'listeners:',
    '  - port: 443',
    '    tls: true',
    `tls_certificate_path: ${JSON.stringify(cert)}`,
    `tls_private_key_path: ${JSON.stringify(key)}`,
    '',
  ].join('\n');
}

/** Lab leaves live one day, so every one of them "expires in less than 14 days"; tests about other warnings drop that one. */
function withoutExpiryNotice(warnings: readonly string[]): string[] {
  return warnings.filter((warning) => !/ expires on .* in less than 14 days/.test(warning));
}

function errorsOf(result: ConfigResult): { key: string; code: string }[] {
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(({ key, code }) => ({ key, code }));
}

describe('TLS files', () => {
  it('loads a matching certificate and key, keeping their text for the listener', () => {
    const result = parseConfig(tlsConfig(file('fullchain.pem'), file('privkey.pem')));
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    expect(result.config.tls).toEqual({
      certificatePath: file('fullchain.pem'),
      privateKeyPath: file('privkey.pem'),
      certificatePem: good.fullChainPem,
      privateKeyPem: good.keyPem,
    });
    expect(result.config.listeners).toEqual([
      { port: 443, bindAddresses: ['::', '0.0.0.0'], tls: true, xForwarded: false },
    ]);
    expect(withoutExpiryNotice(result.warnings)).toEqual([]);
  });

  it('names each missing file by its key', () => {
    const result = parseConfig(tlsConfig(file('nope-chain.pem'), file('nope-key.pem')));
    expect(errorsOf(result)).toEqual([
      { key: 'tls_certificate_path', code: 'file-missing' },
      { key: 'tls_private_key_path', code: 'file-missing' },
    ]);
    if (!result.ok) {
      expect(result.errors[0]?.problem).toContain(file('nope-chain.pem'));
      expect(result.errors[0]?.line).toBe(6);
      expect(result.errors[1]?.line).toBe(7);
    }
  });

  it('reports an unreadable file (permission denied) as file-unreadable', () => {
    const denied = (path: string): string => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    };
    const result = parseConfig(tlsConfig('/etc/ssl/cert.pem', '/etc/ssl/key.pem'), { readTextFile: denied });
    expect(errorsOf(result)).toEqual([
      { key: 'tls_certificate_path', code: 'file-unreadable' },
      { key: 'tls_private_key_path', code: 'file-unreadable' },
    ]);
    if (!result.ok) expect(result.errors[0]?.problem).toContain('permission denied');
  });

  it('refuses files without the expected PEM block', () => {
    expect(errorsOf(parseConfig(tlsConfig(file('not-pem.txt'), file('privkey.pem'))))).toEqual([
      { key: 'tls_certificate_path', code: 'not-pem' },
    ]);
    // A certificate where the key belongs is not a key.
    expect(errorsOf(parseConfig(tlsConfig(file('fullchain.pem'), file('fullchain.pem'))))).toEqual([
      { key: 'tls_private_key_path', code: 'not-pem' },
    ]);
  });

  it('refuses an encrypted key, which the server could not unlock', () => {
    const result = parseConfig(tlsConfig(file('fullchain.pem'), file('encrypted-key.pem')));
    expect(errorsOf(result)).toEqual([{ key: 'tls_private_key_path', code: 'not-pem' }]);
    if (!result.ok) expect(result.errors[0]?.problem).toMatch(/encrypted/);
  });

  it('refuses a key that does not belong to the certificate', () => {
    expect(errorsOf(parseConfig(tlsConfig(file('fullchain.pem'), file('other-key.pem'))))).toEqual([
      { key: 'tls_private_key_path', code: 'tls-key-mismatch' },
    ]);
  });

  it('resolves relative paths against the config file directory', () => {
    writeFileSync(file('serve.yaml'), tlsConfig('fullchain.pem', './privkey.pem'));
    const result = loadConfig(file('serve.yaml'));
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    expect(result.config.tls?.certificatePath).toBe(file('fullchain.pem'));
    expect(result.config.tls?.privateKeyPath).toBe(file('privkey.pem'));
    expect(result.config.source).toBe(file('serve.yaml'));
  });

  it('warns (without refusing) about an expired certificate and one for another name', () => {
    const stale = parseConfig(tlsConfig(file('expired-chain.pem'), file('expired-key.pem')));
    if (!stale.ok) throw new Error(formatConfigErrors(stale.errors));
    expect(stale.warnings).toEqual([
      expect.stringMatching(/^tls_certificate_path \(line 6\): the certificate expired on /),
    ]);

    const misnamed = parseConfig(tlsConfig(file('other-chain.pem'), file('other-key.pem')));
    if (!misnamed.ok) throw new Error(formatConfigErrors(misnamed.errors));
    expect(withoutExpiryNotice(misnamed.warnings)).toEqual([expect.stringMatching(/not valid for example\.com/)]);
  });

  it('warns about validity using the injected clock: expiring soon, not yet valid, expired', () => {
    const load = (now: Date): string[] => {
      const result = parseConfig(tlsConfig(file('fullchain.pem'), file('privkey.pem')), { now: () => now });
      if (!result.ok) throw new Error(formatConfigErrors(result.errors));
      return result.warnings;
    };
    const HOUR = 3_600_000;
    expect(load(new Date(good.notAfter.getTime() - 2 * HOUR))).toEqual([
      expect.stringMatching(/expires on .*less than 14 days/),
    ]);
    expect(load(new Date(good.notBefore.getTime() - HOUR))).toEqual([
      expect.stringMatching(/not valid before .*check the clock/),
    ]);
    expect(load(new Date(good.notAfter.getTime() + HOUR))).toEqual([expect.stringMatching(/expired on/)]);
  });

  it('does not read the files when no listener uses TLS, but says they are unused', () => {
    const yaml = [
      'server_name: example.com',
      'serve_server_wellknown: true',
      'listeners: [{ port: 8080 }]',
      'tls_certificate_path: /nonexistent/cert.pem',
      'tls_private_key_path: /nonexistent/key.pem',
      '',
    ].join('\n');
    const result = parseConfig(yaml);
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    expect(result.config.tls).toBeNull();
    expect(result.warnings).toEqual([
      'tls_certificate_path (line 4): no listener has tls: true, so this certificate is not used',
      'tls_private_key_path (line 5): no listener has tls: true, so this key is not used',
    ]);
  });

  it('reads the tester CA file and refuses one without certificates', () => {
    writeFileSync(file('ca.pem'), good.chainPem);
    const ok = parseConfig(
      `server_name: example.com\ntester: { enabled: true, ca_file: ${JSON.stringify(file('ca.pem'))} }\n`,
    );
    if (!ok.ok) throw new Error(formatConfigErrors(ok.errors));
    expect(ok.config.tester.caFile).toBe(file('ca.pem'));
    expect(ok.config.tester.caPem).toBe(good.chainPem);
    expect(
      errorsOf(parseConfig(`server_name: example.com\ntester: { ca_file: ${JSON.stringify(file('not-pem.txt'))} }\n`)),
    ).toEqual([{ key: 'tester.ca_file', code: 'not-pem' }]);
  });
});
