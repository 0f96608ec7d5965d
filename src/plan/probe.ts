// Probes server_name:8448 directly (no well-known, no SRV): does the homeserver already answer where servers look?

import { createFederationClient } from '../client/federation-client.js';
import { isMatrixDelegationError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { probeTls } from '../net/tls-probe.js';
import { trustProblem } from '../checker/trust-problem.js';
import { lookupHostAddresses } from '../dns/host-addresses.js';
import { checkResolveOptions, resolveDependencies } from '../resolver/options.js';
import { timeoutOption } from '../options/validate.js';
import type { ResolveOptions, ResolvedTarget } from '../resolver/types.js';
import { formatHost, normalizeIp } from '../server-name/index.js';
import type { Locale } from '../i18n/index.js';
import { parsePlanServerName } from './decide.js';
import { noRecordsMessage, probeSummary } from './probe-summary.js';
import type { DirectProbe, DirectProbeAddress } from './types.js';

/** Options of {@link probeDirectFederation}: the resolver's (DNS, address policy, CA, `defaultPort`), plus a budget. */
export interface DirectProbeOptions extends ResolveOptions {
  /** Budget of each operation (DNS lookup, TLS handshake, version request) in milliseconds [5000]. */
  readonly operationTimeoutMs?: number;
  /** The language of the summary [en] (the errors it quotes are reported as they were). */
  readonly locale?: Locale;
}

const DEFAULT_OPERATION_TIMEOUT_MS = 5000;

/** The server name in a version answer (`{"server": {"name", "version"}}`), or null. */
function serverOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const server = (body as Record<string, unknown>)['server'];
  if (typeof server !== 'object' || server === null) return null;
  const { name, version } = server as Record<string, unknown>;
  if (typeof name !== 'string') return null;
  return typeof version === 'string' ? `${name} ${version}` : name;
}

/**
 * Connects to the server name's host on its port (or the default federation port, 8448) the way a remote
 * server would without any delegation (spec server-server API, "Resolving server names" step 6: certificate and
 * SNI for the host), on every address: TLS handshake with the certificate judged by `probeTls`, then
 * `GET /_matrix/federation/v1/version` through the federation client. Never throws for remote faults.
 *
 * @throws MatrixDelegationError `INVALID_SERVER_NAME` for an invalid name; option errors as the resolver's.
 * @example
 * ```ts
 * const probe = await probeDirectFederation('example.com');
 * if (probe.works) console.log('no delegation needed');
 * ```
 */
export async function probeDirectFederation(
  serverName: string,
  options: DirectProbeOptions = {},
): Promise<DirectProbe> {
  const name = parsePlanServerName(serverName, options.locale);
  // The options checked and completed once, as every entry point does (the resolver's through checkResolveOptions).
  const settings = checkResolveOptions(options);
  const timeoutMs = timeoutOption('operationTimeoutMs', options.operationTimeoutMs, DEFAULT_OPERATION_TIMEOUT_MS);
  const port = name.port ?? settings.defaultPort;
  const { dns, policy } = resolveDependencies(options);
  const host = name.kind === 'dns' ? name.host : normalizeIp(name.host, name.kind === 'ipv4' ? 'ipv4' : 'ipv6');
  const shownHost = name.kind === 'dns' ? name.host : formatHost(name);

  let ips: string[];
  let dnsError: DirectProbe['dnsError'] = null;
  if (name.kind === 'dns') {
    const lookup = await lookupHostAddresses(dns, name.host, AbortSignal.timeout(timeoutMs));
    ips = lookup.addresses.map((a) => a.ip);
    if (ips.length === 0) {
      dnsError = lookup.error ?? { code: 'DNS_NXDOMAIN', message: noRecordsMessage(name.host) };
    }
  } else {
    ips = [host];
  }

  const client = createFederationClient({
    ...options,
    dns,
    policy,
    // The probe judges the certificate; the request only reads what is served.
    verifyCertificates: false,
    connectTimeoutMs: timeoutMs,
    requestTimeoutMs: timeoutMs,
    maxBodyBytes: 64 * 1024,
  });
  try {
    const addresses = await Promise.all(
      ips.map(async (ip): Promise<DirectProbeAddress> => {
        const failed = (code: ErrorCode, message: string): DirectProbeAddress => ({
          ip,
          port,
          tls: null,
          version: null,
          error: { code, message },
          works: false,
        });
        const tls = await probeTls({
          ip,
          port,
          sni: name.kind === 'dns' ? name.host : null,
          tlsServerName: host,
          policy,
          timeoutMs,
          ...(options.ca ? { ca: options.ca } : {}),
        });
        if (!tls.ok) return failed(tls.error.code, tls.error.message);
        const tlsReport = {
          trusted: tls.trusted,
          nameMatches: tls.nameMatches,
          problem:
            (tls.trustError === null ? null : trustProblem(tls.trustError).message) ?? tls.nameError?.message ?? null,
        };
        const target: ResolvedTarget = {
          step: name.port !== undefined ? (name.kind === 'dns' ? '2' : '1') : name.kind === 'dns' ? '6' : '1',
          ip,
          port,
          hostHeader: name.port === undefined ? shownHost : `${shownHost}:${name.port}`,
          tlsServerName: host,
          sni: name.kind === 'dns' ? name.host : null,
          addressOf: name.kind === 'dns' ? name.host : null,
          srv: null,
        };
        let version: DirectProbeAddress['version'];
        try {
          const response = await client.requestTarget(target, '/_matrix/federation/v1/version');
          let body: unknown = null;
          try {
            body = JSON.parse(response.body.toString('utf8')) as unknown;
          } catch {
            body = null;
          }
          const server = serverOf(body);
          version =
            response.status === 200 && server !== null
              ? { ok: true, server, problem: null }
              : {
                  ok: false,
                  server,
                  problem: `/_matrix/federation/v1/version answered ${response.status}${server === null ? ' without a Matrix server version' : ''}`,
                };
        } catch (error) {
          if (!isMatrixDelegationError(error)) throw error;
          version = { ok: false, server: null, problem: error.message };
        }
        return { ip, port, tls: tlsReport, version, error: null, works: tls.trusted && tls.nameMatches && version.ok };
      }),
    );
    const works = addresses.length > 0 && addresses.every((a) => a.works);
    return {
      host: shownHost,
      port,
      addresses,
      dnsError,
      works,
      summary: probeSummary({ host: shownHost, port, addresses, dnsError }, options.locale),
    };
  } finally {
    await client.close();
  }
}
