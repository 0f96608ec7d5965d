// DNS: the zone-file lines a config implies (address records of the server name, the SRV record of SRV delegation).

import { isIP } from 'node:net';
import { MatrixDelegationError } from '../errors.js';
import type { ServeConfig } from '../config/types.js';
import { buildServerDocument } from '../config/documents.js';
import { parseServerName } from '../server-name/index.js';
import { VERSION } from '../version.js';
import { DEFAULT_FEDERATION_PORT } from './model.js';
import type { GeneratedConfig, ProxyConfigOptions } from './types.js';

/** The TTL written on every record (one hour: short enough to change a delegation within the day). */
export const ZONE_TTL_SECONDS = 3600;

/** An SRV record of `_matrix-fed._tcp.<serverHost>` pointing at `target:port`, in zone-file syntax. */
export function srvRecordLine(serverHost: string, target: string, port: number): string {
  // Priority 10, weight 5: the usual values for a single record (RFC 2782 ordering only matters between records).
  return `_matrix-fed._tcp.${serverHost.toLowerCase()}. ${ZONE_TTL_SECONDS} IN SRV 10 5 ${port} ${target.toLowerCase()}.`;
}

/** `host[:port]` of an SRV target: a DNS name (RFC 2782: never an IP address), port default 8448. */
export function parseSrvTarget(text: string): { host: string; port: number } {
  const parsed = parseServerName(text);
  if (!parsed.ok || parsed.value.kind !== 'dns') {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `the SRV target ${JSON.stringify(text)} must be a host name with an optional port (e.g. synapse.example.com:443); an SRV record cannot point at an IP address`,
    );
  }
  return { host: parsed.value.host, port: parsed.value.port ?? DEFAULT_FEDERATION_PORT };
}

/** Public addresses (not loopback, private, link-local or unspecified) that a listener names, by family. */
function publicAddresses(config: ServeConfig): { v4: string[]; v6: string[] } {
  const v4 = new Set<string>();
  const v6 = new Set<string>();
  for (const listener of config.listeners) {
    for (const ip of listener.bindAddresses) {
      if (isIP(ip) === 4 && !/^(0\.|127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip)) v4.add(ip);
      if (isIP(ip) === 6 && !/^(::1?$|fe80:|fc|fd)/i.test(ip)) v6.add(ip);
    }
  }
  return { v4: [...v4], v6: [...v6] };
}

/** The SRV delegation explanation, as comment lines (spec server-server API, "Resolving server names" steps 4-5). */
function srvCaveats(serverHost: string, target: string): string[] {
  return [
    `; SRV delegation: servers connect to ${target} but send Host: ${serverHost} and expect a certificate valid for`,
    `; ${serverHost} (not for ${target}) there. This certificate handling is why SRV delegation is not recommended.`,
    `; SRV records carry federation only: clients still need https://${serverHost}/.well-known/matrix/client for the`,
    '; homeserver URL and client-wide settings (Jitsi, default encryption, ...), which no DNS record can carry.',
    '; The deprecated _matrix._tcp name is not needed: servers ask for it only when _matrix-fed._tcp has no records.',
  ];
}

/**
 * The DNS records a config implies, in zone-file syntax (absolute names, TTL 3600):
 * - the address records of the server name (the well-known documents are fetched from it, port 443), with the
 *   public addresses of the listeners or, when they bind wildcards, as templates to fill in;
 * - with well-known delegation, no SRV record (and, for an `m.server` without port, the optional
 *   `_matrix-fed._tcp` record of the delegated host);
 * - without a server document, the SRV record `_matrix-fed._tcp.<server name>` to `srvTarget`, or, when none is
 *   given, that record commented out as an example.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for a `srvTarget` that is not `host[:port]`.
 * @example
 * ```ts
 * dnsRecords(config, { srvTarget: 'synapse.example.com:443' }).text;
 * // ... _matrix-fed._tcp.example.com. 3600 IN SRV 10 5 443 synapse.example.com.
 * ```
 */
