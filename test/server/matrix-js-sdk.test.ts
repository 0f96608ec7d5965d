// A real Matrix client against the server: matrix-js-sdk's AutoDiscovery over HTTPS, names from the lab DNS, lab CA.
//
// matrix-js-sdk (37.5.0, an ES module package: `import { AutoDiscovery } from 'matrix-js-sdk'` works on Node 20)
// fetches `https://<server_name>/.well-known/matrix/client`, then `<base_url>/_matrix/client/versions` and
// `<identity base_url>/_matrix/identity/v2` (client-server API, "Server Discovery"). Nothing may leave the machine,
// so the SDK's fetch function is an undici fetch whose dispatcher resolves every host name through the lab DNS
// server (and nothing else: an unknown name fails) and trusts only the lab CA. matrix-delegation itself listens
// with a lab certificate for the server name on a fresh loopback address, on port 443 when the process may bind it.

import { Resolver } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { AutoDiscovery, AutoDiscoveryAction } from 'matrix-js-sdk';
import type { ClientConfig } from 'matrix-js-sdk';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { claimRandomLoopbackAddress, releaseLoopbackAddresses } from '../../src/testing/loopback.js';
import { captureLogger, testConfig } from './http-helpers.js';

/** What Synapse 1.1xx lists: old r0 versions and v1.1 to v1.11 (matrix-js-sdk 37.5.0 needs one of v1.1-v1.9). */
const SYNAPSE_VERSIONS = [
  'r0.5.0',
  'r0.6.0',
  'r0.6.1',
  'v1.1',
  'v1.2',
  'v1.3',
  'v1.4',
  'v1.5',
  'v1.6',
  'v1.7',
  'v1.8',
  'v1.9',
  'v1.10',
  'v1.11',
];

const GOOD = 'sdk-good.example.org';
const BROKEN = 'sdk-broken.example.org';
const NEWONLY = 'sdk-newonly.example.org';
const NOCLIENT = 'sdk-noclient.example.org';

/** One matrix-delegation server, HTTPS with a lab certificate for its server name, on its own loopback address. */
interface Delegation {
  readonly server: RunningServer;
  readonly address: string;
  readonly port: number;
  readonly log: Record<string, unknown>[];
}

let lab: Lab;
let agent: Agent;
const delegations = new Map<string, Delegation>();
/** Every host name the SDK's connections looked up, in order. */
const lookups: string[] = [];

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * Starts matrix-delegation for `serverName` with the config body `yaml` and points the name's A record at it.
 * Port 443 when this process may bind it (root, as in CI); otherwise an ephemeral port, which the fetch function
 * below substitutes, because the SDK always asks `https://<server_name>/` and cannot be told a port.
 */
async function startDelegation(serverName: string, yaml: string): Promise<Delegation> {
  const cert = await lab.ca.issue({ dnsNames: [serverName] });
  const log = captureLogger('debug');
  let port = 443;
  for (let attempt = 0; ; attempt++) {
    const address = claimRandomLoopbackAddress();
    const base = testConfig(`server_name: ${serverName}\n${yaml}`, [{ port, bindAddresses: [address], tls: true }]);
    const config = {
      ...base,
      tls: {
        certificatePath: '/lab/cert.pem',
        privateKeyPath: '/lab/key.pem',
        certificatePem: cert.fullChainPem,
        privateKeyPem: cert.keyPem,
      },
    };
    try {
      const server = await startServer(config, { logger: log.logger });
      const bound = server.listeners[0]!.port;
      lab.dns.setName(serverName, { A: [address] });
      const delegation = { server, address, port: bound, log: log.lines };
      delegations.set(serverName, delegation);
      return delegation;
    } catch (error) {
      releaseLoopbackAddresses([address]);
      const code = errorCode(error);
      if (code === 'EACCES' && port === 443) port = 0;
      else if (code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}

/** The fetch function handed to the SDK: undici with the lab's DNS and CA, the delegation port substituted if not 443. */
function labFetch(
  input: string | URL | { url: string },
  init?: Parameters<typeof undiciFetch>[1],
): ReturnType<typeof undiciFetch> {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const delegation = delegations.get(url.hostname);
  // Only when not root: the well-known URL has no port (443 implied); send it to the port actually bound.
  if (delegation !== undefined && url.protocol === 'https:' && url.port === '' && delegation.port !== 443)
    url.port = String(delegation.port);
  return undiciFetch(url, { ...init, dispatcher: agent });
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      [`matrix.${GOOD}`]: { A: ['hsgood'] },
      [`identity.${GOOD}`]: { A: ['identity'] },
      [`matrix.${BROKEN}`]: { A: ['hsbroken'] },
      [`matrix.${NEWONLY}`]: { A: ['hsnew'] },
    },
    hosts: {
      hsgood: {
        routes: { 'GET /_matrix/client/versions': { json: { versions: SYNAPSE_VERSIONS, unstable_features: {} } } },
      },
      // Not a homeserver (or a misrouted proxy): the versions endpoint is missing.
      hsbroken: {
        routes: {
          'GET /_matrix/client/versions': {
            status: 404,
            json: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' },
          },
        },
      },
      // A homeserver that only speaks the newest spec version.
      hsnew: { routes: { 'GET /_matrix/client/versions': { json: { versions: ['v1.11'] } } } },
      identity: { routes: { 'GET /_matrix/identity/v2': { json: {} } } },
    },
  });

  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([lab.dns.server]);
  // Every name goes to the lab DNS server: a name it does not know fails instead of reaching the internet.
  const lookup: LookupFunction = (hostname, options, callback) => {
    lookups.push(hostname);
    resolver.resolve4(hostname, (error, addresses) => {
      const first = addresses?.[0];
      if (error !== null || first === undefined) {
        callback(error ?? Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
        return;
      }
      if (options.all === true)
        callback(
          null,
          addresses.map((address) => ({ address, family: 4 })),
        );
      else callback(null, first, 4);
    });
  };
  agent = new Agent({ connect: { lookup, ca: [lab.caCertPem] } });
  AutoDiscovery.setFetchFn(labFetch as unknown as typeof globalThis.fetch);

  const port = lab.ports.https === 443 ? '' : `:${lab.ports.https}`;
  await Promise.all([
    startDelegation(
      GOOD,
      `public_baseurl: https://matrix.${GOOD}${port}\ndefault_identity_server: https://identity.${GOOD}${port}\nextra_well_known_client_content:\n  org.example.custom: {enabled: true}\n`,
    ),
    startDelegation(BROKEN, `public_baseurl: https://matrix.${BROKEN}${port}\n`),
    startDelegation(NEWONLY, `public_baseurl: https://matrix.${NEWONLY}${port}\n`),
    // Delegates federation but serves no client document: 404.
    startDelegation(NOCLIENT, `delegation_target: matrix.${NOCLIENT}:443\n`),
  ]);
});

