// startLab(): a hermetic federation lab (DNS server, throwaway CA, HTTPS hosts on loopback) in one call.

import { isIP } from 'node:net';
import { MatrixDelegationError } from '../errors.js';
import { createCertificateAuthority, type LabCertificateAuthority } from './certificates.js';
import { startDnsServer, type LabDnsServer } from './dns-server.js';
import { createLabHostServer, type LabHost, type LabHostServer } from './https-host.js';
import {
  addressFamily,
  bindSlots,
  canonicalAddress,
  isLabAddress,
  releaseLoopbackAddresses,
  stopListening,
  type ListenSlot,
  type PortRole,
} from './loopback.js';
import type { LabCertificate, LabCertificateSpec, LabHostSpec, LabNameSpec, LabZones } from './types.js';

/** Options of {@link startLab}. */
export interface LabOptions {
  /** DNS data served by the lab DNS server; A/AAAA may name host keys. Default: no names. */
  readonly zones?: LabZones;
  /** The lab's servers, by key. Default: none. */
  readonly hosts?: Readonly<Record<string, LabHostSpec>>;
  /** Where the DNS server listens (default `127.0.0.1`, an ephemeral port). Loopback only. */
  readonly dns?: { readonly address?: string; readonly port?: number };
}

/** The options a lab hands to matrix-delegation's resolver, checker and client so they use the lab, not the internet. */
export interface LabClientOptions {
  /** The lab DNS server, `"127.0.0.1:PORT"`. */
  dnsServers: string[];
  /** Where `/.well-known/matrix/server` is fetched: `lab.ports.https`. */
  wellKnownPort: number;
  /** The federation port used when no port is delegated: `lab.ports.federation`. */
  defaultPort: number;
  /** The lab CA root, to trust instead of the system store. */
  ca: string[];
  /** The lab's address ranges, allowed although the default policy denies loopback. */
  allowNetworks: string[];
}

/** A running lab. */
export interface Lab {
  /** The lab certificate authority (issue more certificates with `lab.ca.issue`). */
  readonly ca: LabCertificateAuthority;
  /** The root certificate clients must trust. */
  readonly caCertPem: string;
  /** The DNS server (`dns.server` is `"127.0.0.1:PORT"`; `dns.setName` changes records at run time). */
  readonly dns: LabDnsServer;
  /**
   * The ports of the two roles: 443 / 8448 when this process could bind them on every address of the role
   * (root can), else one ephemeral number shared by all hosts of the role. Tell the code under test.
   */
  readonly ports: { readonly https: number; readonly federation: number };
  /** The running hosts, by key. */
  readonly hosts: Readonly<Record<string, LabHost>>;
  /**
   * The address given to a host.
   *
   * @throws MatrixDelegationError `INVALID_ARGUMENT` for an unknown key.
   */
  address(hostKey: string): string;
  /** Options for matrix-delegation's resolver, checker and client (fresh arrays on every call). */
  clientOptions(): LabClientOptions;
  /** Closes the hosts (destroying open connections) and the DNS server. Idempotent; never hangs on keep-alive clients. */
  close(): Promise<void>;
}

/** The lab's address ranges, for the address policy's allow-list. */
const LAB_NETWORKS: readonly string[] = ['127.0.0.0/8', '::1/128'];
/** How deep the default certificate follows CNAMEs from a zone name to a host (the DNS server's own limit is 8). */
const MAX_CNAME_DEPTH = 8;

function invalid(message: string, detail?: Record<string, unknown>): MatrixDelegationError {
  return new MatrixDelegationError(
    'INVALID_ARGUMENT',
    `startLab: ${message}`,
    detail === undefined ? undefined : { detail },
  );
}

/** A host spec checked and normalized. */
interface HostPlan {
  readonly key: string;
  readonly spec: LabHostSpec;
  readonly mode: NonNullable<LabHostSpec['mode']>;
  readonly fixedAddress: string | undefined;
  readonly port: number | PortRole;
}

function isCertificate(value: LabCertificateSpec | LabCertificate): value is LabCertificate {
  return 'certPem' in value && typeof value.certPem === 'string';
}

