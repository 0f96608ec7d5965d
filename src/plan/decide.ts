// The pure delegation decision: is delegation needed, which method, which m.server or SRV target, and why.

import { MatrixDelegationError } from '../errors.js';
import { DEFAULT_FEDERATION_PORT } from '../proxy-config/model.js';
import { formatHost, parseServerName } from '../server-name/index.js';
import type { ServerName } from '../server-name/index.js';
import type { DelegationMethod, DirectProbe, HomeserverAddress, PlanDecision } from './types.js';

/**
 * Reads the homeserver address: `https://host[:port][/path]`, or `host[:port]` (https assumed). Federation needs
 * TLS, so plain http is refused.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for anything that is not an https URL of a host.
 * @example
 * ```ts
 * parseHomeserver('matrix.example.com'); // { baseUrl: 'https://matrix.example.com/', host: 'matrix.example.com', port: 443 }
 * ```
 */
export function parseHomeserver(text: string): HomeserverAddress {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `the homeserver ${JSON.stringify(text)} is not a URL; write it as https://matrix.example.com[:port]`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `the homeserver ${JSON.stringify(text)} is not an https:// URL: federation and clients need HTTPS; give the address where its TLS listener (or reverse proxy) answers`,
    );
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `the homeserver ${JSON.stringify(text)} has a user, query or fragment; give https://host[:port]`,
    );
  }
  const host = url.hostname.toLowerCase();
  const port = url.port === '' ? 443 : Number(url.port);
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return { baseUrl: `https://${url.host}${path}`, host, port };
}

/**
 * Parses the server name for a plan.
 *
 * @throws MatrixDelegationError `INVALID_SERVER_NAME` with the grammar rule's explanation.
 */
export function parsePlanServerName(serverName: string): ServerName {
  const parsed = parseServerName(serverName);
  if (!parsed.ok)
    throw new MatrixDelegationError('INVALID_SERVER_NAME', parsed.error.message, {
      detail: { rule: parsed.error.rule },
    });
  return parsed.value;
}

/**
 * Decides whether `serverName` needs delegation to reach `homeserver`, and how (seed: "when is delegation
 * needed"; spec server-server API "Resolving server names"):
 * - an IP literal or a name with a port: servers connect there directly; no delegation can apply;
 * - the homeserver is the server name's host on port 8448, or the probe found it answering there with a
 *   certificate for the server name: no delegation needed;
 * - otherwise: delegation, by `/.well-known/matrix/server` unless `method` is `srv` (not recommended: the
 *   certificate must carry the server name, and it cannot carry client settings).
 *
 * Pure: the probe result is an input (null when it was skipped).
 *
 * @example
 * ```ts
 * decideDelegation('example.com', parseHomeserver('https://matrix.example.com'), null);
 * // { verdict: 'needed', method: 'well-known', mServer: 'matrix.example.com:443', ... }
 * ```
 */
export function decideDelegation(
  serverName: string,
  homeserver: HomeserverAddress,
  probe: DirectProbe | null,
  method: DelegationMethod = 'well-known',
  federationPort: number = DEFAULT_FEDERATION_PORT,
): PlanDecision {
  const name = parsePlanServerName(serverName);
  const host = name.kind === 'dns' ? name.host.toLowerCase() : formatHost(name);
  const none = { method: null, mServer: null, srvTarget: null, synapseCanServe: false, caveats: [] } as const;
  const probed = probe === null ? [] : [`Probe of ${host}:${probe.port}: ${probe.summary}`];

  if (name.kind !== 'dns') {
    return {
      ...none,
      verdict: 'not-possible',
      reasons: [
        `${serverName} is an IP address: servers connect to it directly, on port ${name.port ?? federationPort} (spec step 1); ` +
          'neither /.well-known/matrix/server nor SRV records are consulted. To delegate, use a DNS name as server_name.',
        ...probed,
      ],
    };
  }
  if (name.port !== undefined) {
    return {
      ...none,
      verdict: 'not-possible',
      reasons: [
        `${serverName} has a port: servers connect to ${host} port ${name.port} directly (spec step 2), with a certificate for ${host}; ` +
          'neither /.well-known/matrix/server nor SRV records are consulted, so the homeserver must answer exactly there.',
        ...probed,
      ],
    };
  }
  if (homeserver.host === host && homeserver.port === federationPort) {
    return {
      ...none,
      verdict: 'not-needed',
      reasons: [
        `The homeserver is at ${host}:${federationPort}, where servers look for ${serverName} by default (spec step 6).`,
        ...probed,
      ],
    };
  }
  if (probe?.works === true) {
    return {
      ...none,
      verdict: 'not-needed',
      reasons: [
        `${host}:${probe.port} already answers federation with a certificate for ${host}: servers find the homeserver without delegation.`,
        ...probed,
        'A /.well-known/matrix/server document would take precedence over it: serve none unless you move federation.',
      ],
    };
  }
  const why =
    probe === null
      ? `Not probed: assuming ${host}:${federationPort} does not reach the homeserver, which is at ${homeserver.host}:${homeserver.port}.`
      : `Servers would connect to ${host}:${probe.port} and fail: ${probe.summary}`;
  const target = `${homeserver.host}:${homeserver.port}`;
  if (method === 'srv') {
    return {
      verdict: 'needed',
      reasons: [why, `Delegate by a DNS SRV record, as asked: _matrix-fed._tcp.${host} -> ${target}.`],
      method: 'srv',
      mServer: null,
      srvTarget: { host: homeserver.host, port: homeserver.port },
      synapseCanServe: false,
      caveats: [
        `The homeserver at ${target} must present a certificate valid for ${host} (not ${homeserver.host}), and receives Host: ${host} ` +
          '(spec steps 4-5): this is why SRV delegation is not recommended.',
        `An SRV record carries federation only: clients still need https://${host}/.well-known/matrix/client for the homeserver URL ` +
          'and client-wide settings (Jitsi, default encryption, ...); without it they must be set in every client.',
      ],
    };
  }
  const synapseCanServe = homeserver.host === host && homeserver.port === 443;
  return {
    verdict: 'needed',
    reasons: [
      why,
      `Delegate by https://${host}/.well-known/matrix/server: {"m.server": "${target}"} (port 443, spec step 3).`,
    ],
    method: 'well-known',
    mServer: target,
    srvTarget: null,
    synapseCanServe,
    caveats: [
      `The document must be served on https://${host}/ on port 443, with a certificate valid for ${host}.`,
      `The homeserver must answer on ${target} with a certificate valid for ${homeserver.host}.`,
      ...(synapseCanServe
        ? [
            `https://${host} reaches the homeserver itself, so Synapse can serve the document: serve_server_wellknown: true.`,
          ]
        : []),
    ],
  };
}