afterAll(async () => {
  await Promise.all([...delegations.values()].map((d) => d.server.close({ timeoutMs: 0 })));
  releaseLoopbackAddresses([...delegations.values()].map((d) => d.address));
  await agent?.close();
  await lab?.close();
});

/** The request lines matrix-delegation logged (debug level logs every request with its route and status). */
function served(delegation: Delegation | undefined): string[] {
  return (delegation?.log ?? [])
    .filter((line) => line.msg === 'request')
    .map((line) => `${String(line.method)} ${String(line.path)} ${String(line.status)}`);
}

describe('matrix-js-sdk AutoDiscovery against matrix-delegation', () => {
  it('SUCCESS for a server name whose client document matrix-delegation serves; homeserver and identity server verified', async () => {
    const port = lab.ports.https === 443 ? '' : `:${lab.ports.https}`;
    lab.hosts.hsgood!.resetCounters();
    const config: ClientConfig = await AutoDiscovery.findClientConfig(GOOD);

    expect(config['m.homeserver']).toMatchObject({
      state: AutoDiscoveryAction.SUCCESS,
      error: null,
      base_url: `https://matrix.${GOOD}${port}`,
    });
    expect(config['m.identity_server']).toMatchObject({
      state: AutoDiscoveryAction.SUCCESS,
      error: null,
      base_url: `https://identity.${GOOD}${port}`,
    });
    // Extra keys are passed through to the client as served.
    expect(config['org.example.custom']).toEqual({ enabled: true });

    // The document came from matrix-delegation (over TLS with the server name's certificate), then the SDK asked
    // the homeserver named in it, with that name as Host and SNI.
    expect(served(delegations.get(GOOD))).toEqual(['GET /.well-known/matrix/client 200']);
    const versions = lab.hosts.hsgood!.requests;
    expect(versions.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /_matrix/client/versions']);
    expect(versions[0]?.sni).toBe(`matrix.${GOOD}`);
    expect(lab.hosts.identity!.requests.map((r) => r.path)).toContain('/_matrix/identity/v2');
    expect(lookups).toEqual(expect.arrayContaining([GOOD, `matrix.${GOOD}`, `identity.${GOOD}`]));
  });

  it('an error state when the homeserver in the document answers /versions with 404', async () => {
    const port = lab.ports.https === 443 ? '' : `:${lab.ports.https}`;
    const config = await AutoDiscovery.findClientConfig(BROKEN);
    expect(config['m.homeserver']).toMatchObject({
      state: AutoDiscoveryAction.FAIL_ERROR,
      error: AutoDiscovery.ERROR_INVALID_HOMESERVER,
      base_url: `https://matrix.${BROKEN}${port}`,
    });
    expect(served(delegations.get(BROKEN))).toEqual(['GET /.well-known/matrix/client 200']);
    expect(lab.hosts.hsbroken!.requests.map((r) => r.path)).toEqual(['/_matrix/client/versions']);
  });

  it('an error state when the homeserver lists only v1.11: matrix-js-sdk 37.5.0 needs one of v1.1 to v1.9', async () => {
    const config = await AutoDiscovery.findClientConfig(NEWONLY);
    expect(config['m.homeserver']).toMatchObject({
      state: AutoDiscoveryAction.FAIL_ERROR,
      error: AutoDiscovery.ERROR_UNSUPPORTED_HOMESERVER_SPEC_VERSION,
    });
  });

  it('PROMPT (no client well-known) when the config serves no client document: the 404 reads as "not configured"', async () => {
    const config = await AutoDiscovery.findClientConfig(NOCLIENT);
    expect(config['m.homeserver']).toMatchObject({ state: AutoDiscoveryAction.PROMPT, error: null, base_url: null });
    expect(served(delegations.get(NOCLIENT))).toEqual(['GET /.well-known/matrix/client 404']);
  });
});