/** Checks one host spec; returns the normalized plan. */
function planHost(key: string, spec: LabHostSpec): HostPlan {
  if (key === '' || isIP(key) !== 0) {
    throw invalid(
      `host key ${JSON.stringify(key)} must be a non-empty name that is not an IP literal (zones' A/AAAA refer to hosts by key)`,
    );
  }
  const mode = spec.mode ?? 'https';
  if (!['https', 'http', 'plain-tcp'].includes(mode)) {
    throw invalid(`host ${key}: mode must be 'https', 'http' or 'plain-tcp', got ${JSON.stringify(mode)}`, {
      host: key,
    });
  }
  let fixedAddress: string | undefined;
  if (spec.address !== undefined) {
    if (!isLabAddress(spec.address)) {
      throw invalid(
        `host ${key}: address ${JSON.stringify(spec.address)} is not a loopback address (127.0.0.0/8 or ::1); the lab never listens anywhere else`,
        {
          host: key,
          address: spec.address,
        },
      );
    }
    fixedAddress = canonicalAddress(spec.address)!;
  }
  const port = spec.port ?? 'https';
  if (
    port !== 'https' &&
    port !== 'federation' &&
    !(typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535)
  ) {
    throw invalid(
      `host ${key}: port must be 'https', 'federation' or an integer from 0 to 65535, got ${JSON.stringify(port)}`,
      { host: key },
    );
  }
  if (spec.certificates !== undefined) {
    if (mode !== 'https')
      throw invalid(`host ${key}: certificates apply only to mode 'https' (this host is '${mode}')`, { host: key });
    if (spec.certificates.length === 0)
      throw invalid(`host ${key}: certificates is empty; omit it for the default certificate`, { host: key });
  }
  return { key, spec, mode, fixedAddress, port };
}

/** Rejects two hosts that could never both listen: the same fixed address with the same role or number. */
function checkClashes(plans: readonly HostPlan[]): void {
  const seen = new Map<string, string>();
  for (const plan of plans) {
    if (plan.fixedAddress === undefined || plan.port === 0) continue;
    const slot = `${plan.fixedAddress} ${String(plan.port)}`;
    const other = seen.get(slot);
    if (other !== undefined) {
      throw invalid(
        `hosts ${other} and ${plan.key} both want ${plan.fixedAddress} with port ${String(plan.port)}; give one another address or port`,
        {
          hosts: [other, plan.key],
        },
      );
    }
    seen.set(slot, plan.key);
  }
}

/**
 * Checks that every A/AAAA entry is an IP literal of the right family or a host whose address has that
 * family. Random addresses are IPv4; `::1` is the only IPv6 loopback address, so an AAAA naming a host
 * needs that host at `address: '::1'`.
 */
function checkHostRefs(zones: LabZones, plans: ReadonlyMap<string, HostPlan>): void {
  for (const [name, spec] of Object.entries(zones)) {
    for (const [type, family] of [
      ['A', 4],
      ['AAAA', 6],
    ] as const) {
      for (const entry of spec[type] ?? []) {
        if (isIP(entry) !== 0) continue;
        const plan = plans.get(entry);
        if (plan === undefined) {
          throw invalid(
            `zone ${name}: ${type} names ${JSON.stringify(entry)}, which is neither an IP address nor a host key (hosts: ${[...plans.keys()].join(', ') || 'none'})`,
            {
              name,
              entry,
            },
          );
        }
        const hostFamily = plan.fixedAddress === undefined ? 4 : addressFamily(plan.fixedAddress);
        if (hostFamily !== family) {
          const address = plan.fixedAddress ?? 'a random 127.x.y.z address';
          throw invalid(
            family === 6
              ? `zone ${name}: AAAA names host ${entry}, whose address is ${address} (IPv4); ::1 is the only IPv6 loopback address, so give host ${entry} address '::1' or use an A record`
              : `zone ${name}: A names host ${entry}, whose address is ${address} (IPv6); use an AAAA record`,
            { name, entry },
          );
        }
      }
    }
  }
}

function lowerName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * The zone names whose A/AAAA lead to `address`: directly (an IP literal or a host key with that address)
 * or through CNAMEs. These are the names a client may use to reach the host, so its default certificate
 * must carry them all.
 */
