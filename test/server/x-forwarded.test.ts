// Synapse's listener option `x_forwarded`: behind a reverse proxy the tester's rate limit keys on X-Forwarded-For.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigOrThrow } from '../../src/config/index.js';
import { lastForwardedAddress } from '../../src/server/http/forwarded.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { createCertificateAuthority, startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { captureLogger, send, testConfig } from './http-helpers.js';

describe('lastForwardedAddress', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['203.0.113.9, 198.51.100.7', '198.51.100.7'],
    ['forged,198.51.100.7', '198.51.100.7'],
    ['2001:db8::1', '2001:db8::1'],
    ['1.2.3.4, [2001:db8::2]:4711', '2001:db8::2'],
    ['[2001:db8::3]', '2001:db8::3'],
    ['198.51.100.8:55000', '198.51.100.8'],
  ])('%j -> %s', (value, expected) => {
    expect(lastForwardedAddress(value)).toBe(expected);
  });

  it('joins repeated headers (HAProxy adds its own) and reads the last', () => {
    expect(lastForwardedAddress(['10.9.9.9', '198.51.100.7'])).toBe('198.51.100.7');
  });

  it.each([
    undefined,
    '',
    '198.51.100.7, unknown',
    '198.51.100.7,',
    'example.com',
    '300.1.1.1',
    '[1.2.3.4]:80',
    '1.2.3.4:99999',
  ])('%j -> undefined', (value) => {
    expect(lastForwardedAddress(value)).toBeUndefined();
  });
});

describe('the x_forwarded key', () => {
  it('is read as a boolean per listener, false by default, and refused when not a boolean', () => {
    const yaml = 'server_name: example.org\nlisteners:\n  - port: 8080\n    x_forwarded: true\n  - port: 8081\n';
    const { config, warnings } = parseConfigOrThrow(yaml, { sourceName: 't.yaml' });
    expect(config.listeners.map((l) => l.xForwarded)).toEqual([true, false]);
    expect(warnings.join('\n')).not.toMatch(/x_forwarded/);
    expect(() =>
      parseConfigOrThrow('server_name: example.org\nlisteners:\n  - port: 8080\n    x_forwarded: "yes please"\n', {
        sourceName: 't.yaml',
      }),
    ).toThrow(/listeners\[0\]\.x_forwarded/);
  });
});

describe('rate limit behind a reverse proxy', () => {
  let lab: Lab;
  // One listener as the reverse proxy's upstream (x_forwarded), one without, same server and limits.
  let server: RunningServer;

  beforeAll(async () => {
    // No zones: every name checked is NXDOMAIN, so a check ends at once (BAD); only the counting matters here.
    lab = await startLab({ zones: {} });
    const listeners = [
      { port: 0, bindAddresses: ['127.0.0.1'], tls: false, xForwarded: true },
      { port: 0, bindAddresses: ['127.0.0.1'], tls: false, xForwarded: false },
    ];
    server = await startServer(
      testConfig(
        'server_name: tester.example.org\ntester:\n  enabled: true\n  rate_limit_per_minute: 1\n  cache_seconds: 0\n',
        listeners,
      ),
      {
        logger: captureLogger('error').logger,
        checkOptions: { ...lab.clientOptions(), operationTimeoutMs: 2000 },
      },
    );
  });

  afterAll(async () => {
    await server?.close();
    await lab?.close();
  });

  const ask = (base: string, name: string, forwardedFor?: string) =>
    send(`${base}api/federation-ok?server_name=${name}`, {
      localAddress: '127.0.0.1',
      ...(forwardedFor === undefined ? {} : { headers: { 'x-forwarded-for': forwardedFor } }),
    });

  it('gives each forwarded client its own budget on an x_forwarded listener, keyed on the entry the proxy added', async () => {
    const proxied = server.urls[0]!;
    expect((await ask(proxied, 'a1.example.org', '198.51.100.1')).status).toBe(200);
    // Same client again (a forged first entry changes nothing: the proxy's entry is the last one).
    expect((await ask(proxied, 'a2.example.org', '203.0.113.77, 198.51.100.1')).status).toBe(429);
    // Another client behind the same proxy.
    expect((await ask(proxied, 'a3.example.org', '198.51.100.2')).status).toBe(200);
    // IPv6 clients are keyed by their /64, as without a proxy.
    expect((await ask(proxied, 'a4.example.org', '2001:db8:1:2::1')).status).toBe(200);
    expect((await ask(proxied, 'a5.example.org', '2001:db8:1:2::99')).status).toBe(429);
    // No usable header: the proxy's own address, a budget of its own (not a way around the limit).
    expect((await ask(proxied, 'a6.example.org')).status).toBe(200);
    expect((await ask(proxied, 'a7.example.org', 'garbage')).status).toBe(429);
  });

  it('ignores X-Forwarded-For on a listener without x_forwarded (any client could send it)', async () => {
    const direct = server.urls[1]!;
    // Budgets are per client key whatever the listener, so this test comes from an address of its own.
    const from = (forwardedFor: string) =>
      send(`${direct}api/federation-ok?server_name=d-${forwardedFor.replace(/\W/g, '')}.example.org`, {
        localAddress: '127.0.0.3',
        headers: { 'x-forwarded-for': forwardedFor },
      });
    expect((await from('198.51.100.10')).status).toBe(200);
    expect((await from('198.51.100.11')).status).toBe(429);
  });
});

describe('x_forwarded on an HTTPS listener', () => {
  it('keys on X-Forwarded-For there too (sockets are marked on the TLS handshake)', async () => {
    const lab = await startLab({ zones: {} });
    const ca = await createCertificateAuthority();
    const cert = await ca.issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const config = {
      ...testConfig(
        'server_name: tester.example.org\ntester:\n  enabled: true\n  rate_limit_per_minute: 1\n  cache_seconds: 0\n',
        [{ port: 0, bindAddresses: ['127.0.0.1'], tls: true, xForwarded: true }],
      ),
      tls: {
        certificatePath: '/test/cert.pem',
        privateKeyPath: '/test/key.pem',
        certificatePem: cert.fullChainPem,
        privateKeyPem: cert.keyPem,
      },
    };
    const server = await startServer(config, {
      logger: captureLogger('error').logger,
      checkOptions: { ...lab.clientOptions(), operationTimeoutMs: 2000 },
    });
    try {
      const ask = (name: string, forwardedFor: string) =>
        send(`${server.urls[0]!}api/federation-ok?server_name=${name}`, {
          ca: ca.certPem,
          localAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': forwardedFor },
        });
      expect((await ask('t1.example.org', '198.51.100.21')).status).toBe(200);
      expect((await ask('t2.example.org', '198.51.100.22')).status).toBe(200);
      expect((await ask('t3.example.org', '198.51.100.21')).status).toBe(429);
    } finally {
      await server.close();
      await lab.close();
    }
  });
});