export function dnsRecords(config: ServeConfig, options: ProxyConfigOptions = {}): GeneratedConfig {
  const name = config.serverNameParts;
  const lines = [
    `; matrix-delegation ${VERSION}: DNS records for ${config.serverName}, from ${config.source} (zone-file syntax).`,
  ];
  const done = (): GeneratedConfig => ({ target: 'dns', text: `${lines.join('\n')}\n`, files: [] });
  const srvTarget = options.srvTarget === undefined ? null : parseSrvTarget(options.srvTarget);

  if (name.kind !== 'dns') {
    lines.push(
      `; ${config.serverName} is an IP address: servers connect to it directly (spec step 1); no DNS record is involved.`,
    );
    return done();
  }
  const host = name.host.toLowerCase();
  if (name.port !== undefined) {
    lines.push(
      `; ${config.serverName} has a port: servers connect to ${host} port ${name.port} directly (spec step 2);`,
      '; neither /.well-known/matrix/server nor SRV records are consulted, so no delegation record applies.',
    );
  }

  const { v4, v6 } = publicAddresses(config);
  lines.push('', `; ${host}: where servers and clients fetch https://${host}/.well-known/matrix/* (port 443).`);
  if (v4.length === 0 && v6.length === 0) {
    lines.push(
      `; ${host}. ${ZONE_TTL_SECONDS} IN A    <IPv4 address of the web server>`,
      `; ${host}. ${ZONE_TTL_SECONDS} IN AAAA <IPv6 address of the web server>`,
    );
  }
  for (const ip of v4) lines.push(`${host}. ${ZONE_TTL_SECONDS} IN A ${ip}`);
  for (const ip of v6) lines.push(`${host}. ${ZONE_TTL_SECONDS} IN AAAA ${ip}`);
  if (name.port !== undefined) return done();

  const server = buildServerDocument(config);
  lines.push('');
  if (server !== null) {
    const mServer = server['m.server'];
    lines.push(
      `; Delegation by /.well-known/matrix/server: {"m.server": ${JSON.stringify(mServer)}}. No SRV record is needed for ${host}.`,
    );
    const delegated = parseServerName(mServer);
    if (delegated.ok && delegated.value.kind === 'dns' && delegated.value.port === undefined) {
      const target = delegated.value.host.toLowerCase();
      lines.push(
        `; m.server has no port: servers look up _matrix-fed._tcp.${target}, and without one connect to ${target}:${DEFAULT_FEDERATION_PORT}`,
        `; (spec steps 3.3-3.5; the certificate must be valid for ${target} either way). Optional record:`,
        `; ${srvRecordLine(target, target, DEFAULT_FEDERATION_PORT)}`,
      );
    }
    if (srvTarget !== null) {
      lines.push(
        `; Used only when the well-known fetch fails (spec step 4):`,
        srvRecordLine(host, srvTarget.host, srvTarget.port),
        ...srvCaveats(host, `${srvTarget.host}:${srvTarget.port}`),
      );
    }
    return done();
  }
  if (srvTarget !== null) {
    lines.push(
      srvRecordLine(host, srvTarget.host, srvTarget.port),
      ...srvCaveats(host, `${srvTarget.host}:${srvTarget.port}`),
    );
    return done();
  }
  const example = config.publicBaseurl === null ? null : new URL(config.publicBaseurl);
  lines.push(
    `; No /.well-known/matrix/server: servers look for SRV records, then connect to ${host}:${DEFAULT_FEDERATION_PORT} (spec steps 4-6),`,
    `; which must answer with a certificate for ${host}. To delegate with an SRV record instead, pass --srv-target HOST[:PORT]:`,
  );
  if (example !== null && isIP(example.hostname.replace(/^\[|\]$/g, '')) === 0) {
    lines.push(`; ${srvRecordLine(host, example.hostname, example.port === '' ? 443 : Number(example.port))}`);
  }
  return done();
}
