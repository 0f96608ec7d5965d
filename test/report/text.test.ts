// The human text of a check report, rendered from a report built by hand: verdict, addresses, failures, hints.

import { describe, expect, it } from 'vitest';
import { renderCheckText } from '../../src/report/text.js';
import { FIXTURE_CLIENT_HINT, FIXTURE_HINT, fixtureReport } from './report-fixture.js';

// Any ANSI SGR sequence (colour, bold, reset).
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/;

function lines(text: string): string[] {
  return text.split('\n');
}

describe('renderCheckText', () => {
  const text = renderCheckText(fixtureReport());

  it('starts with the server name and the verdict line (FAIL: the tester rule fails one bad address of two)', () => {
    const [first, second] = lines(text);
    expect(first).toContain('example.org');
    expect(second).toMatch(/^FAIL\b/);
    expect(second).toContain(fixtureReport().summary);
  });

  it('says PASS when federation works', () => {
    const ok = renderCheckText(fixtureReport({ federationOk: true, summary: 'Federation works.' }));
    expect(lines(ok)[1]).toMatch(/^PASS\b.*Federation works\./);
  });

  it('shows the resolution path: the steps, the well-known outcome and the targets', () => {
    expect(text).toContain('How other servers find you');
    expect(text).toMatch(/step 3 +taken +delegates to matrix\.example\.org/);
    expect(text).toContain('Well-known: delegated (m.server "matrix.example.org")');
    expect(text).toMatch(/1\. 192\.0\.2\.10:8448 +step 3\.3 +Host: matrix\.example\.org/);
  });

  it('has one table row per address with family, TLS version, certificate state and result', () => {
    const good = lines(text).find((l) => l.trimStart().startsWith('192.0.2.10:8448'));
    const bad = lines(text).find((l) => l.trimStart().startsWith('[2001:db8::20]:8448'));
    expect(good).toMatch(/IPv4 +TLS 1\.3 +trusted, name ok .*Synapse 1\.140\.0 .*OK$/);
    expect(bad).toMatch(/IPv6 +TLS 1\.3 +NOT TRUSTED, name ok .*expired 30 d ago.*FAIL$/);
  });

  it('explains a failure right under its address row', () => {
    const all = lines(text);
    const row = all.findIndex((l) => l.trimStart().startsWith('[2001:db8::20]:8448'));
    expect(all[row + 1]).toMatch(/^\s+- TLS_EXPIRED: the certificate expired on 2025-01-01$/);
    // The working address has no failure line under it.
    const goodRow = all.findIndex((l) => l.trimStart().startsWith('192.0.2.10:8448'));
    expect(all[goodRow + 1]).not.toMatch(/^\s+- /);
  });

  it('lists the well-known per address when the addresses disagree, and not when they agree', () => {
    expect(text).toMatch(/192\.0\.2\.1 \(IPv4\) +delegated to "matrix\.example\.org"/);
    expect(text).toMatch(/2001:db8::1 \(IPv6\) +error \(CONNECT_REFUSED\)/);
    const same = fixtureReport().wellKnownByAddress.map((w) => ({
      ...w,
      status: 'delegated' as const,
      mServer: 'matrix.example.org',
      code: null,
    }));
    const agreeing = renderCheckText(fixtureReport({ wellKnownByAddress: same }));
    expect(agreeing).not.toContain('2001:db8::1 (IPv6)');
  });

  it('prints every hint with its title, detail and a "Fix:" line, errors (and their area) first', () => {
    for (const hint of [FIXTURE_HINT, FIXTURE_CLIENT_HINT]) {
      expect(text).toContain(hint.title);
      expect(text).toContain(hint.detail);
      expect(text).toMatch(new RegExp(`Fix: ${hint.fix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
    // The fixture lists the client warning first; the federation error must come out first.
    expect(text.indexOf(FIXTURE_HINT.fix)).toBeLessThan(text.indexOf(FIXTURE_CLIENT_HINT.fix));
    expect(text.indexOf('Federation\n')).toBeLessThan(
      text.indexOf('Client discovery (/.well-known/matrix/client)\n    '),
    );
  });

  it('with no address, says why', () => {
    const none = renderCheckText(
      fixtureReport({
        addresses: [],
        resolution: {
          ...fixtureReport().resolution,
          targets: [],
          error: { code: 'DNS_NXDOMAIN', message: 'example.org does not exist' },
        },
      }),
    );
    expect(none).toContain('No address to check: example.org does not exist.');
  });

  it('has no ANSI codes unless colours are asked for, and has them when they are', () => {
    expect(text).not.toMatch(ANSI);
    const coloured = renderCheckText(fixtureReport(), { color: true });
    expect(coloured).toMatch(ANSI);
    // Colours change nothing else.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
  });
});
