// A lab of watched names that can be broken and fixed at run time: well-known removed, certificate replaced, address gone silent.

import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import type { CheckOptions } from '../../src/checker/types.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabHostSpec, LabNameSpec } from '../../src/testing/index.js';
import { createLongLivedCa } from '../support/long-lived-ca.js';

const seed = generateEd25519Seed();

/** The lab and the switches of its names. */
export interface MonitorLab {
  readonly lab: Lab;
  /** Every CA the checks must trust (the lab's, and the one of the long-lived certificates). */
  readonly caPems: readonly string[];
  /** `prefix` -> `prefix.example.org`. */
  name(prefix: string): string;
  /** The end of the certificate the name's homeserver sends (as issued). */
  certificateNotAfter(prefix: string): Date;
  /** Options for `checkServer` (and the monitor): the lab's DNS, ports, CAs and networks, short budgets. */
  checkOptions(): CheckOptions;
  /** Serves 404 instead of the server well-known of the name (and back). */
  setWellKnown(prefix: string, served: boolean): void;
  /** Points the name's homeserver at a host whose certificate lacks its name (and back). */
  setCertificateWithoutName(prefix: string, replaced: boolean): void;
  /** Adds an address that accepts connections and never answers to the name's homeserver (and back). */
  setSilentAddress(prefix: string, silent: boolean): void;
  close(): Promise<void>;
}

/** Options of {@link startMonitorLab}. */
export interface MonitorLabOptions {
  /** Names (prefixes) served by the healthy homeserver, each delegating through its well-known. */
  readonly names: readonly string[];
  /** Names whose homeserver's certificate ends within 5 days. */
  readonly expiring?: readonly string[];
}

/** The federation routes of a homeserver whose keys are signed for the server name its Host header delegates from. */
function federationRoutes(): NonNullable<LabHostSpec['routes']> {
  return {
    'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
    'GET /_matrix/key/v2/server': (req) => ({
      json: buildSignedKeyResponse({
        // matrix.<name>:<port> serves <name>
        serverName: (req.host ?? '').replace(/:\d+$/, '').replace(/^matrix\./, ''),
        keyId: 'ed25519:a_key',
        seed,
        validUntilTs: Date.now() + 7 * 86_400_000,
      }),
    }),
  };
}

/**
 * Starts the lab: `<prefix>.example.org` delegates by its well-known (host `web`) to `matrix.<prefix>.example.org` on
 * the federation port, served by `synapse` with 90-day certificates (so no expiry warning), or by `expiring` (a
 * 5-day certificate) for the `expiring` names. `wrongcert` serves the same API with a certificate for another name;
 * `silent` accepts TCP and never speaks.
 */
export async function startMonitorLab(options: MonitorLabOptions): Promise<MonitorLab> {
  const long = await createLongLivedCa();
  const name = (prefix: string): string => `${prefix}.example.org`;
  const all = [...options.names, ...(options.expiring ?? [])];
  const [synapseCerts, expiringCerts, wrongCert] = await Promise.all([
    Promise.all(options.names.map((p) => long.issue([`matrix.${name(p)}`]))),
    Promise.all((options.expiring ?? []).map((p) => long.issue([`matrix.${name(p)}`], 5))),
    long.issue(['other.example.net']),
  ]);
  const zones: Record<string, LabNameSpec> = {};
  for (const p of options.names) {
    zones[name(p)] = { A: ['web'] };
    zones[`matrix.${name(p)}`] = { A: ['synapse'] };
  }
  for (const p of options.expiring ?? []) {
    zones[name(p)] = { A: ['web'] };
    zones[`matrix.${name(p)}`] = { A: ['expiring'] };
  }
  const withoutWellKnown = new Set<string>();
  // The well-known handler needs the federation port, known once the lab runs.
  const ref: { lab?: Lab } = {};
  const started = await startLab({
    zones,
    hosts: {
      web: {
        port: 'https',
        certificates: [{ dnsNames: all.map(name) }],
        routes: {
          'GET /.well-known/matrix/server': (req) => {
            const host = (req.host ?? '').replace(/:\d+$/, '');
            if (withoutWellKnown.has(host)) return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
            return { json: { 'm.server': `matrix.${host}:${ref.lab?.ports.federation ?? 8448}` } };
          },
        },
      },
      synapse: { port: 'federation', certificates: synapseCerts, routes: federationRoutes() },
      ...(expiringCerts.length > 0
        ? { expiring: { port: 'federation' as const, certificates: expiringCerts, routes: federationRoutes() } }
        : {}),
      wrongcert: { port: 'federation', certificates: [wrongCert], routes: federationRoutes() },
      silent: { port: 'federation', mode: 'plain-tcp' },
    },
  });
  ref.lab = started;
  const caPems = [started.caCertPem, long.certPem];
  return {
    lab: started,
    caPems,
    name,
    certificateNotAfter(prefix) {
      const all = [...synapseCerts, ...expiringCerts];
      const cert = all.find((c) => c.dnsNames.includes(`matrix.${name(prefix)}`));
      if (cert === undefined) throw new Error(`no certificate for ${prefix}`);
      return cert.notAfter;
    },
    checkOptions: () => ({
      ...started.clientOptions(),
      ca: [...caPems],
      timeoutMs: 4_000,
      operationTimeoutMs: 1_000,
    }),
    setWellKnown(prefix, served) {
      if (served) withoutWellKnown.delete(name(prefix));
      else withoutWellKnown.add(name(prefix));
    },
    setCertificateWithoutName(prefix, replaced) {
      started.dns.setName(`matrix.${name(prefix)}`, { A: [started.address(replaced ? 'wrongcert' : 'synapse')] });
    },
    setSilentAddress(prefix, silent) {
      const addresses = [started.address('synapse'), ...(silent ? [started.address('silent')] : [])];
      started.dns.setName(`matrix.${name(prefix)}`, { A: addresses });
    },
    close: () => started.close(),
  };
}
