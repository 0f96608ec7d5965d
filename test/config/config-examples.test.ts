// Every config in examples/ loads, and yields the documents its delegation situation calls for (seed doc + spec).

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatConfigErrors, loadConfig } from '../../src/config/index.js';
import type { ConfigSuccess } from '../../src/config/index.js';
import {
  buildClientDocument,
  buildServerDocument,
  buildSupportDocument,
  prepareWellKnownDocuments,
} from '../../src/config/documents.js';
import { createCertificateAuthority } from '../../src/testing/index.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** certbot's paths named in well-known-delegation.yaml, served from memory with a lab certificate for example.com. */
const virtualFiles = new Map<string, string>();
const readTextFile = (path: string): string => virtualFiles.get(path) ?? readFileSync(path, 'utf8');

beforeAll(async () => {
  const ca = await createCertificateAuthority();
  const leaf = await ca.issue({ dnsNames: ['example.com'] });
  virtualFiles.set('/etc/letsencrypt/live/example.com/fullchain.pem', leaf.fullChainPem);
  virtualFiles.set('/etc/letsencrypt/live/example.com/privkey.pem', leaf.keyPem);
});

function load(name: string): ConfigSuccess {
  const result = loadConfig(`${EXAMPLES}${name}`, { readTextFile });
  if (!result.ok) throw new Error(formatConfigErrors(result.errors, name));
  // Lab certificates live one day, hence the expiry notice; any other warning in an example is a defect.
  expect(result.warnings.filter((w) => !/in less than 14 days/.test(w))).toEqual([]);
  return result;
}

const tested = new Set<string>();
function example(name: string, check: (loaded: ConfigSuccess) => void): void {
  tested.add(name);
  it(name, () => check(load(name)));
}

describe('examples/', () => {
  // Seed, "External server": https://example.com/.well-known/matrix/server returns {"m.server": "synapse.example.com:443"}
  // to send federation traffic to synapse.example.com on port 443; served here over HTTPS on 443.
  example('well-known-delegation.yaml', ({ config }) => {
    expect(buildServerDocument(config)).toEqual({ 'm.server': 'synapse.example.com:443' });
    expect(config.listeners.some((l) => l.port === 443 && l.tls)).toBe(true);
    expect(config.tls?.certificatePath).toBe('/etc/letsencrypt/live/example.com/fullchain.pem');
    expect(buildClientDocument(config)).toEqual({ 'm.homeserver': { base_url: 'https://synapse.example.com/' } });
    expect(buildSupportDocument(config)).toBeNull();
  });

  // Seed, "serve_server_wellknown: true": Synapse answers with the server name's host and port 443.
  example('synapse-serve-server-wellknown.yaml', ({ config }) => {
    expect(config.serveServerWellknown).toBe(true);
    expect(config.delegationTarget).toBeNull();
    expect(buildServerDocument(config)).toEqual({ 'm.server': 'example.com:443' });
    expect(config.listeners).toEqual([
      { port: 8080, bindAddresses: ['127.0.0.1', '::1'], tls: false, xForwarded: false },
    ]);
  });

  // Seed: "the port is optional; when absent it defaults to 8448" - the document carries the bare host.
  example('delegation-default-port.yaml', ({ config }) => {
    expect(buildServerDocument(config)).toEqual({ 'm.server': 'synapse.example.com' });
  });

  // Seed, SRV delegation: no server document, but client-wide settings (Jitsi, default encryption) still need
  // /.well-known/matrix/client.
  example('srv-delegation.yaml', ({ config }) => {
    expect(buildServerDocument(config)).toBeNull();
    expect(buildClientDocument(config)).toEqual({
      'm.homeserver': { base_url: 'https://synapse.example.com/' },
      'im.vector.riot.jitsi': { preferredDomain: 'jitsi.example.com' },
      'io.element.e2ee': { default: true },
    });
  });

  // Seed, "When is delegation needed": not when example.com:8448 reaches the homeserver. No server document.
  example('no-delegation.yaml', ({ config }) => {
    expect(buildServerDocument(config)).toBeNull();
    expect(prepareWellKnownDocuments(config).server).toBeNull();
    expect(buildClientDocument(config)).toEqual({ 'm.homeserver': { base_url: 'https://example.com/' } });
  });

  // Spec "Well-known URIs" + Synapse: m.homeserver from public_baseurl (trailing / added), m.identity_server from
  // default_identity_server, extras merged after them.
  example('client-well-known.yaml', ({ config }) => {
    const document = buildClientDocument(config);
    expect(document).toEqual({
      'm.homeserver': { base_url: 'https://matrix.example.com/' },
      'm.identity_server': { base_url: 'https://vector.im' },
      'im.vector.riot.jitsi': { preferredDomain: 'jitsi.example.com' },
      'io.element.e2ee': { default: true },
      'org.matrix.msc4143.rtc_foci': [
        { type: 'livekit', livekit_service_url: 'https://matrix-rtc.example.com/livekit/jwt' },
      ],
      'm.tile_server': { map_style_url: 'https://tiles.example.com/style.json' },
    });
    expect(Object.keys(document ?? {}).slice(0, 2)).toEqual(['m.homeserver', 'm.identity_server']);
    expect(buildServerDocument(config)).toEqual({ 'm.server': 'matrix.example.com:443' });
    expect(prepareWellKnownDocuments(config).client?.headers['cache-control']).toBe(
      'no-cache, no-store, must-revalidate',
    );
  });

  // Spec v1.10 /.well-known/matrix/support: contacts with role and matrix_id and/or email_address, support_page.
  example('support.yaml', ({ config }) => {
    expect(buildSupportDocument(config)).toEqual({
      contacts: [
        { matrix_id: '@admin:example.com', email_address: 'admin@example.com', role: 'm.role.admin' },
        { email_address: 'security@example.com', role: 'm.role.security' },
      ],
      support_page: 'https://example.com/support',
    });
    expect(prepareWellKnownDocuments(config).support?.headers['cache-control']).toBe('max-age=3600');
  });

  // Instances behind a load balancer sharing the tester's results through Redis (issue #7); loading needs no Redis.
  example('shared-cache-redis.yaml', ({ config }) => {
    expect(config.cacheStore).toEqual({
      kind: 'redis',
      url: 'redis://10.0.0.5:6379/0',
      keyPrefix: 'matrix-delegation:',
      maxEntries: 10_000,
      maxBytes: 16_777_216,
    });
    expect(config.tester).toMatchObject({ enabled: true, cacheSeconds: 60 });
    expect(buildServerDocument(config)).toEqual({ 'm.server': 'synapse.example.com:443' });
  });

  it('every file in examples/ is covered above', () => {
    const files = readdirSync(EXAMPLES).filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'));
    expect(files.sort()).toEqual([...tested].sort());
  });
});
