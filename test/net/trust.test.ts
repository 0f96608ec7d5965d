// Tests of the trust list and its secure context cache: same inputs give the same objects, a changed input a new list.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTrustedCas, secureContextFor } from '../../src/net/trust.js';

// Two real certificates as the extras (any will do: trust is not exercised here, but the secure context parses them).
const EXTRA_A = rootCertificates[0]!;
const EXTRA_B = rootCertificates[1]!;

const dir = mkdtempSync(join(tmpdir(), 'trust-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildTrustedCas', () => {
  it('is undefined without extras (Node\'s own trust store applies)', () => {
    expect(buildTrustedCas(undefined, {})).toBeUndefined();
    expect(buildTrustedCas([], {})).toBeUndefined();
  });

  it('is the system roots, then the NODE_EXTRA_CA_CERTS file, then the extras', () => {
    const file = join(dir, 'order.pem');
    writeFileSync(file, 'FILE-CONTENT');
    const list = buildTrustedCas([EXTRA_A, EXTRA_B], { NODE_EXTRA_CA_CERTS: file })!;
    expect(list.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(list.slice(rootCertificates.length)).toEqual(['FILE-CONTENT', EXTRA_A, EXTRA_B]);
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
    writeFileSync(file, 'BEFORE');
    const before = buildTrustedCas([EXTRA_A], { NODE_EXTRA_CA_CERTS: file })!;
    expect(before).toContain('BEFORE');
    expect(buildTrustedCas([EXTRA_A], { NODE_EXTRA_CA_CERTS: file })).toBe(before);
    writeFileSync(file, 'AFTER, LONGER');
    const after = buildTrustedCas([EXTRA_A], { NODE_EXTRA_CA_CERTS: file })!;
    expect(after).toContain('AFTER, LONGER');
    expect(after).not.toContain('BEFORE');
  });

  it('ignores a NODE_EXTRA_CA_CERTS file that does not exist, as Node does', () => {
    const list = buildTrustedCas([EXTRA_A], { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') })!;
    expect(list).toEqual([...rootCertificates, EXTRA_A]);
  });
});
