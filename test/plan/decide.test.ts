// The pure plan decision: every situation of the delegation guide (seed) and of the spec's resolution steps.

import { describe, expect, it } from 'vitest';
import { decideDelegation, parseHomeserver } from '../../src/plan/decide.js';
import type { DirectProbe } from '../../src/plan/types.js';

const probe = (
  works: boolean,
  summary = works ? 'the homeserver answers' : '203.0.113.5:8448: connection refused',
): DirectProbe => ({
  host: 'example.com',
  port: 8448,
  addresses: [],
  dnsError: null,
  works,
  summary,
});

describe('parseHomeserver', () => {
  it('takes an https URL, with or without port and scheme', () => {
    expect(parseHomeserver('https://matrix.example.com')).toEqual({
      baseUrl: 'https://matrix.example.com/',
      host: 'matrix.example.com',
      port: 443,
    });
    expect(parseHomeserver('Matrix.Example.com:8448')).toEqual({
      baseUrl: 'https://matrix.example.com:8448/',
      host: 'matrix.example.com',
      port: 8448,
    });
    expect(parseHomeserver('https://example.com/matrix')).toMatchObject({
      baseUrl: 'https://example.com/matrix/',
      port: 443,
    });
    expect(parseHomeserver('https://[2001:db8::1]:8448')).toMatchObject({ host: '[2001:db8::1]', port: 8448 });
  });
  it('refuses plain http and junk', () => {
    expect(() => parseHomeserver('http://matrix.example.com')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/https/) }),
    );
    expect(() => parseHomeserver('https://matrix.example.com/?x=1')).toThrow(/query/);
    expect(() => parseHomeserver('https://exa mple.com')).toThrow(/not a URL/);
  });
});

describe('decideDelegation', () => {
  const matrix = parseHomeserver('https://matrix.example.com');

  it('seed: Synapse on a subdomain, federation on 443 -> well-known with m.server matrix.example.com:443', () => {
    const d = decideDelegation('example.com', matrix, probe(false));
    expect(d).toMatchObject({
      verdict: 'needed',
      method: 'well-known',
      mServer: 'matrix.example.com:443',
      srvTarget: null,
      synapseCanServe: false,
    });
    expect(d.reasons[0]).toContain('connection refused');
  });

  it('seed: "when is delegation needed" - not when example.com:8448 already answers with a certificate for example.com', () => {
    const d = decideDelegation('example.com', matrix, probe(true));
    expect(d).toMatchObject({ verdict: 'not-needed', method: null, mServer: null });
    expect(d.reasons.join(' ')).toMatch(/already answers federation/);
  });

  it('not needed by construction when the homeserver is the server name on 8448 (no probe)', () => {
    expect(decideDelegation('example.com', parseHomeserver('https://example.com:8448'), null).verdict).toBe(
      'not-needed',
    );
  });

  it('seed: serve_server_wellknown when https://<server_name> reaches Synapse and only the port moves to 443', () => {
    const d = decideDelegation('example.com', parseHomeserver('https://example.com'), probe(false));
    expect(d).toMatchObject({ verdict: 'needed', mServer: 'example.com:443', synapseCanServe: true });
    expect(d.caveats.join(' ')).toContain('serve_server_wellknown: true');
  });

  it('the delegated port is always written: without one remote servers would use 8448', () => {
    expect(decideDelegation('example.com', parseHomeserver('matrix.example.com:8443'), null).mServer).toBe(
      'matrix.example.com:8443',
    );
  });

  it('SRV only on request, with its certificate caveat and the client settings it cannot carry', () => {
    const d = decideDelegation('example.com', matrix, probe(false), 'srv');
    expect(d).toMatchObject({
      verdict: 'needed',
      method: 'srv',
      mServer: null,
      srvTarget: { host: 'matrix.example.com', port: 443 },
    });
    expect(d.caveats[0]).toMatch(/certificate valid for example\.com \(not matrix\.example\.com\)/);
    expect(d.caveats[1]).toMatch(/\/\.well-known\/matrix\/client/);
  });

  it('not probed: delegation assumed needed, and said so', () => {
    const d = decideDelegation('example.com', matrix, null);
    expect(d.verdict).toBe('needed');
    expect(d.reasons[0]).toMatch(/^Not probed/);
  });

  it('an IP literal or a name with a port cannot delegate (spec steps 1 and 2)', () => {
    expect(decideDelegation('203.0.113.5', matrix, null)).toMatchObject({ verdict: 'not-possible', method: null });
    expect(decideDelegation('[2001:db8::1]:8448', matrix, null).reasons[0]).toMatch(/IP address/);
    const withPort = decideDelegation('example.com:8449', matrix, null);
    expect(withPort.verdict).toBe('not-possible');
    expect(withPort.reasons[0]).toMatch(/connect to example\.com port 8449 directly/);
  });

  it('an invalid server name is a usage error', () => {
    expect(() => decideDelegation('bad_name.example.com', matrix, null)).toThrow(
      expect.objectContaining({ code: 'INVALID_SERVER_NAME' }),
    );
  });
});