function namesPointingAt(zones: LabZones, address: string, addressOf: (key: string) => string | undefined): string[] {
  const table = new Map<string, LabNameSpec>(Object.entries(zones).map(([name, spec]) => [lowerName(name), spec]));
  const reaches = (name: string, depth: number): boolean => {
    const spec = table.get(name);
    if (spec === undefined || depth > MAX_CNAME_DEPTH) return false;
    const entries = [...(spec.A ?? []), ...(spec.AAAA ?? [])];
    if (entries.some((entry) => (isIP(entry) !== 0 ? canonicalAddress(entry) : addressOf(entry)) === address))
      return true;
    return spec.CNAME !== undefined && reaches(lowerName(spec.CNAME), depth + 1);
  };
  return [...table.keys()].filter((name) => reaches(name, 0));
}

/**
 * Starts a federation lab: a throwaway CA, an authoritative DNS server for `zones`, and one HTTPS (or
 * HTTP, or silent TCP) server per entry of `hosts`, each on its own loopback address.
 *
 * Addresses: a host without `address` gets a random 127.a.b.c no other lab uses, so labs in parallel test
 * workers never collide. Ports: hosts in the `'https'` role share `lab.ports.https` (443 when bindable,
 * e.g. as root), the `'federation'` role shares `lab.ports.federation` (8448 when bindable); pass these
 * numbers to the code under test ({@link Lab.clientOptions}) and tests pass whether or not they run as root.
 * Certificates: by default each HTTPS host gets a valid certificate for every zone name pointing at it
 * (by host key, by IP or through a CNAME) and for its IP; `certificates` gives others (a spec's missing
 * `dnsNames` / `ipAddresses` default to those names / that IP). Everything starts in parallel: DNS plus five hosts take a few tens of ms.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for an unknown host key in the zones, a non-loopback
 *   address, a bad port or mode, or two hosts that cannot both listen.
 * @example
 * ```ts
 * import { resolveServerName } from 'matrix-delegation';
 * import { startLab } from 'matrix-delegation/testing';
 *
 * // example.com delegates to matrix.example.com:443 through its well-known document. The delegated
 * // port is the lab's HTTPS port (443 as root, else an ephemeral one), so the handler reads it when called.
 * const lab = await startLab({
 *   zones: {
 *     'example.com': { A: ['web'] },
 *     'matrix.example.com': { A: ['synapse'] },
 *   },
 *   hosts: {
 *     web: { routes: { 'GET /.well-known/matrix/server': () => ({ json: { 'm.server': `matrix.example.com:${lab.ports.https}` } }) } },
 *     synapse: { routes: { 'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.0' } } } } },
 *   },
 * });
 * try {
 *   const result = await resolveServerName('example.com', lab.clientOptions());
 *   // One target: lab.address('synapse') port lab.ports.https, Host "matrix.example.com:<port>",
 *   // SNI and certificate name "matrix.example.com" (the default certificate of `synapse` carries it).
 * } finally {
 *   await lab.close();
 * }
 * ```
 */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const zones: LabZones = options.zones ?? {};
  const plans = new Map<string, HostPlan>();
  for (const [key, spec] of Object.entries(options.hosts ?? {})) plans.set(key, planHost(key, spec));
  checkClashes([...plans.values()]);
  checkHostRefs(zones, plans);
  const dnsAddress = options.dns?.address ?? '127.0.0.1';
  if (!isLabAddress(dnsAddress)) {
    throw invalid(`dns.address ${JSON.stringify(dnsAddress)} is not a loopback address (127.0.0.0/8 or ::1)`);
  }
  const dnsPort = options.dns?.port ?? 0;
  if (!Number.isInteger(dnsPort) || dnsPort < 0 || dnsPort > 65535) {
    throw invalid(`dns.port must be an integer from 0 to 65535, got ${String(dnsPort)}`);
  }

  // Creating servers also checks the routes, before anything is bound.
  const servers = new Map<string, LabHostServer>();
  for (const plan of plans.values()) {
    servers.set(
      plan.key,
      createLabHostServer({
        key: plan.key,
        mode: plan.mode,
        ...(plan.spec.routes === undefined ? {} : { routes: plan.spec.routes }),
        ...(plan.spec.fallback === undefined ? {} : { fallback: plan.spec.fallback }),
        ...(plan.spec.acceptDelayMs === undefined ? {} : { acceptDelayMs: plan.spec.acceptDelayMs }),
      }),
    );
  }

  // The CA's keys are generated while the hosts bind; the DNS server starts as soon as addresses are
  // final (it resolves host keys per query), in parallel with certificate issuance.
  const caPromise = createCertificateAuthority({ commonName: 'matrix-delegation lab' });
  caPromise.catch(() => {});
  const slots: ListenSlot[] = [...plans.values()].map((plan) => ({
    server: servers.get(plan.key)!.server,
    fixedAddress: plan.fixedAddress,
    port: plan.port,
  }));
  let randomAddresses: readonly string[] = [];
  let dns: LabDnsServer | undefined;
  const hosts: Record<string, LabHost> = {};
  const addresses = new Map<string, string>();

  const addressOf = (key: string): string | undefined => addresses.get(key);
  const resolveHostRef = (ref: string, family: 4 | 6): string => {
    const address = addresses.get(ref);
    if (address === undefined)
      throw invalid(`no lab host ${JSON.stringify(ref)} (hosts: ${[...addresses.keys()].join(', ') || 'none'})`);
    if (addressFamily(address) !== family) {
      throw invalid(
        `host ${ref} has address ${address}, which is not IPv${family}: ${family === 6 ? '::1 is the only IPv6 loopback address' : 'use an AAAA record'}`,
      );
    }
    return address;
  };

  const cleanUp = async (): Promise<void> => {
    await Promise.allSettled([...servers.values()].map((s) => s.close().then(() => stopListening(s.server))));
    if (dns !== undefined) await dns.close().catch(() => {});
    releaseLoopbackAddresses(randomAddresses);
  };

  let ports: { https: number; federation: number };
  let ca: LabCertificateAuthority;
  try {
    const bindResult = await bindSlots(slots);
    randomAddresses = bindResult.randomAddresses;
    ports = { ...bindResult.ports };
    [...plans.keys()].forEach((key, i) => addresses.set(key, bindResult.bound[i]!.address));

    const dnsPromise = startDnsServer({ zones, resolveHostRef, address: dnsAddress, port: dnsPort });
    const [dnsResult, caResult] = await Promise.allSettled([dnsPromise, caPromise]);
    if (dnsResult.status === 'fulfilled') dns = dnsResult.value;
    if (dnsResult.status === 'rejected') throw dnsResult.reason;
    if (caResult.status === 'rejected') throw caResult.reason;
    ca = caResult.value;
    const theCa = ca;

    const certificates = await Promise.all(
      [...plans.values()].map(async (plan): Promise<LabCertificate[]> => {
        if (plan.mode !== 'https') return [];
        const address = addresses.get(plan.key)!;
        const wanted = plan.spec.certificates ?? [{}];
        return Promise.all(
          wanted.map((entry) => {
            if (isCertificate(entry)) return entry;
            // Names left out default to how the host is reached: the zone names pointing at it and its IP
            // (so `{ kind: 'expired' }` is expired for the right names; `ipAddresses: []` opts out of the IP).
            const spec: LabCertificateSpec = {
              ...entry,
              dnsNames: entry.dnsNames ?? namesPointingAt(zones, address, addressOf),
              ipAddresses: entry.ipAddresses ?? [address],
            };
            return theCa.issue(spec);
          }),
        );
      }),
    );
    [...plans.values()].forEach((plan, i) => {
      const bound = bindResult.bound[i]!;
      hosts[plan.key] = servers
        .get(plan.key)!
        .activate({ address: bound.address, port: bound.port, certificates: certificates[i]! });
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }

  const theDns = dns!;
  let closing: Promise<void> | undefined;
  const frozenPorts = Object.freeze(ports);
  return {
    ca,
    caCertPem: ca.certPem,
    dns: theDns,
    ports: frozenPorts,
    hosts: Object.freeze(hosts),
    address(hostKey: string): string {
      const address = addresses.get(hostKey);
      if (address === undefined)
        throw invalid(`no lab host ${JSON.stringify(hostKey)} (hosts: ${[...addresses.keys()].join(', ') || 'none'})`);
      return address;
    },
    clientOptions(): LabClientOptions {
      return {
        dnsServers: [theDns.server],
        wellKnownPort: frozenPorts.https,
        defaultPort: frozenPorts.federation,
        ca: [ca.certPem],
        allowNetworks: [...LAB_NETWORKS],
      };
    },
    close(): Promise<void> {
      closing ??= cleanUp();
      return closing;
    },
  };
}
