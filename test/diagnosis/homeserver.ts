// Test helper: lab routes that make a lab host look like a working homeserver (version, signed keys, client versions).

import { createServer } from 'node:net';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import type { Lab, LabHandler, LabRequest, LabResponse } from '../../src/testing/index.js';

/** The Host header of a lab request without its port. */
export function hostOf(req: LabRequest): string {
  const host = req.host ?? '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

/** Options of {@link homeserverRoutes}. */
export interface HomeserverOptions {
  /** The `server_name` the keys carry for a request's Host (without port). Default: the host without a leading `hs.`. */
  readonly serverNameFor?: (host: string) => string;
  /** `valid_until_ts` of the keys. Default: a day from the request. */
  readonly validUntilTs?: () => number;
  /** `server.name` of the version answer. Default `Synapse`. */
  readonly software?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `GET /_matrix/federation/v1/version`, a correctly signed `GET /_matrix/key/v2/server` (one key per helper) and
 * `GET /_matrix/client/versions`: what the checker needs to see a working homeserver.
 */
export function homeserverRoutes(options: HomeserverOptions = {}): Record<string, LabHandler> {
  const seed = generateEd25519Seed();
  const serverNameFor = options.serverNameFor ?? ((host: string) => host.replace(/^hs\./, ''));
  return {
    'GET /_matrix/federation/v1/version': {
      json: { server: { name: options.software ?? 'Synapse', version: '1.120.0' } },
    },
    'GET /_matrix/key/v2/server': (req): LabResponse => ({
      json: buildSignedKeyResponse({
        serverName: serverNameFor(hostOf(req)),
        keyId: 'ed25519:lab',
        seed,
        validUntilTs: options.validUntilTs?.() ?? Date.now() + DAY_MS,
      }),
    }),
    'GET /_matrix/client/versions': { json: { versions: ['v1.11', 'v1.12'] } },
  };
}

/** What a plain web server answers for paths it does not know: nginx's 404 page. */
export const NGINX_404: LabResponse = {
  status: 404,
  body: '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n',
  headers: { 'content-type': 'text/html' },
};

/** The allow-list that lets the checker reach exactly the lab's hosts (and `extra`), so deny-list behaviour stays real. */
export function labAllowNetworks(lab: Lab, extra: readonly string[] = []): string[] {
  const hosts = Object.values(lab.hosts).map((h) => (h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`));
  return [...new Set([...hosts, ...extra])];
}

/**
 * Distinct TCP ports that are free on `address` right now (each held open until all are found, then released):
 * for lab hosts that must listen on a known number, or for "nothing listens there" scenarios.
 */
export async function freePorts(address: string, count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, address, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a !== null ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}
