// The generated --full configs run in real nginx, Caddy, Apache httpd and HAProxy; check and the client check pass.

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { AutoDiscoveryAction } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { checkClientDocument } from '../../src/checker/client-document.js';
import { checkCorsHeaders } from '../../src/checker/cors.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { WEB_SERVER_TARGETS, generateProxyConfig, serverCommands } from '../../src/proxy-config/index.js';
import type { WebServerTarget } from '../../src/proxy-config/index.js';
import { resolveDependencies } from '../../src/resolver/options.js';
import { parseConfig } from '../../src/config/index.js';
import type { ServeConfig } from '../../src/config/index.js';
import { prepareWellKnownDocuments } from '../../src/config/documents.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { claimRandomLoopbackAddress, releaseLoopbackAddresses } from '../../src/testing/loopback.js';
import { labDiscovery, type LabDiscovery } from '../support/sdk-discovery.js';
import { findServerBinary, startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';

/**
 * A client setting with every character some config syntax treats specially: quotes, backslashes, `$` (nginx
 * variables), `{$...}` (Caddy environment), `{...}` (Caddy placeholders), `%` (HAProxy and httpd formats), `#`,
 * `;`, a backtick, and non-ASCII text. Every server must still send it byte for byte.
 */
const TRICKY = 'it\'s "quoted" \\ back\\slash $HOME ${x} {$HOME} {http.request.host} %s %% # ; { } `tick` ü € 😀';

let lab: Lab;
let dir: string;
let discovery: LabDiscovery | undefined;
/** The server name the homeserver signs its keys for: the name the running check asks about. */
let keyServerName = 'example.com';
const seed = generateEd25519Seed();

beforeAll(async () => {
  lab = await startLab({
    hosts: {
      // The homeserver behind the web server, plain HTTP like Synapse's own listener on 8008.
      synapse: {
        mode: 'http',
        port: 0,
        routes: {
          'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
          'GET /_matrix/key/v2/server': () => ({
            json: buildSignedKeyResponse({
              serverName: keyServerName,
              keyId: 'ed25519:a_key',
              seed,
              validUntilTs: Date.now() + 86_400_000,
            }),
          }),
          // matrix-js-sdk's AutoDiscovery (37.5.0) needs one of v1.1 to v1.9 among them, as Synapse lists.
          'GET /_matrix/client/versions': {
            json: {
              versions: ['v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8', 'v1.9', 'v1.11', 'v1.12'],
            },
          },
          'GET /_matrix/identity/v2': { json: {} },
        },
      },
    },
  });
  // Readable by the unprivileged workers of nginx and httpd (mkdtemp makes the directory private).
  dir = mkdtempSync(join(tmpdir(), 'md-real-servers-'));
  chmodSync(dir, 0o755);
  const certificate = await lab.ca.issue({ dnsNames: ['example.com', 'matrix.example.com'] });
  writeFileSync(join(dir, 'cert.pem'), certificate.fullChainPem, { mode: 0o644 });
  // The key next to the certificate as "<certificate>.key", the one layout HAProxy reads both paths from.
  writeFileSync(join(dir, 'cert.pem.key'), certificate.keyPem, { mode: 0o600 });
  discovery = labDiscovery(lab, lab.ports.https);
});

afterAll(async () => {
  await discovery?.close();
  await lab?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** The config the web server takes over from `serve`: delegation to matrix.example.com on the lab's HTTPS port. */
function configFor(address: string): ServeConfig {
  const https = lab.ports.https;
  const base = `https://matrix.example.com${https === 443 ? '' : `:${https}`}`;
  const yaml = stringify({
    server_name: 'example.com',
    delegation_target: `matrix.example.com:${https}`,
    public_baseurl: `${base}/`,
    default_identity_server: base,
    extra_well_known_client_content: {
      'org.example.tricky': { text: TRICKY },
      'io.element.e2ee': { default: true },
      // The client settings current clients read (issue 21), served byte for byte like the rest.
      'im.vector.riot.jitsi': { preferredDomain: 'jitsi.example.com' },
      'org.matrix.msc4143.rtc_foci': [
        { type: 'livekit', livekit_service_url: 'https://matrix-rtc.example.com/livekit/jwt' },
      ],
      'org.matrix.msc2965.authentication': { issuer: 'https://account.example.com/' },
      'm.tile_server': { map_style_url: 'https://tiles.example.com/style.json' },
    },
    support: {
      contacts: [{ role: 'm.role.admin', matrix_id: '@admin:example.com', email_address: 'admin@example.com' }],
      support_page: 'https://example.com/support?a=1&b=2',
    },
    listeners: [{ port: https, bind_addresses: [address], tls: true }],
    tls_certificate_path: join(dir, 'cert.pem'),
    tls_private_key_path: join(dir, 'cert.pem.key'),
  });
  const result = parseConfig(yaml, { sourceName: 'real-servers.yaml' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

/** True when nothing listens on the address's HTTPS and federation ports (another process may hold them). */
async function portsFree(address: string): Promise<boolean> {
  for (const port of [lab.ports.https, lab.ports.federation]) {
    const server = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen({ host: address, port }, () => resolve(true));
    });
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    if (!ok) return false;
  }
  return true;
}

interface Fetched {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** One HTTPS request to the web server, as example.com, trusting the lab CA. */
function fetchFrom(address: string, port: number, path: string, method = 'GET'): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: address,
        port,
        path,
        method,
        servername: 'example.com',
        ca: lab.ca.certPem,
        headers: {
          host: 'example.com',
          origin: 'https://client.invalid',
          ...(method === 'OPTIONS' ? { 'access-control-request-method': 'GET' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function checkOptions() {
  return { ...lab.clientOptions(), operationTimeoutMs: 3000 };
}

describe.each(WEB_SERVER_TARGETS.map((t) => [t]))('%s runs the generated --full config', (target: WebServerTarget) => {
  let server: ServerProcess | undefined;
  let address = '';
  let config: ServeConfig;

  beforeAll(async () => {
    const binary = findServerBinary(serverCommands(target, 'unused'));
    const runDir = mkdtempSync(join(dir, `${target}-`));
    chmodSync(runDir, 0o755);
    let lastError: unknown;
    // A random loopback address; another process holding the ports there (rare) means drawing again.
    for (let attempt = 1; attempt <= 3 && server === undefined; attempt++) {
      address = claimRandomLoopbackAddress();
      if (!(await portsFree(address))) continue;
      config = configFor(address);
      const generated = generateProxyConfig(target, config, {
        full: true,
        proxyTo: lab.hosts['synapse']!.url,
        federationPort: lab.ports.federation,
        runDir,
        documentsDir: join(runDir, 'documents'),
      });
      for (const file of generated.files) {
        mkdirSync(join(runDir, 'documents'), { recursive: true, mode: 0o755 });
        writeFileSync(file.path, file.content, { mode: 0o644 });
      }
      const configPath = join(runDir, `${target}.conf`);
      writeFileSync(configPath, generated.text);
      const commands = serverCommands(target, configPath, runDir);
      try {
        server = await startServerProcess(binary, commands.run, {
          ports: [lab.ports.https, lab.ports.federation].map((port) => ({ host: address, port })),
          logFile: join(runDir, 'server.log'),
          cwd: runDir,
        });
      } catch (error) {
        lastError = error;
        releaseLoopbackAddresses([address]);
      }
    }
    if (server === undefined) throw lastError ?? new Error(`no free loopback address for ${target}`);
    // Both names lead to the web server: it serves the documents and proxies the delegated host.
    lab.dns.setName('example.com', { A: [address] });
    lab.dns.setName('matrix.example.com', { A: [address] });
  });

  afterAll(async () => {
    await server?.stop();
    releaseLoopbackAddresses([address]);
  });

  it('federation works through /.well-known/matrix/server (checkServer: federationOk)', async () => {
    keyServerName = 'example.com';
    const report = await checkServer('example.com', checkOptions());
    expect(report.resolution.wellKnown).toMatchObject({
      status: 'delegated',
      mServer: `matrix.example.com:${lab.ports.https}`,
    });
    expect(report.addresses.map((a) => `${a.target.ip}:${a.target.port}`)).toEqual([`${address}:${lab.ports.https}`]);
    expect(report.federationOk, server?.log()).toBe(true);
    expect(report.support?.status).toBe('valid');
  });

  it('federation works on the federation port too (the proxy listener)', async () => {
    const name = `example.com:${lab.ports.federation}`;
    keyServerName = name;
    const report = await checkServer(name, checkOptions());
    expect(report.addresses.map((a) => a.target.port)).toEqual([lab.ports.federation]);
    expect(report.federationOk, server?.log()).toBe(true);
  });

  it('clients discover the homeserver: checkClientDocument SUCCESS, no CORS problem', async () => {
    const { dns, policy } = resolveDependencies(lab.clientOptions());
    const report = await checkClientDocument('example.com', {
      dns,
      policy,
      port: lab.ports.https,
      ca: [lab.ca.certPem],
      timeoutMs: 3000,
    });
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('SUCCESS');
    expect(report.cors.get).toEqual([]);
    expect(report.cors.preflight.missing).toEqual([]);
    expect(report.identityServer?.error).toBeNull();
  });

  it('sends the bytes and headers of `serve` for all three documents, and answers the preflight', async () => {
    const prepared = prepareWellKnownDocuments(config);
    for (const doc of [prepared.server, prepared.client, prepared.support]) {
      expect(doc).not.toBeNull();
      const res = await fetchFrom(address, lab.ports.https, doc!.path);
      expect(res.status).toBe(200);
      expect(res.body.equals(doc!.body), `${doc!.path}: ${res.body.toString('utf8')}`).toBe(true);
      for (const name of [
        'content-type',
        'cache-control',
        'access-control-allow-origin',
        'access-control-allow-methods',
        'access-control-allow-headers',
      ]) {
        expect(res.headers[name], `${doc!.path} ${name}`).toBe(doc!.headers[name]);
      }
      const preflight = await fetchFrom(address, lab.ports.https, doc!.path, 'OPTIONS');
      expect(preflight.status).toBeGreaterThanOrEqual(200);
      expect(preflight.status).toBeLessThan(300);
      expect(checkCorsHeaders(preflight.headers)).toEqual([]);
    }
    expect(prepared.client!.body.toString('utf8')).toContain(JSON.stringify(TRICKY).slice(1, -1));
  });

  it("matrix-js-sdk's AutoDiscovery: SUCCESS for the document it serves, the client settings passed on as served", async () => {
    const found = await discovery!.find('example.com');
    const base = `https://matrix.example.com${lab.ports.https === 443 ? '' : `:${lab.ports.https}`}`;
    expect(found['m.homeserver']).toMatchObject({ state: AutoDiscoveryAction.SUCCESS, error: null, base_url: base });
    expect(found['m.identity_server']).toMatchObject({ state: AutoDiscoveryAction.SUCCESS, error: null });
    for (const key of ['io.element.e2ee', 'im.vector.riot.jitsi', 'org.matrix.msc4143.rtc_foci', 'm.tile_server'])
      expect(found[key], key).toEqual(config.extraWellKnownClientContent[key]);
  });

  it('answers 404 for anything else, and proxies nothing but the Matrix paths', async () => {
    expect((await fetchFrom(address, lab.ports.https, '/index.html')).status).toBe(404);
    expect((await fetchFrom(address, lab.ports.https, '/_matrix/client/versions')).status).toBe(200);
  });
});
